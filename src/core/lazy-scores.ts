/**
 * Lead scores for core/derived.ts: computed only when asked for, each contact once
 * (docs/scoring.md).
 */
import type { Ctx, CrmRecord, Dataset } from './types.js';
import { normalizeRef } from './fields.js';
import { compileScoring, scoringOf, type Scorer, type ScoreResult } from './scoring.js';
import { DataError } from '../errors.js';
import type { Derived } from './derived.js';

/** Contacts grouped by the company they name. */
function contactsByCompany(contacts: readonly CrmRecord[]): Map<string, CrmRecord[]> {
  const byCompany = new Map<string, CrmRecord[]>();
  for (const c of contacts) {
    const comp = normalizeRef(c.data.company);
    if (!comp) continue;
    const list = byCompany.get(comp);
    if (list) list.push(c);
    else byCompany.set(comp, [c]);
  }
  return byCompany;
}

/**
 * Scores, computed only when asked for (most commands never read them) and each contact once. The
 * rules are compiled on first use. A rule that reaches a score while scores are being computed
 * (`company.score`) would recurse: that is an error, not a stack overflow.
 */
export function lazyScores(ds: Dataset, ctx: Ctx, derived: () => Derived) {
  const scoring = scoringOf(ds.config);
  let scorer: Scorer | undefined;
  let busy = false;
  let contacts: Map<string, CrmRecord> | undefined;
  let byCompany: Map<string, CrmRecord[]> | undefined;
  const totals = new Map<string, number>();
  const companyScores = new Map<string, number | undefined>();
  /** Runs the scorer on a contact; a rule reaching back into the scores would recurse. */
  const run = <T>(contact: CrmRecord, how: (s: Scorer, c: CrmRecord) => T): T => {
    if (busy) throw new DataError('a scoring rule uses the score itself (through a reference such as company.score)', { path: 'touchbase.yaml' }, 'remove score from the scoring rules');
    busy = true;
    try {
      scorer ??= compileScoring(scoring!, { dataset: ds, ctx, derived: derived(), type: 'contact' });
      return how(scorer, contact);
    } finally {
      busy = false;
    }
  };
  const contactById = (id: string): CrmRecord | undefined => {
    contacts ??= new Map(ds.contacts.map((c) => [c.id, c]));
    return contacts.get(id);
  };
  const detail = (id: string): ScoreResult | undefined => {
    const contact = scoring && contactById(id);
    return contact ? run(contact, (s, c) => s.score(c)) : undefined;
  };
  const total = (contact: CrmRecord): number => {
    let known = totals.get(contact.id);
    if (known === undefined) totals.set(contact.id, (known = run(contact, (s, c) => s.total(c))));
    return known;
  };
  const companyScore = (id: string): number | undefined => {
    if (companyScores.has(id)) return companyScores.get(id);
    byCompany ??= contactsByCompany(ds.contacts);
    let best: number | undefined;
    for (const c of byCompany.get(id) ?? []) {
      const s = total(c);
      if (best === undefined || s > best) best = s;
    }
    companyScores.set(id, best);
    return best;
  };
  return {
    configured: scoring !== undefined,
    detail,
    score(rec: CrmRecord): number | undefined {
      if (!scoring) return undefined;
      if (rec.type === 'contact') return total(rec);
      if (rec.type === 'company') return companyScore(rec.id);
      return undefined;
    },
  };
}
