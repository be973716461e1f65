/** A one-line progress bar for long writes (tb import), drawn on stderr on a terminal only. Pure. */

/** `[##########--------------]  41% 940/2279`; a total of 0 counts as done. */
export function progressBar(done: number, total: number, width = 24): string {
  const ratio = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${done}/${total}`;
}
