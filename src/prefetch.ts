/**
 * Run by the launcher before the CLI loads. For commands that read the whole directory, git's look
 * at the work tree (the largest single cost of a warm run at 100k files) starts now and runs while
 * node loads the CLI; the load collects it (store/git-status.ts). Best effort: when in doubt (help,
 * no directory found) nothing is started, and a load that finds nothing started for its directory
 * asks git itself.
 */
import { commandWord, globalOptionValue } from './args.js';
import { FOLDER_OF, RECORD_TYPES } from './core/types.js';
import { startGitState } from './store/git-status.js';
import { findRoot } from './store/root.js';
import { hasNoIndex } from './store/index-dir.js';

/** Commands whose load reads every folder through the index. */
const READERS = new Set(['list', 'show', 'due', 'pipeline', 'report', 'set', 'edit', 'history']);

export function prefetch(args: string[], cwd: string, env: NodeJS.ProcessEnv): void {
  const [command] = commandWord(args);
  if (!command || !READERS.has(command) || args.some((a) => a === '-h' || a === '--help')) return;
  try {
    const root = findRoot(cwd, globalOptionValue(args, '--dir') ?? env.TOUCHBASE_DIR);
    // No index yet: every file will be read, and git's listing of them is needed too.
    startGitState(root, RECORD_TYPES.map((t) => FOLDER_OF[t]), hasNoIndex(root));
  } catch {
    // No directory here: the command will say so itself.
  }
}
