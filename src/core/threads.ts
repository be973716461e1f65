/**
 * Mail threads in a timeline (docs/mail.md): interactions that share a thread (their `thread`, or
 * the `message_id` of the message that started it) are shown together, at the place of the
 * thread's newest message. Pure.
 */
import type { CrmRecord } from './types.js';
import { asString } from './fields.js';

export interface TimelineEntry {
  rec: CrmRecord;
  /** 0 for a message on its own or the newest of its thread; 1 for the older ones under it. */
  depth: 0 | 1;
}

/** The key a message is grouped by: its thread's root id, or its own id when it starts one. */
export function threadKey(rec: CrmRecord): string | undefined {
  return asString(rec.data.thread) ?? asString(rec.data.message_id);
}

/** Groups a newest-first list by thread, keeping newest-first order inside each group. */
export function groupThreads(newestFirst: readonly CrmRecord[]): TimelineEntry[] {
  const groups = new Map<string, CrmRecord[]>();
  for (const rec of newestFirst) {
    const key = threadKey(rec);
    if (key === undefined) continue;
    const g = groups.get(key);
    if (g) g.push(rec);
    else groups.set(key, [rec]);
  }
  const out: TimelineEntry[] = [];
  const placed = new Set<CrmRecord>();
  for (const rec of newestFirst) {
    if (placed.has(rec)) continue;
    const key = threadKey(rec);
    const members = key === undefined ? [rec] : groups.get(key)!;
    members.forEach((m, i) => {
      placed.add(m);
      out.push({ rec: m, depth: i === 0 ? 0 : 1 });
    });
  }
  return out;
}
