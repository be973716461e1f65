/**
 * The start of one command. The store keeps a few per-process facts (git's environment, settings it
 * read, injected faults); a process that runs several commands (tests run the CLI in-process) starts each afresh.
 */
import { setGitBaseEnv } from './git.js';
import { forgetSettings } from './load.js';
import { setFaults } from './fault.js';
import { forgetGitOperations } from './git-guard.js';
import { closeJournals } from './autocommit.js';
import { setLockWait } from './lock.js';

export function beginRun(env: Record<string, string | undefined>): void {
  setGitBaseEnv(env);
  forgetSettings();
  setFaults(env.TOUCHBASE_FAULT);
  setLockWait(env.TOUCHBASE_LOCK_WAIT);
  forgetGitOperations();
  closeJournals();
}
