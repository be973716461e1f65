/**
 * Records as the export formats see them: CSV columns and rows, vCard contacts and iCalendar
 * items. Pure; the writers themselves are csv.ts, vcard.ts and ics.ts.
 */
import type { CrmRecord, Dataset, RecordType } from '../core/types.js';
import type { Derived } from '../core/derived.js';
import { FIELD_ORDER } from '../core/schema.js';
import { asList, asNumber, asString, displayName, normalizeRef, reminderStatus } from '../core/fields.js';
import { isIsoDate } from '../core/dates.js';
import type { IcsItem } from './ics.js';

/** Columns: id, the type's schema fields that occur, other keys in first-seen order, notes (the body). */
export function csvRows(type: RecordType, records: CrmRecord[]): { columns: string[]; rows: Array<Record<string, unknown>> } {
  const present = new Set<string>();
  for (const r of records) for (const k of Object.keys(r.data)) present.add(k);
  const schema: readonly string[] = FIELD_ORDER[type];
  const columns = ['id', ...schema.filter((k) => present.has(k)), ...[...present].filter((k) => !schema.includes(k) && k !== 'id' && k !== 'notes')];
  const hasNotes = records.some((r) => (r.body ?? '').trim() !== '');
  if (hasNotes) columns.push('notes');
  const rows = records.map((r) => ({ ...r.data, id: r.id, ...(hasNotes ? { notes: (r.body ?? '').trim() } : {}) }));
  return { columns, rows };
}

export function vcardOf(r: CrmRecord, ds: Dataset) {
  const companyId = normalizeRef(r.data.company);
  const company = companyId ? ds.companies.find((c) => c.id === companyId) : undefined;
  return {
    name: displayName(r),
    emails: [...asList(r.data.emails), ...asList(r.data.email)],
    phones: [...asList(r.data.phones), ...asList(r.data.phone)],
    company: company ? displayName(company) : companyId,
    title: asString(r.data.title),
    tags: asList(r.data.tags),
    birthday: asString(r.data.birthday),
    notes: (r.body ?? '').trim() || undefined,
    links: asList(r.data.links),
    location: asString(r.data.location),
    uid: `urn:touchbase:contact:${r.id}`,
  };
}

export function icsItems(ds: Dataset, derived: Derived, reminders: CrmRecord[], deals: CrmRecord[]) {
  const items: IcsItem[] = [];
  const nameOf = (list: CrmRecord[], ref: unknown) => {
    const id = normalizeRef(ref);
    const rec = id ? list.find((x) => x.id === id) : undefined;
    return rec ? displayName(rec) : id;
  };
  for (const r of reminders) {
    const due = asString(r.data.due);
    if (reminderStatus(r) !== 'open' || !due || !isIsoDate(due)) continue;
    const who = nameOf(ds.contacts, r.data.contact) ?? nameOf(ds.deals, r.data.deal);
    items.push({
      uid: `${r.id}@touchbase`, kind: 'todo', date: due.slice(0, 10), status: 'open',
      summary: who ? `${asString(r.data.text) ?? r.id} (${who})` : asString(r.data.text) ?? r.id,
      description: (r.body ?? '').trim() || undefined,
    });
  }
  for (const d of deals) {
    const close = asString(d.data.expected_close);
    if (!derived.deal(d.id).open || !close || !isIsoDate(close)) continue;
    const value = asNumber(d.data.value);
    const currency = asString(d.data.currency) ?? ds.config.currency;
    items.push({
      uid: `${d.id}-close@touchbase`, kind: 'event', date: close.slice(0, 10),
      summary: `Expected close: ${displayName(d)}`,
      description: [`stage: ${asString(d.data.stage) ?? '?'}`, value !== undefined ? `value: ${value} ${currency}` : undefined].filter(Boolean).join('\n'),
      categories: ['deal'],
    });
  }
  items.sort((a, b) => a.date.localeCompare(b.date) || a.uid.localeCompare(b.uid));
  return items;
}
