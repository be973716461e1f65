/**
 * Placeholder-free first version of the derived index: for now it reads directly. The cached
 * implementation replaces the body of loadRecordsCached; callers never change.
 */
import type { Config, CrmRecord, Problem, RecordType } from '../core/types.js';
import { loadRecordsDirect } from './load.js';

export function loadRecordsCached(root: string, type: RecordType, config: Config, problems: Problem[]): CrmRecord[] {
  return loadRecordsDirect(root, type, config, false, problems);
}
