/**
 * Lead figures for `tb report` (docs/scoring.md): open leads by score band and by owner, and how
 * often contacts in each band became a won deal in the period — is the scoring predictive? Pure.
 * Scores are today's (a score is derived, never stored, so there is no past score to read).
 */
import { isOpenLead, leadStages } from './assign.js';
import type { Derived } from './derived.js';
import { dealOutcome } from './derived.js';
import { datePart, isIsoDate } from './dates.js';
import { asString, dealContacts } from './fields.js';
import { dealClosedDate } from './report.js';
import { bandLabels, bandOf, round1, type ScoringConfig } from './scoring.js';
import type { CrmRecord, Dataset } from './types.js';

export interface LeadBandRow {
  band: string;
  /** Open leads (lead stages, or no stage) with a score in the band. */
  leads: number;
  /** Every contact with a score in the band. */
  contacts: number;
  /** Of those, contacts on a deal won in the period. */
  won: number;
  /** won / contacts; null when the band is empty. */
  conversion: number | null;
}

export interface LeadOwnerRow {
  /** The owner id, or "(none)" for unassigned leads. */
  owner: string;
  leads: number;
  averageScore: number | null;
  /** Leads whose `assigned:` date (written by tb assign) falls in the period. */
  assignedInPeriod: number;
}

export interface LeadReport {
  bands: LeadBandRow[];
  byOwner: LeadOwnerRow[];
}

const NONE = '(none)';

export function computeLeadReport(
  ds: Dataset,
  derived: Derived,
  scoring: ScoringConfig,
  opts: { since: string; until: string; contactFilter?: (c: CrmRecord) => boolean },
): LeadReport {
  const stages = leadStages(ds.config);
  const contacts = opts.contactFilter ? ds.contacts.filter(opts.contactFilter) : ds.contacts;
  const winners = new Set<string>();
  for (const deal of ds.deals) {
    const closed = dealClosedDate(deal);
    if (dealOutcome(deal, ds.config) === 'won' && closed !== undefined && closed >= opts.since && closed <= opts.until) {
      for (const id of dealContacts(deal)) winners.add(id);
    }
  }
  const bands = new Map(bandLabels(scoring.bands).map((band): [string, LeadBandRow] => [band, { band, leads: 0, contacts: 0, won: 0, conversion: null }]));
  const owners = new Map<string, { leads: number; total: number; scored: number; assigned: number }>();
  for (const c of contacts) {
    const score = derived.score(c);
    const lead = isOpenLead(c, stages);
    if (score !== undefined) {
      const row = bands.get(bandOf(score, scoring.bands))!;
      row.contacts++;
      if (lead) row.leads++;
      if (winners.has(c.id)) row.won++;
    }
    if (!lead) continue;
    const owner = asString(c.data.owner) ?? NONE;
    const o = owners.get(owner) ?? { leads: 0, total: 0, scored: 0, assigned: 0 };
    o.leads++;
    if (score !== undefined) {
      o.total += score;
      o.scored++;
    }
    const assigned = asString(c.data.assigned);
    if (assigned && isIsoDate(assigned) && datePart(assigned) >= opts.since && datePart(assigned) <= opts.until) o.assigned++;
    owners.set(owner, o);
  }
  for (const row of bands.values()) row.conversion = row.contacts ? row.won / row.contacts : null;
  const byOwner = [...owners]
    .map(([owner, o]): LeadOwnerRow => ({ owner, leads: o.leads, averageScore: o.scored ? round1(o.total / o.scored) : null, assignedInPeriod: o.assigned }))
    .sort((a, b) => (a.owner === NONE ? 1 : b.owner === NONE ? -1 : a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0));
  return { bands: [...bands.values()], byOwner };
}
