/**
 * Imports never silently re-create a removed contact (docs/removing.md). A contact row whose new
 * id, or one of whose emails, belonged to a contact removed in git's history is skipped and
 * reported, unless the user asks for it (`--include-removed`). Kept apart from the import planner:
 * it only filters a finished plan.
 */
import type { ImportPlan } from './importer.js';
import { asList } from './fields.js';

export interface RemovedContact {
  id: string;
  emails: readonly string[];
  /** Short commit that removed it. */
  commit: string;
}

export interface SkippedRemoved {
  id: string;
  /** Why it is taken for the removed contact: its id, or an email. */
  by: string;
  removed: RemovedContact;
}

/** The plan without creates of removed contacts, counts and row outcomes adjusted; the skipped ones. */
export function skipRemovedContacts(plan: ImportPlan, removed: readonly RemovedContact[]): { plan: ImportPlan; skipped: SkippedRemoved[] } {
  if (!removed.length) return { plan, skipped: [] };
  const byId = new Map(removed.map((r) => [r.id, r]));
  const byEmail = new Map<string, RemovedContact>();
  for (const r of removed) for (const e of r.emails) byEmail.set(e.toLowerCase(), r);
  const skipped: SkippedRemoved[] = [];
  const steps = plan.steps.filter((s) => {
    if (s.op !== 'create' || s.type !== 'contact') return true;
    const email = asList(s.data.emails).map((e) => e.toLowerCase()).find((e) => byEmail.has(e));
    const hit = byId.get(s.id) ? { by: `id ${s.id}`, removed: byId.get(s.id)! } : email ? { by: `email ${email}`, removed: byEmail.get(email)! } : undefined;
    if (!hit) return true;
    skipped.push({ id: s.id, ...hit });
    return false;
  });
  if (!skipped.length) return { plan, skipped };
  const ids = new Set(skipped.map((s) => s.id));
  const rows = plan.rows.map((r) => (r.action === 'created' && r.id && ids.has(r.id) ? { ...r, action: 'skipped' as const, reason: 'removed earlier (tb restore brings it back; --include-removed imports it)' } : r));
  const counts = { ...plan.counts, created: plan.counts.created - skipped.length, skipped: plan.counts.skipped + skipped.length };
  return { plan: { ...plan, steps, rows, counts }, skipped };
}
