/** The 360° view printed by `tb show`. */
import { terminalSafe, terminalSafeRecord } from './safe-text.js';
import type { ChalkInstance } from 'chalk';
import type { Config, CrmRecord } from '../core/types.js';
import type { Related } from '../core/related.js';
import type { Derived } from '../core/derived.js';
import { dealHistory } from '../core/derived.js';
import { matchedLines } from './score.js';
import { asNumber, asString, displayName } from '../core/fields.js';
import { daysBetween } from '../core/dates.js';
import { cellText } from './table.js';
import { groupThreads } from '../core/threads.js';

export interface ShowOptions {
  style: ChalkInstance;
  today: string;
  config: Config;
  limit: number;
  /** Extra lines (e.g. keep-in-touch status) shown under the fields. */
  notes?: string[];
}

export function money(value: unknown, currency: string): string {
  const n = asNumber(value);
  if (n === undefined) return '';
  return `${currency} ${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
}

function ago(date: string | undefined, today: string): string {
  if (!date) return 'never';
  const d = daysBetween(date.slice(0, 10), today);
  if (d === 0) return `${date} (today)`;
  if (d > 0) return `${date} (${d} day${d === 1 ? '' : 's'} ago)`;
  return `${date} (in ${-d} day${d === -1 ? '' : 's'})`;
}

function fieldLines(rec: CrmRecord, s: ChalkInstance): string[] {
  const keys = Object.keys(rec.data).filter((k) => k !== 'history');
  const width = Math.max(8, ...keys.map((k) => k.length));
  return keys.flatMap((k) => {
    const addresses = k === 'addresses' || k === 'address' ? addressLines(rec.data[k]) : undefined;
    if (!addresses) return [`  ${s.dim(k.padEnd(width))}  ${cellText(rec.data[k])}`];
    return addresses.map((line, i) => `  ${s.dim((i === 0 ? k : '').padEnd(width))}  ${line}`);
  });
}

/**
 * Postal addresses (as imports write them: street, extended, pobox, postcode, city, region,
 * country, type) one per line as on an envelope: `Hauptstr. 1, 10115 Berlin, DE (home)`.
 * Undefined when the value holds no address object, so it is shown as it is.
 */
export function addressLines(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  if (!list.some((a) => typeof a === 'object' && a !== null)) return undefined;
  return list.map((a) => {
    if (typeof a !== 'object' || a === null) return String(a);
    const o = a as Record<string, unknown>;
    const part = (k: string) => asString(o[k])?.trim() || undefined;
    const place = [part('postcode'), part('city')].filter(Boolean).join(' ');
    const line = [part('street'), part('extended'), part('pobox') && `PO Box ${part('pobox')}`, place, part('region'), part('country')].filter(Boolean).join(', ');
    return part('type') ? `${line} (${part('type')})` : line;
  });
}

/** "open · high · first response due 2026-11-30 17:00 · resolve due … · SLA breached: first_response". */
function caseStatusLine(rec: CrmRecord, f: Record<string, unknown>, s: ChalkInstance): string {
  const at = (v: unknown) => String(v).slice(0, 16).replace('T', ' ');
  const parts = [asString(rec.data.status) ?? 'open', asString(rec.data.priority) ?? 'normal'];
  if (f.age !== undefined) parts.push(`age ${String(f.age)} day${f.age === 1 ? '' : 's'}`);
  if (f.first_response_due !== undefined) parts.push(`first response due ${at(f.first_response_due)}`);
  if (f.resolve_due !== undefined) parts.push(`resolve due ${at(f.resolve_due)}`);
  if (f.time_to_first_response !== undefined) parts.push(`answered after ${String(f.time_to_first_response)} h`);
  if (f.time_to_resolve !== undefined) parts.push(`resolved after ${String(f.time_to_resolve)} h`);
  const breached = Array.isArray(f.breached_sla) ? f.breached_sla : [];
  if (breached.length) parts.push(s.red(`SLA breached: ${breached.join(', ')}`));
  return parts.join(' · ');
}

function safeRelated(rel: Related): Related {
  const safe = (list: readonly CrmRecord[]) => list.map(terminalSafeRecord);
  return { ...rel, company: rel.company && terminalSafeRecord(rel.company), contacts: safe(rel.contacts), deals: safe(rel.deals), reminders: safe(rel.reminders), interactions: safe(rel.interactions), cases: safe(rel.cases) };
}

/** What a logged meeting that did not happen shows by its summary (`status`, docs/mail.md). */
const NOT_HAPPENED: ReadonlyMap<string, string> = new Map([['cancelled', 'cancelled'], ['postponed', 'moved to a later day; not happened yet']]);

function notHappened(i: CrmRecord, s: ChalkInstance): string {
  const label = NOT_HAPPENED.get(asString(i.data.status) ?? '');
  return label ? `  ${s.yellow(`(${label})`)}` : '';
}

function section(title: string, lines: string[], s: ChalkInstance): string[] {
  return lines.length ? ['', s.bold(title), ...lines] : [];
}

export function renderShow(shownRec: CrmRecord, shownRel: Related, derived: Derived, o: ShowOptions): string {
  const s = o.style;
  // Everything from files is shown with control characters escaped (safe-text.ts).
  const rec = terminalSafeRecord(shownRec);
  const rel = safeRelated(shownRel);
  const out: string[] = [`${s.bold(displayName(rec))}  ${s.dim(`${rec.type} ${rec.id} · ${rec.path}`)}`, ...fieldLines(rec, s)];
  const cur = (d: CrmRecord) => asString(d.data.currency) ?? o.config.currency;
  if (rec.type === 'contact') {
    const c = derived.contact(rec.id);
    out.push('', `  last contact ${ago(c.last_contact, o.today)} · ${c.interactions} interaction${c.interactions === 1 ? '' : 's'}${c.next_due ? ` · next due ${c.next_due}` : ''}`);
    const score = derived.scoreDetail(rec.id);
    if (score) out.push('', s.bold(`Score ${score.score}`), ...matchedLines(score, s.dim));
  }
  if (rec.type === 'company') {
    const c = derived.company(rec.id);
    const score = derived.score(rec);
    out.push('', `  ${c.contacts} contact${c.contacts === 1 ? '' : 's'} · last contact ${ago(c.last_contact, o.today)} · ${c.open_deals} open deal${c.open_deals === 1 ? '' : 's'}${score === undefined ? '' : ` · score ${score} (its best contact's)`}`);
  }
  if (rec.type === 'deal') {
    const d = derived.deal(rec.id);
    out.push('', `  ${d.open ? 'open' : d.outcome} · probability ${Math.round(d.probability * 100)}% · weighted ${money(d.weighted, cur(rec))}${d.age !== undefined ? ` · age ${d.age} days` : ''}${d.stale ? ` · ${s.yellow('stale')}` : ''}`);
    const history = dealHistory(rec);
    out.push(
      ...section(
        'Stage history',
        history.map((h, i) => {
          const until = history[i + 1]?.date ?? o.today;
          const days = daysBetween(h.date, until);
          const current = i === history.length - 1;
          return `  ${h.date}  ${h.stage.padEnd(12)} ${days} day${days === 1 ? '' : 's'}${current ? (d.open ? ' so far' : '') : ''}`;
        }),
        s,
      ),
    );
  }
  if (rec.type === 'case') out.push('', `  ${caseStatusLine(rec, derived.fieldsOf(rec), s)}`);
  for (const n of o.notes ?? []) out.push(`  ${terminalSafe(n)}`);
  if (rel.company) out.push(...section('Company', [`  ${rel.company.id}  ${displayName(rel.company)}`], s));
  out.push(...section('Contacts', rel.contacts.map((c) => `  ${c.id}  ${displayName(c)}${asString(c.data.title) ? `, ${asString(c.data.title)}` : ''}`), s));
  out.push(
    ...section(
      'Deals',
      rel.deals.map((d) => `  ${d.id}  ${asString(d.data.stage) ?? '?'}  ${money(d.data.value, cur(d))}  ${displayName(d)}`),
      s,
    ),
  );
  out.push(
    ...section(
      'Open reminders',
      rel.reminders.map((r) => {
        const due = asString(r.data.due) ?? '';
        const late = due && due < o.today;
        return `  ${late ? s.red(due) : due}  ${asString(r.data.text) ?? ''}  ${s.dim(r.id)}`;
      }),
      s,
    ),
  );
  out.push(
    ...section(
      'Cases',
      rel.cases.map((c) => {
        const f = derived.fieldsOf(c);
        const opened = (asString(c.data.opened) ?? '').slice(0, 10);
        const flag = f.breached ? ` ${s.red('SLA breached')}` : '';
        return `  ${opened.padEnd(10)}  ${(asString(c.data.status) ?? 'open').padEnd(8)} ${(asString(c.data.priority) ?? 'normal').padEnd(7)} ${asString(c.data.subject) ?? c.id}${flag}  ${s.dim(c.id)}`;
      }),
      s,
    ),
  );
  // Messages of one mail thread are shown together, older ones under the newest (docs/mail.md).
  const shown = groupThreads(rel.interactions).slice(0, o.limit);
  // Dates with a time (`2026-11-20T14:30`) are longer: the column is as wide as the widest shown.
  const when = (i: CrmRecord) => String(i.data.date ?? '').replace('T', ' ');
  const dateWidth = Math.max(10, ...shown.map(({ rec: i }) => when(i).length));
  out.push(
    ...section(
      `${rec.type === 'case' ? 'Thread' : 'Timeline'}${rel.interactions.length > shown.length ? ` (latest ${shown.length} of ${rel.interactions.length}; --all for every one)` : ''}`,
      shown.map(({ rec: i, depth }) => `  ${when(i).padEnd(dateWidth)}  ${(asString(i.data.channel) ?? '').padEnd(8)} ${(asString(i.data.direction) ?? '').padEnd(3)}  ${depth ? s.dim('↳ ') : ''}${asString(i.data.summary) ?? ''}${notHappened(i, s)}`),
      s,
    ),
  );
  if (rec.body && rec.body.trim()) out.push('', s.bold(rec.type === 'case' ? 'Description' : 'Notes'), ...rec.body.trim().split('\n').map((l) => `  ${l}`));
  return out.join('\n');
}
