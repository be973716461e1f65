/** `tb report`'s contact KPIs (core/report.ts, "Churned" and "Retention risk"), and a contact's cadence. */
import type { Config, Ctx, CrmRecord } from './types.js';
import type { Derived } from './derived.js';
import { asString, tagsOf } from './fields.js';
import { addDuration, daysBetween, parseDuration } from './dates.js';
import { dateField } from './pipeline.js';
import { inPeriod } from './report-math.js';
import type { ReportOptions, RiskContact, Report } from './report.js';

/** The cadence that applies to a contact, as written (e.g. `90d`), or undefined. */
export function contactCadence(contact: CrmRecord, config: Config): string | undefined {
  const own = asString(contact.data.cadence);
  if (own) return own;
  const tags = new Set(tagsOf(contact));
  for (const [tag, cadence] of Object.entries(config.cadence.tags)) if (tags.has(tag.toLowerCase())) return cadence;
  const stage = asString(contact.data.stage)?.toLowerCase();
  const stageRule = Object.entries(config.cadence.stages).find(([s]) => s.toLowerCase() === stage)?.[1];
  return stageRule ?? config.cadence.default;
}

export function retentionRisk(contacts: CrmRecord[], derived: Derived, ctx: Ctx, config: Config, complaints: ReadonlyMap<string, number>): RiskContact[] {
  const out: RiskContact[] = [];
  for (const c of contacts) {
    if (asString(c.data.stage)?.toLowerCase() !== 'customer') continue;
    const open = complaints.get(c.id) ?? 0;
    const cadence = contactCadence(c, config);
    const duration = cadence ? parseDuration(cadence) : undefined;
    if ((!cadence || !duration) && !open) continue;
    const last = derived.contact(c.id).last_contact;
    const start = last ?? dateField(c, 'created');
    let dueSince = start && duration ? addDuration(start, duration) : undefined;
    const pastCadence = duration !== undefined && (dueSince === undefined || ctx.today > dueSince);
    if (!pastCadence && !open) continue;
    if (!pastCadence) dueSince = undefined;
    const risk: RiskContact = { id: c.id, name: asString(c.data.name) ?? c.id, cadence: cadence ?? '' };
    if (open) risk.open_complaints = open;
    if (last) risk.last_contact = last;
    if (dueSince) {
      risk.due_since = dueSince;
      risk.days_overdue = daysBetween(dueSince, ctx.today);
    }
    out.push(risk);
  }
  const overdue = (r: RiskContact) => (r.due_since === undefined && r.open_complaints ? -1 : (r.days_overdue ?? Infinity));
  return out.sort((a, b) => (b.open_complaints ?? 0) - (a.open_complaints ?? 0) || overdue(b) - overdue(a) || a.id.localeCompare(b.id));
}

export function churned(contacts: CrmRecord[], opts: ReportOptions): Report['contacts']['churned'] {
  const result = { inPeriod: 0, undated: 0, ids: [] as string[] };
  for (const c of contacts) {
    if (asString(c.data.stage)?.toLowerCase() !== 'churned') continue;
    const when = dateField(c, 'churned') ?? dateField(c, 'updated');
    if (when === undefined) result.undated++;
    else if (inPeriod(when, opts)) {
      result.inPeriod++;
      result.ids.push(c.id);
    }
  }
  result.ids.sort();
  return result;
}

