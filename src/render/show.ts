/** The 360° view printed by `tb show`. */
import { terminalSafe, terminalSafeRecord } from './safe-text.js';
import type { ChalkInstance } from 'chalk';
import type { Config, CrmRecord } from '../core/types.js';
import type { Related } from '../core/related.js';
import type { Derived } from '../core/derived.js';
import { dealHistory } from '../core/derived.js';
import { asNumber, asString, displayName } from '../core/fields.js';
import { daysBetween } from '../core/dates.js';
import { cellText } from './table.js';

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
  return keys.map((k) => `  ${s.dim(k.padEnd(width))}  ${cellText(rec.data[k])}`);
}

function safeRelated(rel: Related): Related {
  const safe = (list: readonly CrmRecord[]) => list.map(terminalSafeRecord);
  return { ...rel, company: rel.company && terminalSafeRecord(rel.company), contacts: safe(rel.contacts), deals: safe(rel.deals), reminders: safe(rel.reminders), interactions: safe(rel.interactions) };
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
  }
  if (rec.type === 'company') {
    const c = derived.company(rec.id);
    out.push('', `  ${c.contacts} contact${c.contacts === 1 ? '' : 's'} · last contact ${ago(c.last_contact, o.today)} · ${c.open_deals} open deal${c.open_deals === 1 ? '' : 's'}`);
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
  const shown = rel.interactions.slice(0, o.limit);
  out.push(
    ...section(
      `Timeline${rel.interactions.length > shown.length ? ` (latest ${shown.length} of ${rel.interactions.length}; --all for every one)` : ''}`,
      shown.map((i) => `  ${String(i.data.date ?? '').padEnd(10)}  ${(asString(i.data.channel) ?? '').padEnd(8)} ${(asString(i.data.direction) ?? '').padEnd(3)}  ${asString(i.data.summary) ?? ''}`),
      s,
    ),
  );
  if (rec.body && rec.body.trim()) out.push('', s.bold('Notes'), ...rec.body.trim().split('\n').map((l) => `  ${l}`));
  return out.join('\n');
}
