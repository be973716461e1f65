/**
 * Fault injection for tests: `TOUCHBASE_FAULT=<step>` makes the store throw at that named step, so
 * a test can place a crash exactly between two writes of a multi-file operation and check that a
 * re-run completes it (docs/reliability.md). Unset (always, outside tests) it does nothing.
 */
import { TbError } from '../errors.js';

/** The exit status of an injected fault: distinct from every real error. */
export const FAULT_EXIT = 70;

/** The command's TOUCHBASE_FAULT (store/session.ts sets it per command; the process's until then). */
let spec: string | undefined = process.env.TOUCHBASE_FAULT;

export function setFaults(value: string | undefined): void {
  spec = value;
}

/**
 * Throws when `TOUCHBASE_FAULT` names `step` (a comma-separated list may name several);
 * `kill:<step>` kills the process there with SIGKILL instead — a `kill -9`: no finally block, no
 * lock released, nothing cleaned up.
 */
export function faultPoint(step: string): void {
  const wanted = spec;
  if (!wanted) return;
  const steps = wanted.split(',').map((s) => s.trim());
  if (steps.includes(`kill:${step}`)) process.kill(process.pid, 'SIGKILL');
  if (steps.includes(step)) throw new TbError(`injected fault at ${step} (TOUCHBASE_FAULT)`, FAULT_EXIT);
}

/** The errno code an injected write fault simulates (`TOUCHBASE_FAULT=write:ENOSPC`), if any. */
export function injectedWriteError(): string | undefined {
  const m = /(?:^|,)\s*write:([A-Z]+)\s*(?:,|$)/.exec(spec ?? '');
  return m?.[1];
}
