/**
 * A progress line for long runs (building the index, importing): shown on a terminal only after
 * the run has taken `delayMs`, redrawn at most every `everyMs`, erased at the end. The clock is
 * injected, so when it shows is decided by the caller's clock, never by a test's timing. Pure.
 */
export interface ProgressOptions {
  now: () => number;
  write: (text: string) => void;
  delayMs?: number;
  everyMs?: number;
}

export class ProgressLine {
  private readonly started: number;
  private lastDrawn = Number.NEGATIVE_INFINITY;
  private shown = false;

  constructor(private readonly opts: ProgressOptions) {
    this.started = opts.now();
  }

  /**
   * `reading records 2048/115000 (1%)…` once the run is slow enough, throttled; with a total of 0
   * a step without a count (`writing the index…`), always drawn once the delay has passed, so the
   * line never stays on a finished count while the next step runs.
   */
  update(label: string, done: number, total: number): void {
    const t = this.opts.now();
    if (t - this.started < (this.opts.delayMs ?? 1000)) return;
    if (t - this.lastDrawn < (this.opts.everyMs ?? 100) && done < total) return;
    this.lastDrawn = t;
    this.shown = true;
    const count = total > 0 ? ` ${done}/${total} (${Math.floor((100 * done) / total)}%)` : '';
    this.opts.write(`\r\x1b[K${label}${count}…`);
  }

  /** Erases the line if it was ever drawn, so the command's own output starts clean. */
  finish(): void {
    if (this.shown) this.opts.write('\r\x1b[K');
    this.shown = false;
  }
}
