import { defineConfig } from 'vitest/config';

// Three projects: `unit` (pure core, render, interop and store units: the edit–test loop, `npm run
// test:unit`), `peers` (real programs as peers) and `e2e` (commands end to end; their global setup
// rebuilds dist/ when stale, for the subprocess tests). No test's verdict depends on the machine's
// speed: the timeouts below only stop a hung run (a busy 2-core machine can take minutes over a
// slow file); they assert nothing.
//
// vitest 4, not 3: in vitest 3 a worker's RPC calls to the main process (the "onTaskUpdate" sent as
// tests start and end) timed out after a fixed 60 s that no option changed, and a worker whose
// event loop a busy machine kept busy that long failed the run with `[vitest-worker]: Timeout
// calling "onTaskUpdate"` although every test passed. vitest 4 sets no timeout on those calls.
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
  setupFiles: ['test/fixed-seed.ts'],
};

// Store tests that drive real git repositories and child processes (about 40 s): they run with
// the end-to-end tests, not in the edit–test loop.
const GIT_AND_PROCESS_TESTS = ['test/store/index-cache.test.ts', 'test/store/index-commits.test.ts'];

export default defineConfig({
  test: {
    // vitest's default is one worker per core less one: a single worker on a 2-core machine, while
    // most end-to-end tests wait on git or a child process. One per core keeps both busy.
    maxWorkers: '100%',
    projects: [
      // Not isolated: the files of one worker share the modules they import, loaded once (importing
      // the sources again for each of ~75 files was two thirds of the project's CPU time). No unit
      // test keeps state between files: mocks and the lock clock are restored after each test, and
      // every file passes in shuffled order (`--sequence.shuffle`).
      { test: { ...shared, pool: 'threads', isolate: false, name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/peers/**', ...GIT_AND_PROCESS_TESTS, '**/node_modules/**'] } },
      // Real programs from the operating system (Radicale, vdirsyncer, notmuch) as peers; .ci/run
      // installs them, and a test whose program is missing is skipped and says so.
      { test: { ...shared, name: 'peers', include: ['test/peers/**/*.test.ts'], globalSetup: ['test/global-setup.ts'] } },
      { test: { ...shared, name: 'e2e', include: ['test/e2e/**/*.test.ts', ...GIT_AND_PROCESS_TESTS], globalSetup: ['test/global-setup.ts'] } },
    ],
  },
});
