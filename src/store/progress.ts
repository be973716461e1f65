/** Where the store reports progress of long reads; the App installs a reporter on a terminal. */
export type ProgressReporter = (label: string, done: number, total: number) => void;

let reporter: ProgressReporter | undefined;

export function setProgressReporter(fn: ProgressReporter | undefined): void {
  reporter = fn;
}

export function reportProgress(label: string, done: number, total: number): void {
  reporter?.(label, done, total);
}
