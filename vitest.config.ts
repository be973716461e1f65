import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure core, render, interop and store units: the edit–test loop, `npm run
// test:unit`) and `e2e` (commands end to end; its global setup rebuilds dist/ when stale, for the
// subprocess tests). No test's verdict depends on the machine's speed: the timeouts below only
// stop a hung run (a busy 2-core machine can take minutes over a slow file); they assert nothing.
//
// One limit is not configurable in vitest 3: a worker's RPC calls to the main process (the
// "onTaskUpdate" sent as tests start and end) time out after a fixed 60 s, counted in the worker.
// Node runs expired timers before it reads incoming messages, so a worker whose event loop stays
// busy for 60 s after sending one fails the run with `[vitest-worker]: Timeout calling
// "onTaskUpdate"` although every test passed (vitest 4 makes the limit configurable). A test of
// many in-process commands is one such stretch (each command is synchronous work behind an
// `await`), so tb() in test/e2e/helpers.ts lets the loop turn after every command: no stretch is
// longer than one command.
const shared = {
  // TOUCHBASE_LOCK_WAIT: every tb a test runs (in-process, or a child process, which inherits the
  // worker's environment) waits for a lock held by another live tb as long as a test may take,
  // not 10 s (docs/reliability.md). On a busy machine one holder can keep a lock longer than that;
  // "try again" is then a right answer, but not the outcome a race test checks. The wait's end is
  // tested with an injected clock (test/store/lock.test.ts).
  env: { TZ: 'UTC', TOUCHBASE_LOCK_WAIT: '600' },
  testTimeout: 600_000,
  hookTimeout: 600_000,
  teardownTimeout: 600_000,
  pool: 'forks' as const,
};

// Store tests that drive real git repositories and child processes (about 40 s): they run with
// the end-to-end tests, not in the edit–test loop.
const GIT_AND_PROCESS_TESTS = ['test/store/index-cache.test.ts', 'test/store/index-commits.test.ts'];

export default defineConfig({
  test: {
    // vitest's default is one worker per core less one: a single worker on a 2-core machine, while
    // most end-to-end tests wait on git or a child process. One per core keeps both busy.
    maxWorkers: '100%',
    minWorkers: 1,
    projects: [
      { test: { ...shared, pool: 'threads', name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/peers/**', ...GIT_AND_PROCESS_TESTS, '**/node_modules/**'] } },
      // Real programs from the operating system (Radicale, vdirsyncer, notmuch) as peers; .ci/run
      // installs them, and a test whose program is missing is skipped and says so.
      { test: { ...shared, name: 'peers', include: ['test/peers/**/*.test.ts'], globalSetup: ['test/global-setup.ts'] } },
      { test: { ...shared, name: 'e2e', include: ['test/e2e/**/*.test.ts', ...GIT_AND_PROCESS_TESTS], globalSetup: ['test/global-setup.ts'] } },
    ],
  },
});
