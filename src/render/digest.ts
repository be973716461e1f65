/**
 * Renders the `tb due` digest as terminal text, Markdown (for `| mail`) or a JSON-ready object.
 * An empty digest renders as '' in text and Markdown, so a cron job mails nothing.
 */
import { Chalk } from 'chalk';
import { formatMoney } from './charts.js';
import type { ChalkInstance } from 'chalk';
import type { Digest, DigestItem } from '../core/due.js';
import { daysBetween } from '../core/dates.js';
import { digestIsEmpty } from '../core/due.js';

export interface DigestRenderOptions {
  color: boolean;
  /** The configured currency, for deal values that carry none. */
  currency: string;
}

type Tone = 'late' | 'today' | 'soon';

/** One line of the digest, before it is dressed as text or Markdown. */
interface Line {
  /** Who or what the line is about; absent for a reminder about nobody in particular. */
  who?: string;
  what?: string;
  when: string;
  tone: Tone;
  /** Preferred channel, email, phone: how to act on the line. */
  details: string[];
}

interface Section {
  title: string;
  items: DigestItem[];
}

function sectionsOf(d: Digest): Section[] {
  // What is late comes first: breached cases right after the overdue reminders, before "Coming up".
  const breached = d.cases.filter((c) => c.case?.breached.length);
  const sections: Section[] = [
    { title: 'Overdue', items: d.overdue },
    { title: 'Cases past their SLA', items: breached },
    { title: 'Today', items: d.dueToday },
    { title: `Coming up (next ${d.within === 1 ? 'day' : `${d.within} days`})`, items: d.upcoming },
    { title: 'Keep in touch', items: d.keepInTouch },
    { title: 'Deals past expected close', items: d.dealsPastClose },
    { title: 'Cases', items: d.cases.filter((c) => !c.case?.breached.length) },
    { title: 'New leads', items: d.newLeads },
  ];
  return sections.filter((s) => s.items.length > 0);
}

/** Plain or coloured terminal text, one indented line per item; ends with a newline unless empty. */
export function renderDigestText(d: Digest, opts: DigestRenderOptions): string {
  if (digestIsEmpty(d)) return '';
  const chalk = new Chalk({ level: opts.color ? 1 : 0 });
  const blocks = sectionsOf(d).map((section) => {
    const lines = section.items.map((item) => `  ${textLine(lineOf(item, d, opts), chalk)}`);
    return [chalk.bold(section.title), ...lines].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

/** Markdown: a title, one `##` heading per section, bullet lists; ends with a newline unless empty. */
export function renderDigestMarkdown(d: Digest, opts: DigestRenderOptions): string {
  if (digestIsEmpty(d)) return '';
  const blocks = sectionsOf(d).map((section) => {
    const bullets = section.items.map((item) => `- ${markdownLine(lineOf(item, d, opts))}`);
    return [`## ${section.title}`, '', ...bullets].join('\n');
  });
  return `${[`# Due ${d.today}`, ...blocks].join('\n\n')}\n`;
}

function textLine(line: Line, chalk: ChalkInstance): string {
  const tone = line.tone === 'late' ? chalk.red : line.tone === 'today' ? chalk.yellow : chalk.cyan;
  const parts = [line.who === undefined ? undefined : chalk.bold(clean(line.who)), line.what === undefined ? undefined : clean(line.what)];
  const head = parts.filter((p) => p !== undefined).join(': ');
  const details = line.details.length ? chalk.dim(` · ${line.details.map(clean).join(' · ')}`) : '';
  return `${head} — ${tone(line.when)}${details}`;
}

function markdownLine(line: Line): string {
  const parts = [line.who === undefined ? undefined : `**${escapeMd(line.who)}**`, line.what === undefined ? undefined : escapeMd(line.what)];
  const head = parts.filter((p) => p !== undefined).join(': ');
  const details = line.details.length ? ` · ${line.details.map(clean).join(' · ')}` : '';
  return `${head} — ${line.when}${details}`;
}

function lineOf(item: DigestItem, d: Digest, opts: DigestRenderOptions): Line {
  const line = kindLine(item, d, opts);
  return item.unowned ? { ...line, details: [...line.details, 'unowned'] } : line;
}

function kindLine(item: DigestItem, d: Digest, opts: DigestRenderOptions): Line {
  const tone: Tone = item.daysLate > 0 ? 'late' : item.daysLate === 0 ? 'today' : 'soon';
  switch (item.kind) {
    case 'reminder':
      return reminderLine(item, tone);
    case 'keep-in-touch':
      return { who: item.contact?.name ?? item.id, when: cadenceWhen(item, d), tone, details: contactDetails(item) };
    case 'deal-close':
      return dealLine(item, tone, opts);
    case 'case':
      return caseLine(item);
    case 'new-lead':
      return newLeadLine(item);
  }
}

/** "Ada Lovelace: Invoice wrong [high] — first response overdue since 2026-11-28 13:00 (47 h)". */
function caseLine(item: DigestItem): Line {
  const c = item.case!;
  const at = c.deadline.slice(0, 16).replace('T', ' ');
  const which = c.sla === 'first_response' ? 'first response' : 'resolve';
  const late = c.breached.length > 0;
  const when = late ? `${which} overdue since ${at} (${hoursText(-c.hoursLeft)})` : `${which} due ${at} (in ${hoursText(c.hoursLeft)})`;
  const details = [c.status, ...(c.category ? [c.category] : []), ...contactDetails(item)];
  return { who: item.contact?.name ?? c.company, what: `${item.text} [${c.priority}]`, when, tone: late ? 'late' : item.daysLate === 0 ? 'today' : 'soon', details };
}

/** Hours as "5 h" up to two days, then whole days. */
function hoursText(hours: number): string {
  const h = Math.max(0, hours);
  return h < 48 ? `${Math.round(h)} h` : plural(Math.round(h / 24), 'day');
}

function reminderLine(item: DigestItem, tone: Tone): Line {
  const parts = [item.text];
  // The deal is named when the line is headed by a contact; otherwise it already is the head.
  if (item.contact && item.deal) parts.push(`(deal: ${item.deal.title})`);
  if (item.repeat) parts.push(`(every ${item.repeat})`);
  return { who: item.contact?.name ?? item.deal?.title, what: parts.join(' '), when: relativeDays(item.daysLate), tone, details: contactDetails(item) };
}

function dealLine(item: DigestItem, tone: Tone, opts: DigestRenderOptions): Line {
  const deal = item.deal;
  const what = deal?.value !== undefined ? formatMoney(deal.value, deal.currency ?? opts.currency, { pretty: true }) : undefined;
  const details = item.contact ? [item.contact.name, ...contactDetails(item)] : [];
  return { who: deal?.title ?? item.id, what, when: `expected close ${item.date}, ${daysAgo(item.daysLate)}`, tone, details };
}

/** A lead tb assign gave its owner: "Ada Lovelace: score 77 — assigned 2 days ago, not contacted since". */
function newLeadLine(item: DigestItem): Line {
  const what = item.score === undefined ? undefined : `score ${item.score}`;
  const owner = item.owner === undefined ? '' : ` to ${item.owner}`;
  return { who: item.contact?.name ?? item.id, what, when: `assigned${owner} ${daysAgo(item.daysLate)}`, tone: item.daysLate > 0 ? 'soon' : 'today', details: contactDetails(item) };
}

/** "last contact 97 days ago, cadence 90d (stage customer)". */
function cadenceWhen(item: DigestItem, d: Digest): string {
  const cadence = item.cadence;
  if (!cadence) return relativeDays(item.daysLate);
  const rule = `cadence ${cadence.interval} (${cadenceSource(cadence.source, cadence.rule)})`;
  if (cadence.lastContact === undefined) return `never contacted, ${rule} ran out ${daysAgo(item.daysLate)}`;
  return `last contact ${plural(daysBetween(cadence.lastContact, d.today), 'day')} ago, ${rule}`;
}

function cadenceSource(source: string, rule: string | undefined): string {
  if (source === 'contact') return 'set on contact';
  return rule === undefined ? source : `${source} ${rule}`;
}

/** "3 days late", "today", "tomorrow", "in 2 days". */
export function relativeDays(daysLate: number): string {
  if (daysLate === 0) return 'today';
  if (daysLate === -1) return 'tomorrow';
  if (daysLate < 0) return `in ${plural(-daysLate, 'day')}`;
  return `${plural(daysLate, 'day')} late`;
}

function daysAgo(days: number): string {
  return days === 0 ? 'today' : `${plural(days, 'day')} ago`;
}

function contactDetails(item: DigestItem): string[] {
  const c = item.contact;
  if (!c) return [];
  const out: string[] = [];
  if (c.channel) out.push(`prefers ${c.channel}`);
  if (c.email) out.push(c.email);
  if (c.phone) out.push(c.phone);
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}


/** Control characters (escape sequences included) from a file must not reach the terminal or mail. */
function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

function escapeMd(text: string): string {
  return clean(text).replace(/([\\`*_[\]<>])/g, '\\$1');
}

/*
 * JSON shape of `tb due --format json` (digestToJson). Every section is always present, possibly
 * empty; optional keys are omitted when unknown.
 *
 * {
 *   "today": "2026-11-23",            // the day the digest was computed for (--as-of)
 *   "within": 7,                      // look-ahead window in days
 *   "overdue":          [Item],       // open reminders due before today
 *   "due_today":        [Item],       // open reminders due today
 *   "upcoming":         [Item],       // open reminders due in the next `within` days
 *   "keep_in_touch":    [Item],       // contacts past their keep-in-touch cadence
 *   "deals_past_close": [Item],       // open deals whose expected_close has passed
 *   "cases":            [Item]        // active cases breached or due within the window (docs/cases.md)
 *   "new_leads":        [Item]        // leads tb assign gave their owner: untouched since, or assigned within `within` days
 * }
 *
 * Item:
 * {
 *   "kind": "reminder" | "keep-in-touch" | "deal-close" | "new-lead",
 *   "id": "2026-11-20-ada-lovelace-send-proposal-q7p2",  // reminder, contact or deal id
 *   "path": "reminders/2026-11-20-ada-lovelace-send-proposal-q7p2.md",
 *   "date": "2026-11-20",             // due date, day the cadence ran out, or expected_close
 *   "days_late": 3,                   // > 0 late, 0 today, < 0 upcoming
 *   "text": "Send proposal",
 *   "owner": "sam",
 *   "contact": { "id": "ada-lovelace", "name": "Ada Lovelace", "channel": "email",
 *                "email": "ada@example.com", "phone": "+44 20 7946 0000" },
 *   "deal": { "id": "acme-renewal", "title": "Acme renewal", "value": 12000, "currency": "EUR" },
 *   "cadence": { "interval": "90d", "source": "contact" | "tag" | "stage" | "default",
 *                "rule": "customer", "last_contact": "2026-08-18" },   // keep-in-touch only
 *   "repeat": "1m",                   // repeating reminders only
 *   "case": { "status": "open", "priority": "high", "category": "complaint", "company": "acme",
 *             "sla": "first_response" | "resolve", "deadline": "2026-11-30T17:00+01:00",
 *             "breached": ["first_response"], "hours_left": -3.5 }           // cases only
 *   "score": 77.3,                    // new leads only, when scoring is configured
 *   "unowned": true                   // with --owner: nobody owns it, so it is listed for everyone
 * }
 */
export interface DigestJson {
  today: string;
  within: number;
  overdue: DigestItemJson[];
  due_today: DigestItemJson[];
  upcoming: DigestItemJson[];
  keep_in_touch: DigestItemJson[];
  deals_past_close: DigestItemJson[];
  cases: DigestItemJson[];
  new_leads: DigestItemJson[];
}

export interface DigestItemJson {
  kind: DigestItem['kind'];
  id: string;
  path: string;
  date: string;
  days_late: number;
  text: string;
  owner?: string;
  contact?: DigestItem['contact'];
  deal?: DigestItem['deal'];
  cadence?: { interval: string; source: string; rule?: string; last_contact?: string };
  repeat?: string;
  case?: Omit<NonNullable<DigestItem['case']>, 'hoursLeft'> & { hours_left: number };
  score?: number;
  unowned?: boolean;
}

/** The digest as a plain object with snake_case keys, like the rest of touchbase's JSON. */
export function digestToJson(d: Digest): DigestJson {
  return {
    today: d.today,
    within: d.within,
    overdue: d.overdue.map(itemToJson),
    due_today: d.dueToday.map(itemToJson),
    upcoming: d.upcoming.map(itemToJson),
    keep_in_touch: d.keepInTouch.map(itemToJson),
    deals_past_close: d.dealsPastClose.map(itemToJson),
    cases: d.cases.map(itemToJson),
    new_leads: d.newLeads.map(itemToJson),
  };
}

function itemToJson(item: DigestItem): DigestItemJson {
  const out: DigestItemJson = { kind: item.kind, id: item.id, path: item.path, date: item.date, days_late: item.daysLate, text: item.text };
  if (item.owner !== undefined) out.owner = item.owner;
  if (item.contact) out.contact = { ...item.contact };
  if (item.deal) out.deal = { ...item.deal };
  if (item.cadence) {
    const { lastContact, ...rest } = item.cadence;
    out.cadence = lastContact === undefined ? rest : { ...rest, last_contact: lastContact };
  }
  if (item.repeat !== undefined) out.repeat = item.repeat;
  if (item.case) {
    const { hoursLeft, ...rest } = item.case;
    out.case = { ...rest, hours_left: hoursLeft };
  }
  if (item.score !== undefined) out.score = item.score;
  if (item.unowned) out.unowned = true;
  return out;
}

/**
 * The digest as iCalendar to-dos, for `tb due --format ics` (toIcs in src/interop/ics.ts writes
 * them). Every item is a VTODO due on its date, with a UID that stays the same across runs so a
 * subscribed calendar updates an entry instead of duplicating it:
 * - reminder: `<reminder-id>@touchbase` (a snoozed reminder keeps its UID and moves);
 * - keep-in-touch: `keep-in-touch-<contact-id>-<date the cadence ran out>@touchbase` (logging a
 *   touchpoint ends that to-do; the next lapse is a new one);
 * - deal past close: `deal-close-<deal-id>-<expected_close>@touchbase`;
 * - case: `case-<case-id>-<first_response|resolve>@touchbase` (one to-do per SLA deadline).
 * DESCRIPTION carries the human line (how late, cadence, preferred channel, email, phone) and the
 * file path; CATEGORIES is the section (overdue, today, upcoming, keep-in-touch, deal-close).
 */
export function digestToIcsItems(d: Digest, opts: DigestRenderOptions): Array<{
  uid: string;
  kind: 'todo';
  date: string;
  summary: string;
  description: string;
  categories: string[];
}> {
  const sections: Array<[string, DigestItem[]]> = [
    ['overdue', d.overdue],
    ['today', d.dueToday],
    ['upcoming', d.upcoming],
    ['keep-in-touch', d.keepInTouch],
    ['deal-close', d.dealsPastClose],
    ['case', d.cases],
    ['new-lead', d.newLeads],
  ];
  const plain = new Chalk({ level: 0 });
  return sections.flatMap(([category, items]) =>
    items.map((item) => {
      const line = lineOf(item, d, { ...opts, color: false });
      const summary = item.kind === 'reminder' || item.kind === 'case' ? [line.who, item.text].filter((p) => p !== undefined).map((p) => clean(p!)).join(': ') : capitalize(clean(item.text));
      return {
        uid: `${icsUid(item)}@touchbase`,
        kind: 'todo' as const,
        date: item.date,
        summary,
        description: `${textLine(line, plain)}\n${item.path}`,
        categories: [category],
      };
    }),
  );
}

function icsUid(item: DigestItem): string {
  if (item.kind === 'reminder') return item.id;
  if (item.kind === 'case') return `case-${item.id}-${item.case?.sla ?? 'sla'}`;
  return `${item.kind}-${item.id}-${item.date}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
