/**
 * The due engine behind `tb due`: open reminders (overdue, today, coming up), contacts past their
 * keep-in-touch cadence, and open deals past their expected close. Pure: gets the dataset, the
 * derived fields and "today"; returns a Digest the renderers turn into text, Markdown or JSON.
 */
import type { Ctx, CrmRecord, Dataset } from './types.js';
import type { Derived } from './derived.js';
import { addDays, addDuration, datePart, daysBetween, isIsoDate, parseDuration } from './dates.js';
import { reminderContacts, asNumber, asString, dealContacts, displayName, emailsOf, normalizeRef, phonesOf, reminderStatus } from './fields.js';
import { effectiveCadence } from './recurrence.js';
import { UsageError } from '../errors.js';
import { caseCategory, caseSettingsOf, dueCases, slaNow } from './cases.js';
import { parseInstant } from './instants.js';
import { slaTimeZone } from './sla.js';
import { localDate } from './zones.js';

export type DigestKind = 'reminder' | 'keep-in-touch' | 'deal-close' | 'case' | 'new-lead';

export interface DigestContact {
  id: string;
  name: string;
  /** The contact's preferred `channel`. */
  channel?: string;
  /** First email and phone, so the reader can act on the line at once. */
  email?: string;
  phone?: string;
}

export interface DigestDeal {
  id: string;
  title: string;
  value?: number;
  /** The deal's currency, else the configured one. */
  currency?: string;
}

export interface DigestItem {
  kind: DigestKind;
  /** Id and path of the reminder, contact (keep-in-touch) or deal (deal-close). */
  id: string;
  path: string;
  /** The reminder's due date, the day the cadence ran out, or the deal's expected_close. */
  date: string;
  /** Days from `date` to today: > 0 late, 0 today, < 0 upcoming. */
  daysLate: number;
  text: string;
  owner?: string;
  contact?: DigestContact;
  deal?: DigestDeal;
  /** Keep-in-touch only. `rule` is the tag or stage whose rule applied. */
  cadence?: { interval: string; source: string; rule?: string; lastContact?: string };
  /** The reminder's repeat interval. */
  repeat?: string;
  /** New leads only: the lead score, when scoring is configured (docs/scoring.md). */
  score?: number;
  /** Case items only: which SLA deadline, and how it stands. */
  case?: DigestCase;
  /** Kept by an owner filter because nobody owns it. */
  unowned?: boolean;
}

export interface DigestCase {
  status: string;
  priority: string;
  category?: string;
  company?: string;
  /** The deadline shown: first_response until answered, then resolve (or the one breached). */
  sla: 'first_response' | 'resolve';
  /** The deadline instant, with its offset (`2026-11-30T17:00+01:00`). */
  deadline: string;
  /** SLAs already missed. */
  breached: Array<'first_response' | 'resolve'>;
  /** Hours from now to the deadline: negative when late. */
  hoursLeft: number;
}

export interface Digest {
  today: string;
  /** The look-ahead window in days. */
  within: number;
  overdue: DigestItem[];
  dueToday: DigestItem[];
  upcoming: DigestItem[];
  keepInTouch: DigestItem[];
  dealsPastClose: DigestItem[];
  /** Leads assigned to their owner (`assigned:`, written by tb assign) and not touched since, or assigned within the window. */
  newLeads: DigestItem[];
  /** Active cases whose SLA is breached or whose next deadline falls within the window. */
  cases: DigestItem[];
}

export interface DigestOptions {
  /** Days to look ahead for upcoming reminders (0 = today only). */
  within: number;
  /** Only items owned by this owner id, and items nobody owns (marked `unowned`); undefined = everyone's. */
  owner?: string;
  /** With `owner`: leave out the items nobody owns too (`tb due --strict-owner`). */
  strictOwner?: boolean;
  /**
   * Only items about a contact this accepts (e.g. a query). An item passes when its contact — or,
   * for a deal, any of the deal's contacts — passes; items about no contact are then left out.
   */
  contactFilter?: (c: CrmRecord) => boolean;
}

/** The lifecycle stage whose contacts are never nagged about. */
const CHURNED_STAGE = 'churned';

/**
 * Builds the digest. Decisions where the design is silent:
 * - a reminder without a readable `due` is skipped (`tb check` reports it);
 * - a contact never contacted counts its cadence from `created`; with neither an interaction nor
 *   `created` it is skipped, because there is no day to count from;
 * - a contact with an open reminder due by the end of the window (overdue ones included) is not
 *   listed under keep-in-touch: that reminder is the follow-up;
 * - a reminder's owner is its own `owner`, else its contact's, else its deal's; a deal's owner is
 *   its own, else its first contact's; an owner filter keeps the items without an owner, marked
 *   `unowned` (records made before `owners:` was set up belong to nobody, and a cron digest must not
 *   drop them in silence), unless `strictOwner`.
 */
export function computeDigest(ds: Dataset, derived: Derived, ctx: Ctx, opts: DigestOptions): Digest {
  if (!Number.isInteger(opts.within) || opts.within < 0) {
    throw new UsageError(`the window must be a whole number of days, 0 or more (got ${opts.within})`);
  }
  const today = ctx.today;
  const horizon = addDays(today, opts.within);
  const index = new Lookup(ds);
  const keep = (item: DigestItem, related: CrmRecord[]): boolean => passesOwner(item, opts) && passesContacts(related, opts.contactFilter);

  const digest: Digest = { today, within: opts.within, overdue: [], dueToday: [], upcoming: [], keepInTouch: [], dealsPastClose: [], cases: [], newLeads: [] };
  for (const reminder of ds.reminders) {
    const found = reminderItem(reminder, index, today);
    if (!found || found.item.date > horizon || !keep(found.item, found.related)) continue;
    const section = found.item.daysLate > 0 ? digest.overdue : found.item.daysLate === 0 ? digest.dueToday : digest.upcoming;
    section.push(found.item);
  }
  for (const contact of ds.contacts) {
    const item = keepInTouchItem(contact, ds, derived, today, horizon);
    if (item && keep(item, [contact])) digest.keepInTouch.push(item);
  }
  for (const deal of ds.deals) {
    const found = dealCloseItem(deal, index, derived, today);
    if (found && keep(found.item, found.related)) digest.dealsPastClose.push(found.item);
  }
  for (const section of [digest.overdue, digest.dueToday, digest.upcoming, digest.keepInTouch, digest.dealsPastClose]) {
    section.sort(byUrgency);
  }
  // Cases keep the deadline order dueCases gives them (docs/cases.md).
  for (const found of caseItems(ds, index, ctx, horizon)) if (keep(found.item, found.related)) digest.cases.push(found.item);
  for (const contact of ds.contacts) {
    const item = newLeadItem(contact, derived, today, opts.within);
    if (item && keep(item, [contact])) digest.newLeads.push(item);
  }
  digest.newLeads.sort(byScoreThenDate);
  return digest;
}

export function digestIsEmpty(d: Digest): boolean {
  return !d.overdue.length && !d.dueToday.length && !d.upcoming.length && !d.keepInTouch.length && !d.dealsPastClose.length && !d.cases.length && !d.newLeads.length;
}

/** The Cases section: breached, or next deadline before the end of the window's last day. */
function caseItems(ds: Dataset, index: Lookup, ctx: Ctx, horizonDay: string): Found[] {
  if (!ds.cases?.length) return [];
  const settings = caseSettingsOf(ds.config);
  const now = slaNow(ctx, settings);
  const zone = slaTimeZone(settings.sla);
  const horizon = parseInstant(addDays(horizonDay, 1), zone)! - 1;
  const byId = new Map(ds.cases.map((c) => [c.id, c]));
  return dueCases(ds.cases, settings, now, horizon).map((due) => {
    const rec = byId.get(due.id)!;
    const deadlineDay = localDate(parseInstant(due.deadline, zone)!, zone);
    const contact = due.contact === undefined ? undefined : index.contacts.get(due.contact);
    const item: DigestItem = {
      kind: 'case',
      id: due.id,
      path: due.path,
      date: deadlineDay,
      daysLate: daysBetween(deadlineDay, ctx.today),
      text: due.subject,
      case: { status: due.status, priority: due.priority, sla: due.sla, deadline: due.deadline, breached: due.breached, hoursLeft: due.hours_left },
    };
    setIfDefined(item.case!, 'category', caseCategory(rec));
    setIfDefined(item.case!, 'company', due.company);
    setIfDefined(item, 'owner', due.owner ?? ownerOf(contact));
    if (contact) item.contact = contactInfo(contact);
    else if (due.contact !== undefined) item.contact = { id: due.contact, name: due.contact };
    return { item, related: contact ? [contact] : [] };
  });
}

/** Records by id, built once so each item is O(1). */
class Lookup {
  readonly contacts = new Map<string, CrmRecord>();
  readonly deals = new Map<string, CrmRecord>();
  constructor(readonly ds: Dataset) {
    for (const c of ds.contacts) this.contacts.set(c.id, c);
    for (const d of ds.deals) this.deals.set(d.id, d);
  }
  /** The deal's contacts that exist, in the deal's order. */
  contactsOfDeal(deal: CrmRecord): CrmRecord[] {
    return dealContacts(deal).map((id) => this.contacts.get(id)).filter((c): c is CrmRecord => c !== undefined);
  }
}

interface Found {
  item: DigestItem;
  /** The contacts the item is about, for the contact filter. */
  related: CrmRecord[];
}

function reminderItem(reminder: CrmRecord, index: Lookup, today: string): Found | undefined {
  if (reminderStatus(reminder) !== 'open') return undefined;
  const dueText = asString(reminder.data.due);
  if (dueText === undefined || !isIsoDate(dueText)) return undefined;
  const date = datePart(dueText);
  const contactId = reminderContacts(reminder)[0];
  const dealId = normalizeRef(reminder.data.deal);
  const deal = dealId === undefined ? undefined : index.deals.get(dealId);
  const dealPeople = deal ? index.contactsOfDeal(deal) : [];
  const contact = contactId === undefined ? dealPeople[0] : index.contacts.get(contactId);
  const item: DigestItem = {
    kind: 'reminder',
    id: reminder.id,
    path: reminder.path,
    date,
    daysLate: daysBetween(date, today),
    text: asString(reminder.data.text) ?? displayName(reminder),
  };
  // The reminder's own contact outranks its deal; a contact borrowed from the deal ranks after it.
  const namedContact = contactId === undefined ? undefined : contact;
  setIfDefined(item, 'owner', asString(reminder.data.owner) ?? ownerOf(namedContact) ?? ownerOf(deal) ?? ownerOf(contact));
  // A reminder about a contact that no longer exists still shows, under the id it names.
  if (contact) item.contact = contactInfo(contact);
  else if (contactId !== undefined) item.contact = { id: contactId, name: contactId };
  if (deal) item.deal = dealInfo(deal, index.ds);
  else if (dealId !== undefined) item.deal = { id: dealId, title: dealId };
  setIfDefined(item, 'repeat', asString(reminder.data.repeat));
  const related = contact ? [contact] : dealPeople;
  return { item, related };
}

function keepInTouchItem(contact: CrmRecord, ds: Dataset, derived: Derived, today: string, horizon: string): DigestItem | undefined {
  if (asString(contact.data.stage)?.toLowerCase() === CHURNED_STAGE) return undefined;
  const cadence = effectiveCadence(contact, ds.config);
  const interval = cadence && parseDuration(cadence.interval);
  if (!cadence || !interval) return undefined;
  const info = derived.contact(contact.id);
  if (info.next_due !== undefined && info.next_due <= horizon) return undefined;
  const created = asString(contact.data.created);
  const since = info.last_contact ?? (created !== undefined && isIsoDate(created) ? datePart(created) : undefined);
  if (since === undefined) return undefined;
  const ranOut = addDuration(since, interval);
  if (ranOut >= today) return undefined;
  const item: DigestItem = {
    kind: 'keep-in-touch',
    id: contact.id,
    path: contact.path,
    date: ranOut,
    daysLate: daysBetween(ranOut, today),
    text: `keep in touch with ${displayName(contact)}`,
    contact: contactInfo(contact),
    cadence: { interval: cadence.interval, source: cadence.source },
  };
  setIfDefined(item, 'owner', ownerOf(contact));
  setIfDefined(item.cadence!, 'rule', cadence.rule);
  setIfDefined(item.cadence!, 'lastContact', info.last_contact);
  return item;
}

function dealCloseItem(deal: CrmRecord, index: Lookup, derived: Derived, today: string): Found | undefined {
  if (!derived.deal(deal.id).open) return undefined;
  const close = asString(deal.data.expected_close);
  if (close === undefined || !isIsoDate(close) || datePart(close) >= today) return undefined;
  const date = datePart(close);
  const people = index.contactsOfDeal(deal);
  const info = dealInfo(deal, index.ds);
  const item: DigestItem = {
    kind: 'deal-close',
    id: deal.id,
    path: deal.path,
    date,
    daysLate: daysBetween(date, today),
    text: `${info.title}: expected to close ${date}`,
    deal: info,
  };
  setIfDefined(item, 'owner', ownerOf(deal) ?? ownerOf(people[0]));
  if (people[0]) item.contact = contactInfo(people[0]);
  return { item, related: people };
}

/**
 * A lead `tb assign` gave its owner (docs/scoring.md): listed while nobody has touched it since the
 * day it was assigned, and for `within` days after that day in any case.
 */
function newLeadItem(contact: CrmRecord, derived: Derived, today: string, within: number): DigestItem | undefined {
  const assigned = asString(contact.data.assigned);
  const owner = ownerOf(contact);
  if (assigned === undefined || !isIsoDate(assigned) || owner === undefined) return undefined;
  const day = datePart(assigned);
  if (day > today || asString(contact.data.stage)?.toLowerCase() === CHURNED_STAGE) return undefined;
  const last = derived.contact(contact.id).last_contact;
  const untouched = last === undefined || last < day;
  if (!untouched && daysBetween(day, today) > within) return undefined;
  const item: DigestItem = {
    kind: 'new-lead',
    id: contact.id,
    path: contact.path,
    date: day,
    daysLate: daysBetween(day, today),
    text: `new lead ${displayName(contact)}`,
    owner,
    contact: contactInfo(contact),
  };
  setIfDefined(item, 'score', derived.score(contact));
  return item;
}

/** Best lead first; then the most recently assigned; then id. */
function byScoreThenDate(a: DigestItem, b: DigestItem): number {
  return (b.score ?? -Infinity) - (a.score ?? -Infinity) || compare(b.date, a.date) || compare(a.id, b.id);
}

function contactInfo(contact: CrmRecord): DigestContact {
  const info: DigestContact = { id: contact.id, name: displayName(contact) };
  setIfDefined(info, 'channel', asString(contact.data.channel));
  setIfDefined(info, 'email', emailsOf(contact)[0]);
  setIfDefined(info, 'phone', phonesOf(contact)[0]);
  return info;
}

function dealInfo(deal: CrmRecord, ds: Dataset): DigestDeal {
  const info: DigestDeal = { id: deal.id, title: displayName(deal) };
  const value = asNumber(deal.data.value);
  if (value !== undefined) {
    info.value = value;
    info.currency = asString(deal.data.currency)?.toUpperCase() ?? ds.config.currency;
  }
  return info;
}

function ownerOf(rec: CrmRecord | undefined): string | undefined {
  return rec ? asString(rec.data.owner) : undefined;
}

/** The owner filter; an item nobody owns passes it (marked `unowned`) unless the filter is strict. */
function passesOwner(item: DigestItem, opts: DigestOptions): boolean {
  if (opts.owner === undefined) return true;
  if (item.owner === undefined || item.owner.trim() === '') {
    if (opts.strictOwner) return false;
    item.unowned = true;
    return true;
  }
  return item.owner.toLowerCase() === opts.owner.toLowerCase();
}

function passesContacts(related: CrmRecord[], filter: ((c: CrmRecord) => boolean) | undefined): boolean {
  return filter === undefined || related.some(filter);
}

/** Most late first, then date, then the name of who or what it is about, then id for a stable order. */
function byUrgency(a: DigestItem, b: DigestItem): number {
  return b.daysLate - a.daysLate || compare(a.date, b.date) || compare(sortName(a), sortName(b)) || compare(a.id, b.id);
}

function sortName(item: DigestItem): string {
  const name = item.kind === 'deal-close' ? item.deal?.title : item.contact?.name ?? item.deal?.title;
  return (name ?? item.text).toLowerCase();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Keeps optional keys absent rather than `undefined`, so JSON and deep-equal tests stay clean. */
function setIfDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
