/**
 * Planning `tb import eml|mbox|maildir|ics`: which messages and meetings become interactions, for
 * which contacts, in which direction; which are skipped (already logged, nobody known, out of the
 * date range); who wrote that is not a contact yet. Pure and incremental: the command feeds one
 * message at a time (a mailbox never has to fit in memory) and writes what each decision says.
 * The rules are in docs/mail.md.
 */
import type { Config, CrmRecord, FrontMatter } from './types.js';
import { asList, asString } from './fields.js';
import { interactionBaseId, interactionSubdir, ordered } from './records.js';
import { slugify, uniqueSlug } from './slug.js';
import { escapeConflictMarkers, stripControlChars } from './control-chars.js';
import { isEmailAddress } from './email-address.js';
import { isIgnoredAddress } from './mail-settings.js';

export interface Correspondent {
  /** Lower-cased address. */
  address: string;
  name?: string;
}

export interface Attachment {
  name: string;
  size: number;
}

/** A message as the planner needs it: addresses, ids and text, dated in local time. */
export interface IncomingMail {
  /** Where the report points (file, file:line). */
  where: string;
  messageId?: string;
  /** Stable identity from the headers, used when there is no Message-ID. */
  headerHash: string;
  thread?: string;
  /** Local `YYYY-MM-DDTHH:MM`. */
  date: string;
  from: Correspondent[];
  replyTo: Correspondent[];
  to: Correspondent[];
  cc: Correspondent[];
  bcc: Correspondent[];
  subject: string;
  text: string;
  attachments: Attachment[];
  /** List, bulk or automated mail by its headers (interop/mail.ts). */
  bulk?: 'mailing list' | 'bulk mail' | 'automated';
}

/** A meeting occurrence from a calendar, dated in local time (or a day for all-day events). */
export interface IncomingMeeting {
  where: string;
  uid: string;
  /** Original start of a recurring occurrence (`YYYY-MM-DDTHH:MM[:SS]Z`, floating wall time or a day); absent for single events. */
  recurrenceId?: string;
  /** The id an earlier version wrote for the same occurrence (floating times): also counts as imported. */
  legacyRecurrenceId?: string;
  /** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`. */
  date: string;
  /** The start as an instant (ms since 1970); absent for all-day events. */
  startInstant?: number;
  organizer?: Correspondent;
  attendees: Correspondent[];
  summary: string;
  description?: string;
  location?: string;
}

export interface CaptureContext {
  today: string;
  /**
   * The real clock (ms since 1970) when no --as-of day was given: a timed meeting counts as past
   * once it has started. Without it (--as-of), every meeting on or before `today` is past.
   */
  now?: number;
  /** `--since`: nothing dated before this day. */
  since?: string;
  config: Config;
  /** Every address that is "me": owners' emails, git's user.email, --me. Lower-cased. */
  me: ReadonlySet<string>;
  /** Owner stamped on new records when the message does not say whose it is. */
  owner?: string;
  contacts: readonly CrmRecord[];
  companies: readonly CrmRecord[];
  /** Front matter of the interactions already logged (bodies are not needed). */
  interactions: readonly CrmRecord[];
  /** Ids used by contacts, companies and deals (one namespace). */
  takenIds: Set<string>;
  createContacts: boolean;
  /** Log list, bulk and automated mail too (--include-bulk, mail: include_bulk). */
  includeBulk?: boolean;
  /** Domains and addresses never logged nor listed (mail: ignore). */
  ignore?: readonly string[];
  /** A contact's active service case (the latest opened), which its inbound mail is linked to (docs/cases.md). */
  openCaseOf?: ReadonlyMap<string, string>;
}

export type SkipReason = 'already imported' | 'no known contact' | 'before --since' | 'after today' | 'not started yet' | 'mailing list' | 'bulk mail' | 'automated' | 'ignored address' | 'skipped folder';

export interface PlannedContact {
  id: string;
  data: FrontMatter;
}

export type CaptureDecision =
  | { op: 'create'; baseId: string; subdir: string; data: FrontMatter; body?: string; newContacts: PlannedContact[] }
  | { op: 'skip'; reason: SkipReason; newContacts: PlannedContact[] };

export interface UnknownCorrespondent {
  address: string;
  name?: string;
  /** Messages or meetings they were part of. */
  count: number;
  /** The company whose domain the address is at, when one is known. */
  company?: string;
  /** The contact created for them (--create-contacts). */
  created?: string;
}

export interface CaptureCounts {
  created: number;
  skipped: number;
  contacts_created: number;
  skipped_by_reason: Record<SkipReason, number>;
}

/** Automated senders are not people to keep in touch with: never listed, never created. */
const AUTOMATED = /^(no-?reply|do-?not-?reply|donotreply|mailer-daemon|postmaster|bounces?|notifications?)([+._-].*)?@/i;

/** Domains shared by unrelated people: an address there says nothing about a company. */
const FREEMAIL = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'yahoo.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'gmx.de', 'gmx.net', 'web.de', 'proton.me', 'protonmail.com', 'fastmail.com', 'mail.com', 'yandex.ru']);

export class CapturePlanner {
  readonly counts: CaptureCounts = {
    created: 0,
    skipped: 0,
    contacts_created: 0,
    skipped_by_reason: { 'already imported': 0, 'no known contact': 0, 'before --since': 0, 'after today': 0, 'not started yet': 0, 'mailing list': 0, 'bulk mail': 0, automated: 0, 'ignored address': 0, 'skipped folder': 0 },
  };
  private readonly byEmail = new Map<string, string>();
  private readonly logged = new Set<string>();
  private readonly unknown = new Map<string, UnknownCorrespondent>();
  private readonly companyByDomain = new Map<string, string>();
  private readonly ownerByEmail = new Map<string, string>();
  /** Correspondents' addresses that tb check would refuse (no dot in the domain …): never contacts. */
  readonly refused = new Set<string>();

  constructor(private readonly ctx: CaptureContext) {
    const sorted = [...ctx.contacts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const c of sorted) {
      for (const e of [...asList(c.data.emails), ...asList(c.data.email)]) {
        const key = e.trim().toLowerCase();
        if (key && !this.byEmail.has(key)) this.byEmail.set(key, c.id);
      }
    }
    for (const i of ctx.interactions) {
      const mid = asString(i.data.message_id);
      if (mid) this.logged.add(mid);
      const uid = asString(i.data.uid);
      if (uid) this.logged.add(meetingKey(uid, asString(i.data.recurrence_id)));
    }
    for (const co of ctx.companies) {
      const domain = asString(co.data.domain)?.toLowerCase().replace(/^www\./, '').replace(/^https?:\/\//, '').replace(/\/.*$/, '');
      if (domain) this.companyByDomain.set(domain, co.id);
    }
    // A domain all of whose known contacts work at one company points at that company too.
    const seen = new Map<string, Set<string>>();
    for (const c of ctx.contacts) {
      const company = asString(c.data.company);
      for (const e of asList(c.data.emails)) {
        const d = domainOf(e);
        if (!d || FREEMAIL.has(d)) continue;
        const set = seen.get(d) ?? new Set();
        set.add(company ?? '');
        seen.set(d, set);
      }
    }
    for (const [d, set] of seen) if (set.size === 1 && !set.has('') && !this.companyByDomain.has(d)) this.companyByDomain.set(d, [...set][0]);
    for (const [id, o] of Object.entries(ctx.config.owners)) if (o.email) this.ownerByEmail.set(o.email.toLowerCase(), id);
  }

  /** Decides what one message becomes. */
  addMail(m: IncomingMail): CaptureDecision {
    const range = this.outOfRange(m.date);
    if (range) return this.skip(range, []);
    const selective = this.selective(m);
    if (selective) return this.skip(selective, []);
    const kept = (list: Correspondent[]) => list.filter((a) => !this.ignored(a.address));
    const fromMe = m.from.some((a) => this.ctx.me.has(a.address));
    const senders = kept([...m.from, ...(fromMe ? [] : m.replyTo)]);
    const recipients = kept([...m.to, ...m.cc, ...(fromMe ? m.bcc : [])]);
    const others = fromMe ? recipients : [...senders, ...recipients];
    const newContacts = this.noteUnknown(others);
    const key = m.messageId ?? m.headerHash;
    if (this.logged.has(key)) return this.skip('already imported', newContacts);
    const contacts = this.matched(others);
    if (contacts.length === 0) return this.skip('no known contact', newContacts);
    this.logged.add(key);
    const mine = fromMe ? m.from : recipients;
    const owner = this.ownerOf(mine) ?? this.ctx.owner;
    const data = ordered('interaction', {
      date: m.date,
      contacts,
      channel: 'email',
      direction: fromMe ? 'out' : 'in',
      summary: m.subject || '(no subject)',
      case: fromMe ? undefined : this.openCase(contacts),
      owner,
      message_id: key,
      thread: m.thread,
      attachments: m.attachments.length ? m.attachments.map((a) => ({ name: a.name, size: a.size })) : undefined,
    });
    return this.create(data, m.text, newContacts);
  }

  /** Decides what one meeting occurrence becomes. */
  addMeeting(m: IncomingMeeting): CaptureDecision {
    const range = this.outOfRange(m.date) ?? (this.ctx.now !== undefined && m.startInstant !== undefined && m.startInstant > this.ctx.now ? 'not started yet' : undefined);
    if (range) return this.skip(range, []);
    const byMe = m.organizer !== undefined && this.ctx.me.has(m.organizer.address);
    const people = [...(m.organizer ? [m.organizer] : []), ...m.attendees];
    const others = people.filter((p) => !this.ctx.me.has(p.address));
    const newContacts = this.noteUnknown(others);
    const key = meetingKey(m.uid, m.recurrenceId);
    const legacy = m.legacyRecurrenceId ? meetingKey(m.uid, m.legacyRecurrenceId) : undefined;
    if (this.logged.has(key) || (legacy && this.logged.has(legacy))) return this.skip('already imported', newContacts);
    const contacts = this.matched(others);
    if (contacts.length === 0) return this.skip('no known contact', newContacts);
    this.logged.add(key);
    const owner = this.ownerOf(people.filter((p) => this.ctx.me.has(p.address))) ?? this.ctx.owner;
    const data = ordered('interaction', {
      date: m.date,
      contacts,
      channel: 'meeting',
      direction: byMe ? 'out' : 'in',
      summary: m.summary || '(no title)',
      owner,
      uid: m.uid,
      recurrence_id: m.recurrenceId,
    });
    const body = [m.location ? `Location: ${m.location}` : '', m.description ?? ''].filter((s) => s.trim()).join('\n\n');
    return this.create(data, body, newContacts);
  }

  /**
   * Why a message is left out before anyone is looked at (docs/mail.md, "Selective import"): list,
   * bulk or automated mail (unless includeBulk), or a sender in mail: ignore.
   */
  private selective(m: IncomingMail): SkipReason | undefined {
    if (!this.ctx.includeBulk) {
      if (m.bulk) return m.bulk;
      if (m.from.some((a) => AUTOMATED.test(a.address))) return 'automated';
    }
    if (m.from.length && m.from.every((a) => this.ignored(a.address))) return 'ignored address';
    const fromMe = m.from.some((a) => this.ctx.me.has(a.address));
    const recipients = [...m.to, ...m.cc, ...m.bcc].filter((a) => !this.ctx.me.has(a.address));
    if (fromMe && recipients.length && recipients.every((a) => this.ignored(a.address))) return 'ignored address';
    return undefined;
  }

  private ignored(address: string): boolean {
    return this.ctx.ignore !== undefined && this.ctx.ignore.length > 0 && isIgnoredAddress(address, this.ctx.ignore);
  }

  /** Messages of a folder in mail: skip_folders, counted without being read. */
  skipFolder(count: number): void {
    this.counts.skipped += count;
    this.counts.skipped_by_reason['skipped folder'] += count;
  }

  /** The active case of the first matched contact that has one: where their mail about it belongs. */
  private openCase(contacts: readonly string[]): string | undefined {
    for (const c of contacts) {
      const id = this.ctx.openCaseOf?.get(c);
      if (id) return id;
    }
    return undefined;
  }

  /** A planned interaction that could not be written: it is neither created nor logged. */
  notCreated(d: Extract<CaptureDecision, { op: 'create' }>): void {
    this.counts.created--;
    const key = asString(d.data.message_id) ?? (asString(d.data.uid) ? meetingKey(asString(d.data.uid)!, asString(d.data.recurrence_id)) : undefined);
    if (key) this.logged.delete(key);
  }

  /** Correspondents who are not contacts, most frequent first. */
  unknownCorrespondents(): UnknownCorrespondent[] {
    return [...this.unknown.values()].sort((a, b) => b.count - a.count || (a.address < b.address ? -1 : 1));
  }

  private outOfRange(date: string): SkipReason | undefined {
    const day = date.slice(0, 10);
    if (this.ctx.since && day < this.ctx.since) return 'before --since';
    if (day > this.ctx.today) return 'after today';
    return undefined;
  }

  private skip(reason: SkipReason, newContacts: PlannedContact[]): CaptureDecision {
    this.counts.skipped++;
    this.counts.skipped_by_reason[reason]++;
    return { op: 'skip', reason, newContacts };
  }

  private create(data: FrontMatter, text: string, newContacts: PlannedContact[]): CaptureDecision {
    this.counts.created++;
    const date = String(data.date);
    const contacts = data.contacts as string[];
    // What other programs wrote may hold NUL, ESC or conflict markers: never written as such.
    const clean = escapeConflictMarkers(stripControlChars(text)).trim();
    const body = clean ? `\n${clean}\n` : undefined;
    return { op: 'create', baseId: interactionBaseId(date, contacts[0], String(data.channel)), subdir: interactionSubdir(date), data, body, newContacts };
  }

  /** Contact ids for the addresses, in order, each once. */
  private matched(people: readonly Correspondent[]): string[] {
    const ids: string[] = [];
    for (const p of people) {
      const id = this.byEmail.get(p.address);
      if (id && !ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  private ownerOf(mine: readonly Correspondent[]): string | undefined {
    for (const p of mine) {
      const id = this.ownerByEmail.get(p.address);
      if (id) return id;
    }
    return undefined;
  }

  /** Counts the unknown among `people`; with --create-contacts, plans a contact for each new one. */
  private noteUnknown(people: readonly Correspondent[]): PlannedContact[] {
    const created: PlannedContact[] = [];
    const counted = new Set<string>();
    for (const p of people) {
      if (this.ctx.me.has(p.address) || AUTOMATED.test(p.address) || counted.has(p.address)) continue;
      // The one address rule (core/email-address.ts): what tb check refuses is never listed or created.
      if (!isEmailAddress(p.address)) {
        this.refused.add(p.address);
        continue;
      }
      let u = this.unknown.get(p.address);
      // A contact this import created stays listed (and counted) with the unknown it was.
      if (!u && this.byEmail.has(p.address)) continue;
      counted.add(p.address);
      if (!u) {
        const company = this.companyByDomain.get(domainOf(p.address) ?? '');
        u = { address: p.address, ...(p.name ? { name: p.name } : {}), count: 0, ...(company ? { company } : {}) };
        this.unknown.set(p.address, u);
      }
      if (!u.name && p.name) u.name = p.name;
      u.count++;
      if (this.ctx.createContacts && !u.created) {
        const contact = this.newContact(u);
        u.created = contact.id;
        this.byEmail.set(p.address, contact.id);
        created.push(contact);
        this.counts.contacts_created++;
      }
    }
    return created;
  }

  private newContact(u: UnknownCorrespondent): PlannedContact {
    const name = u.name ?? nameFromAddress(u.address);
    const id = uniqueSlug(slugify(name) || slugify(u.address.split('@')[0]) || 'contact', (x) => this.ctx.takenIds.has(x));
    this.ctx.takenIds.add(id);
    const data = ordered('contact', {
      name,
      emails: [u.address],
      company: u.company,
      owner: this.ctx.owner,
      stage: this.ctx.config.lifecycle[0],
      source: 'email',
      created: this.ctx.today,
    });
    return { id, data };
  }
}

/** Identity of a meeting occurrence: its UID, and for a recurring one the original start. */
export function meetingKey(uid: string, recurrenceId: string | undefined): string {
  return recurrenceId ? `${uid}#${recurrenceId}` : uid;
}

function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  return at < 0 ? undefined : address.slice(at + 1).toLowerCase();
}

/** `ada.lovelace@x.org` → `Ada Lovelace`; the address itself when its local part has no words. */
export function nameFromAddress(address: string): string {
  const words = (address.split('@')[0] ?? '').split(/[._+-]+/).filter((w) => /[a-z]/i.test(w));
  return words.length ? words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ') : address;
}
