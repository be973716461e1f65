/**
 * Keeping contacts and a vdir (one vCard per file: vdirsyncer's and khard's layout) in step, both
 * ways: the plan of one `tb vdir sync` run. Pure: it gets the cards as read, the contacts, the
 * state of the last sync on this machine, and returns what to write on each side and the new state.
 *
 * Rules (docs/vdir.md):
 * - a card and a contact are paired by the card's UID, stored in the contact as `vcard_uid` (a
 *   list when the person has different cards in different address books);
 * - a folder synced with `--where` receives new cards only for the contacts the query selects; a
 *   contact that stops matching keeps its card (reported once), and its card deleted there only
 *   forgets the pair;
 * - a card never seen before goes through the importer's matcher (core/importer.ts), so it joins
 *   the contact it is the same person as, or becomes a new contact — never a wrong merge;
 * - per field, the side that changed since the last sync wins; list fields merge item by item
 *   (added on either side kept, removed on either side dropped); a field both sides changed
 *   differently is a conflict: reported, neither side touched, until one side agrees or `--prefer`;
 * - a card or contact deleted on one side is deleted on the other, unless the other side changed
 *   it since (a conflict) or records still name the contact (kept and reported).
 */
import type { CrmRecord, FrontMatter } from './types.js';
import { asList, asString, normalizeRef } from './fields.js';
import { phoneKey } from './text.js';
import { ordered } from './records.js';
import { fnv1a, slugify, uniqueSlug } from './slug.js';
import { planContactImport } from './importer.js';
import type { Edit, ImportContext, PlanStep } from './importer.js';
import type { ContactDraft } from './import-shapes.js';

/** The contact fields a card carries both ways; the rest of a card is read once, on first import. */
export const SYNCED_FIELDS = ['name', 'emails', 'phones', 'company', 'title', 'birthday', 'links', 'tags'] as const;
export type SyncedField = (typeof SYNCED_FIELDS)[number];
type ListField = 'emails' | 'phones' | 'links' | 'tags';
type ScalarField = Exclude<SyncedField, ListField>;

/** A contact as a card sees it: the company by name. */
export interface CardFields {
  name?: string;
  emails: string[];
  phones: string[];
  company?: string;
  title?: string;
  birthday?: string;
  links: string[];
  tags: string[];
}

/** What both sides held at the last sync, per field: null for empty, absent when never agreed. */
export type BaseFields = Partial<Record<SyncedField, string | string[] | null>>;

export interface StateEntry {
  /** The card's file name in the vdir when last synced. */
  file: string;
  contact: string;
  base: BaseFields;
  /** The contact's whole front matter at the last sync (a hash): changed since, it is not deleted with its card. */
  data?: string;
  /** The card was deleted in the address book but the contact is kept (records name it). */
  card_deleted?: boolean;
  /** The contact does not match the folder's `--where` (reported when it stopped matching). */
  outside?: boolean;
}

/** The last-synced state of one vdir on this machine (`.touchbase/vdir/`, never in git). */
export interface SyncState {
  cards: Record<string, StateEntry>;
  /** The folder's `--where` query: which contacts it receives (absent: every contact). */
  where?: string;
}

/** One card file as read from the vdir. */
export interface VdirCard {
  file: string;
  uid: string;
  draft: ContactDraft;
}

export interface FieldConflict {
  uid: string;
  contact: string;
  field: SyncedField | 'deleted';
  tb: unknown;
  card: unknown;
}

export interface CardWrite {
  file: string;
  uid: string;
  contact: string;
  fields: CardFields;
  /** A card made by tb (no file yet) rather than an edit of the user's card. */
  created: boolean;
  changed: SyncedField[];
}

export interface SyncPlan {
  /** Companies and contacts created, contacts updated (pulled fields, matcher fills, vcard_uid). */
  steps: PlanStep[];
  cardWrites: CardWrite[];
  cardDeletes: Array<{ file: string; uid: string; contact: string }>;
  contactDeletes: Array<{ id: string; path: string; uid: string }>;
  conflicts: FieldConflict[];
  /** Cards or contacts left alone, with why (a duplicate UID, a contact records still name …). */
  notes: Array<{ uid?: string; file?: string; contact?: string; message: string }>;
  state: SyncState;
}

export interface SyncInput {
  cards: VdirCard[];
  /** Card files that could not be read: their UIDs are unknown, so nothing they might be is deleted. */
  unreadableFiles: ReadonlySet<string>;
  /** Every name in the folder: a new card never takes one of them. */
  existingFiles: ReadonlySet<string>;
  contacts: CrmRecord[];
  companies: CrmRecord[];
  state: SyncState;
  ctx: ImportContext;
  prefer?: 'tb' | 'vdir';
  /** How many records name the contact (deals, interactions …): a named contact is never deleted. */
  referencesTo: (contactId: string) => number;
  /** A new UID for a contact that has no card yet. */
  newUid: () => string;
  /** Whether the folder's `--where` selects the contact (absent: every contact). */
  selected?: (contact: CrmRecord) => boolean;
}

/** A contact's card UIDs: one, or one per address book its cards have different UIDs in. */
export function uidsOf(data: FrontMatter): string[] {
  return asList(data.vcard_uid).map((u) => u.trim()).filter(Boolean);
}

/** The value to store for a list of UIDs: a list only when there is more than one. */
function uidValue(uids: string[]): string | string[] {
  return uids.length === 1 ? uids[0] : uids;
}

// ---------------------------------------------------------------------------------------------
// Comparing values

const ITEM_KEY: Record<ListField, (s: string) => string> = {
  emails: (s) => s.trim().toLowerCase(),
  phones: phoneKey,
  links: (s) => s.trim(),
  tags: (s) => s.trim().toLowerCase(),
};

const LIST_FIELDS: readonly ListField[] = ['emails', 'phones', 'links', 'tags'];

/** The one-value spellings a hand-written contact may use for a list field. */
const SINGULAR_KEY: Partial<Record<SyncedField, string>> = { emails: 'email', phones: 'phone', tags: 'tag' };

function isList(f: SyncedField): f is ListField {
  return (LIST_FIELDS as readonly string[]).includes(f);
}

function scalarKey(field: ScalarField, value: string | null | undefined): string {
  const text = (value ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  // A company is one record whatever the case a card writes its name in.
  return field === 'company' ? text.toLowerCase() : text;
}

function listKeys(field: ListField, values: readonly string[]): string[] {
  return [...new Set(values.map(ITEM_KEY[field]))].sort();
}

function sameList(field: ListField, a: readonly string[], b: readonly string[]): boolean {
  return listKeys(field, a).join('\u0000') === listKeys(field, b).join('\u0000');
}

function emptyFields(): CardFields {
  return { emails: [], phones: [], links: [], tags: [] };
}

/** The synced fields of a card read from the vdir. */
export function cardFieldsOf(draft: ContactDraft): CardFields {
  return {
    name: draft.name, emails: [...draft.emails], phones: [...draft.phones], company: draft.company,
    title: draft.title, birthday: draft.birthday, links: [...draft.links], tags: [...draft.tags],
  };
}

/** The synced fields of a contact, its company by name. */
export function contactFieldsOf(data: FrontMatter, companyName: (id: string) => string | undefined): CardFields {
  const companyRef = normalizeRef(data.company);
  return {
    name: asString(data.name), emails: asList(data.emails).concat(asList(data.email)), phones: asList(data.phones).concat(asList(data.phone)),
    company: companyRef ? companyName(companyRef) ?? companyRef : undefined,
    title: asString(data.title), birthday: asString(data.birthday), links: asList(data.links), tags: asList(data.tags).concat(asList(data.tag)),
  };
}

function baseOf(fields: CardFields): BaseFields {
  const out: BaseFields = {};
  for (const f of SYNCED_FIELDS) out[f] = isList(f) ? [...fields[f]] : fields[f] ?? null;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Three-way merge of one pair

interface Merged {
  /** The merged values; a conflicted field holds tb's (see forCard). */
  fields: CardFields;
  /** Fields whose merged value differs from tb's (to write into the contact). */
  pull: SyncedField[];
  /** Fields whose merged value differs from the card's (to write into the card). */
  push: SyncedField[];
  conflicts: SyncedField[];
  base: BaseFields;
}

/**
 * Merges a card with its contact against what both held at the last sync. Without a base (a
 * first pairing) a field empty on one side takes the other's, lists are united, and two different
 * values are a conflict.
 */
export function mergeFields(card: CardFields, tb: CardFields, base: BaseFields | undefined, prefer?: 'tb' | 'vdir'): Merged {
  const out: Merged = { fields: emptyFields(), pull: [], push: [], conflicts: [], base: {} };
  for (const f of SYNCED_FIELDS) {
    if (isList(f)) mergeList(f, card[f], tb[f], base?.[f], out);
    else mergeScalar(f, card[f], tb[f], base, prefer, out);
  }
  return out;
}

/**
 * What the card is to hold: the merged values of the fields to push, its own everywhere else (a
 * conflicted field, a name the card never had: cardSide).
 */
function forCard(merged: Merged, card: CardFields): CardFields {
  const out: CardFields = { ...card };
  for (const f of merged.push) (out as unknown as Record<string, unknown>)[f] = merged.fields[f];
  return out;
}

/**
 * The card's fields as the merge sees them. A card with no name at all (a number saved on a
 * phone: no FN, N, NICKNAME, ORG or EMAIL) holds the name both sides last agreed on, or the one
 * its contact was given from it: tb never writes the number (or any made-up name) into the card as
 * its FN, and the card does not "remove" the contact's name. A name given in tb goes to the card.
 */
export function cardSide(draft: ContactDraft, knownName: string | undefined): CardFields {
  const fields = cardFieldsOf(draft);
  if (!fields.name?.trim() && knownName) fields.name = knownName;
  return fields;
}

/** The name a base holds, if any. */
function baseName(base: BaseFields | undefined): string | undefined {
  const name = base?.name;
  return typeof name === 'string' ? name : undefined;
}

function mergeList(f: ListField, card: string[], tb: string[], base: unknown, out: Merged): void {
  const key = ITEM_KEY[f];
  const inCard = new Set(card.map(key));
  const inTb = new Set(tb.map(key));
  const inBase = new Set(Array.isArray(base) ? base.map((v) => key(String(v))) : []);
  const seen = new Set<string>();
  const merged: string[] = [];
  for (const v of [...tb, ...card]) {
    const k = key(v);
    if (seen.has(k)) continue;
    seen.add(k);
    // In the base but gone from one side: removed there.
    if (inBase.has(k) && (!inCard.has(k) || !inTb.has(k))) continue;
    merged.push(v);
  }
  out.fields[f] = merged;
  out.base[f] = merged;
  if (!sameList(f, merged, tb)) out.pull.push(f);
  if (!sameList(f, merged, card)) out.push.push(f);
}

function mergeScalar(f: ScalarField, card: string | undefined, tb: string | undefined, base: BaseFields | undefined, prefer: 'tb' | 'vdir' | undefined, out: Merged): void {
  const [kc, kt] = [scalarKey(f, card), scalarKey(f, tb)];
  const take = (side: 'tb' | 'vdir') => {
    const value = side === 'tb' ? tb : card;
    out.fields[f] = value;
    out.base[f] = value ?? null;
    if (side === 'vdir' && kc !== kt) out.pull.push(f);
    if (side === 'tb' && kc !== kt) out.push.push(f);
  };
  if (kc === kt) return take('tb');
  const known = base !== undefined && f in base;
  const kb = known ? scalarKey(f, base[f] as string | null) : undefined;
  if (known && kc === kb) return take('tb');
  if (known && kt === kb) return take('vdir');
  if (!known && kc === '') return take('tb');
  if (!known && kt === '') return take('vdir');
  if (prefer) return take(prefer);
  // Both changed, differently: neither side is touched; the old base keeps it a conflict.
  out.fields[f] = tb;
  out.conflicts.push(f);
  if (known) out.base[f] = base[f];
}

// ---------------------------------------------------------------------------------------------
// The whole run

class SyncPlanner {
  readonly plan: SyncPlan;
  private readonly byUid = new Map<string, CrmRecord[]>();
  private readonly companyNames = new Map<string, string>();
  private readonly companyByName = new Map<string, string>();
  private readonly taken: Set<string>;
  /** Contacts this run has paired with a card already. */
  private readonly paired = new Set<string>();
  /** Contacts whose card is gone, decided after the new cards (one may be the same card under a new UID). */
  private readonly gone = new Map<string, CrmRecord>();
  /** File names taken in the folder, and by cards this run makes. */
  private readonly takenFiles: Set<string>;
  /** UIDs with a card in this folder, or known to its state: a contact's card here. */
  private readonly here: Set<string>;
  /** Contacts changed in tb whose card is gone: a conflict, unless a new card takes the old one's place. */
  private readonly editedGone = new Map<string, CrmRecord>();
  /** Contacts with a UID but no card here yet: a card is made after the new cards are matched. */
  private readonly unhoused = new Map<string, CrmRecord>();

  constructor(private readonly input: SyncInput) {
    this.plan = { steps: [], cardWrites: [], cardDeletes: [], contactDeletes: [], conflicts: [], notes: [], state: { cards: {}, where: input.state.where } };
    for (const c of input.contacts) {
      for (const uid of uidsOf(c.data)) this.byUid.set(uid, [...(this.byUid.get(uid) ?? []), c]);
    }
    this.here = new Set([...input.cards.map((c) => c.uid), ...Object.keys(input.state.cards)]);
    for (const c of input.companies) this.learnCompany(c.id, asString(c.data.name) ?? c.id);
    this.taken = new Set(input.ctx.takenIds);
    this.takenFiles = new Set(input.existingFiles);
  }

  private learnCompany(id: string, name: string): void {
    this.companyNames.set(id, name);
    this.companyByName.set(name.toLowerCase(), id);
  }

  companyName = (id: string): string | undefined => this.companyNames.get(id);

  private selected(c: CrmRecord): boolean {
    return this.input.selected ? this.input.selected(c) : true;
  }

  /** Another of the contact's UIDs, listed before `uid`, has its card here: a second card of the person here. */
  private earlierHere(uid: string, c: CrmRecord): string | undefined {
    const uids = uidsOf(c.data);
    return uids.slice(0, Math.max(0, uids.indexOf(uid))).find((u) => this.here.has(u));
  }

  run(): SyncPlan {
    const cardsByUid = this.groupCards();
    const fresh: VdirCard[] = [];
    const uids = new Set([...cardsByUid.keys(), ...Object.keys(this.input.state.cards), ...this.byUid.keys()]);
    for (const uid of uids) {
      const cards = cardsByUid.get(uid) ?? [];
      const contacts = this.byUid.get(uid) ?? [];
      if (cards.length > 1) this.note({ uid, message: `${cards.length} cards have this UID (${cards.map((c) => c.file).join(', ')}); left alone until one is removed` });
      else if (contacts.length > 1) this.note({ uid, message: `${contacts.length} contacts have this vcard_uid (${contacts.map((c) => c.id).join(', ')}); left alone, see tb dedupe` });
      else if (this.input.state.cards[uid] && cards.length === 0 && contacts.length === 0) continue;
      else if (cards.length === 1 && contacts.length === 1 && this.earlierHere(uid, contacts[0])) {
        this.note({ uid, contact: contacts[0].id, message: `this card is the same person as ${contacts[0].id}, which is kept in step with another card (UID ${this.earlierHere(uid, contacts[0])}); left alone — merge the two cards in your address book` });
        this.keepState(uid);
      } else if (cards.length === 1 && contacts.length === 1) this.syncPair(uid, cards[0], contacts[0]);
      else if (cards.length === 1) this.cardOnly(uid, cards[0], fresh);
      else if (contacts.length === 1) this.contactOnly(uid, contacts[0]);
      // Left alone: keep what the state knew, so nothing is taken for a deletion later.
      if (cards.length > 1 || contacts.length > 1) this.keepState(uid);
    }
    this.importFresh(fresh);
    for (const [uid, contact] of this.gone) this.removeWithCard(uid, contact);
    for (const [uid, contact] of this.editedGone) this.keepEdited(uid, contact);
    this.houseUnpaired();
    this.pushUnpaired();
    this.stampData();
    return this.plan;
  }

  private groupCards(): Map<string, VdirCard[]> {
    const out = new Map<string, VdirCard[]>();
    for (const c of this.input.cards) out.set(c.uid, [...(out.get(c.uid) ?? []), c]);
    return out;
  }

  private note(n: SyncPlan['notes'][number]): void {
    this.plan.notes.push(n);
  }

  /** Each paired contact's front matter as it will be after this run's edits, for the next run. */
  private stampData(): void {
    const after = new Map<string, FrontMatter>();
    for (const c of this.input.contacts) after.set(c.id, c.data);
    for (const s of this.plan.steps) {
      if (s.type !== 'contact') continue;
      if (s.op === 'create') after.set(s.id, s.data);
      else after.set(s.id, applyEdits(after.get(s.id) ?? {}, s.edits));
    }
    for (const entry of Object.values(this.plan.state.cards)) {
      const data = after.get(entry.contact);
      if (data && !entry.card_deleted) entry.data = dataHash(data);
    }
  }

  private keepState(uid: string): void {
    const old = this.input.state.cards[uid];
    if (old) this.plan.state.cards[uid] = old;
  }

  private tbFields(c: CrmRecord): CardFields {
    return contactFieldsOf(c.data, this.companyName);
  }

  /** A card and its contact: the three-way merge, then what each side needs. */
  private syncPair(uid: string, card: VdirCard, contact: CrmRecord, base = this.input.state.cards[uid]?.base): void {
    this.paired.add(contact.id);
    this.mergePair(uid, card, contact, base, baseName(base));
    this.markOutside(uid, contact);
  }

  /** A paired contact the folder's --where does not select: kept in step, said once (when it stops matching). */
  private markOutside(uid: string, contact: CrmRecord): void {
    const entry = this.plan.state.cards[uid];
    if (!entry || this.selected(contact)) return;
    if (!this.input.state.cards[uid]?.outside) {
      this.note({ uid, file: entry.file, contact: contact.id, message: `${contact.id} does not match this folder's --where; its card is kept and kept in step (delete the card in the address book to take it out; tb keeps the contact)` });
    }
    entry.outside = true;
  }

  /** The three-way merge of a card and a contact: conflicts reported, each side given what it lacks. */
  private mergePair(uid: string, card: VdirCard, contact: CrmRecord, base: BaseFields | undefined, knownName: string | undefined): void {
    const cardFields = cardSide(card.draft, knownName);
    const tbFields = this.tbFields(contact);
    const merged = mergeFields(cardFields, tbFields, base, this.input.prefer);
    for (const f of merged.conflicts) this.plan.conflicts.push({ uid, contact: contact.id, field: f, tb: tbFields[f], card: cardFields[f] });
    if (merged.pull.length) this.pull(contact, merged.fields, merged.pull);
    if (merged.push.length) this.plan.cardWrites.push({ file: card.file, uid, contact: contact.id, fields: forCard(merged, cardFieldsOf(card.draft)), created: false, changed: merged.push });
    this.plan.state.cards[uid] = { file: card.file, contact: contact.id, base: merged.base };
  }

  /** Writes the merged values of `fields` into the contact (a company by name: linked or created). */
  private pull(contact: CrmRecord, values: CardFields, fields: SyncedField[], extra: Edit[] = []): void {
    const edits: Edit[] = [...extra];
    for (const f of fields) {
      const value = f === 'company' ? this.companyRef(values.company) : values[f];
      edits.push({ key: f, value: Array.isArray(value) ? (value.length ? value : undefined) : value });
      // The merged list is written under its plural name; a singular `email:` beside it would keep old values.
      const alias = SINGULAR_KEY[f];
      if (alias && alias in contact.data) edits.push({ key: alias, value: undefined });
    }
    this.plan.steps.push({ op: 'update', type: 'contact', id: contact.id, path: contact.path, edits });
  }

  private companyRef(name: string | undefined): string | undefined {
    if (!name?.trim()) return undefined;
    const known = this.companyByName.get(name.trim().toLowerCase());
    if (known) return known;
    const id = uniqueSlug(slugify(name) || 'company', (x) => this.taken.has(x));
    this.taken.add(id);
    this.learnCompany(id, name.trim());
    const ctx = this.input.ctx;
    this.plan.steps.unshift({ op: 'create', type: 'company', id, data: ordered('company', { name: name.trim(), owner: ctx.owner, created: ctx.today }) });
    return id;
  }

  /** A card with no contact: new (to import), or its contact was deleted in tb. */
  private cardOnly(uid: string, card: VdirCard, fresh: VdirCard[]): void {
    const old = this.input.state.cards[uid];
    const survivor = old && this.input.contacts.find((c) => c.id === old.contact && uidsOf(c.data).length === 0);
    if (survivor) return this.relink(uid, card, survivor, old);
    if (!old) return void fresh.push(card);
    const editedSince = !sameAsBase(cardSide(card.draft, baseName(old.base)), old.base);
    if (editedSince && this.input.prefer !== 'tb') {
      if (this.input.prefer === 'vdir') return void fresh.push(card);
      this.plan.conflicts.push({ uid, contact: old.contact, field: 'deleted', tb: 'deleted', card: card.draft.name ?? card.file });
      this.plan.state.cards[uid] = old;
      return;
    }
    this.plan.cardDeletes.push({ file: card.file, uid, contact: old.contact });
  }

  /** The contact lost its vcard_uid by hand: paired again by the state's contact id. */
  private relink(uid: string, card: VdirCard, contact: CrmRecord, old: StateEntry): void {
    this.plan.steps.push({ op: 'update', type: 'contact', id: contact.id, path: contact.path, edits: [{ key: 'vcard_uid', value: uid }] });
    this.syncPair(uid, card, contact, old.base);
  }

  /** A contact whose card is gone: deleted in the address book, or never written (a new contact). */
  private contactOnly(uid: string, contact: CrmRecord): void {
    const old = this.input.state.cards[uid];
    if (!old) {
      // No card here yet: one is made after the new cards are matched (one may be this person),
      // under its first UID, if the folder's --where selects it and none of its cards is here.
      if (uidsOf(contact.data).every((u) => u === uid || !this.here.has(u)) && uidsOf(contact.data)[0] === uid && this.selected(contact)) this.unhoused.set(uid, contact);
      return;
    }
    this.paired.add(contact.id);
    if (old.card_deleted) return void (this.plan.state.cards[uid] = old);
    if (!this.selected(contact)) {
      // Taken out of a folder it does not belong in by its --where: the pair is forgotten, the contact stays.
      this.note({ uid, contact: contact.id, file: old.file, message: `card deleted from the folder; ${contact.id} does not match its --where, so tb keeps the contact and sends no new card` });
      return;
    }
    if (this.input.unreadableFiles.has(old.file)) {
      this.note({ uid, contact: contact.id, file: old.file, message: 'the card file could not be read; the contact is left as it is' });
      this.plan.state.cards[uid] = old;
      return;
    }
    const editedSince = !sameAsBase(this.tbFields(contact), old.base) || (old.data !== undefined && old.data !== dataHash(contact.data));
    // Changed in tb since: decided after the new cards, one of which may be this card re-created.
    if (editedSince && this.input.prefer !== 'vdir') return void this.editedGone.set(uid, contact);
    this.gone.set(uid, contact);
  }

  /** The card is gone and the contact changed since: a conflict (or, with --prefer tb, a new card). */
  private keepEdited(uid: string, contact: CrmRecord): void {
    if (this.input.prefer === 'tb') return this.newCard(uid, contact);
    this.plan.conflicts.push({ uid, contact: contact.id, field: 'deleted', tb: asString(contact.data.name) ?? contact.id, card: 'deleted' });
    this.plan.state.cards[uid] = this.input.state.cards[uid];
  }

  /** The card is gone for good (no new card took its place): the contact goes too, unless named. */
  private removeWithCard(uid: string, contact: CrmRecord): void {
    const old = this.input.state.cards[uid];
    const refs = this.input.referencesTo(contact.id);
    if (refs > 0) {
      this.note({ uid, contact: contact.id, message: `card deleted in the address book, but ${refs} ${refs === 1 ? 'record names' : 'records name'} ${contact.id}: kept (tb rm --cascade removes it)` });
      this.plan.state.cards[uid] = { ...old, card_deleted: true };
      return;
    }
    this.plan.contactDeletes.push({ id: contact.id, path: contact.path, uid });
  }

  private newCard(uid: string, contact: CrmRecord): void {
    const fields = this.tbFields(contact);
    const file = this.freeFileName(uid);
    this.plan.cardWrites.push({ file, uid, contact: contact.id, fields, created: true, changed: [...SYNCED_FIELDS] });
    this.plan.state.cards[uid] = { file, contact: contact.id, base: baseOf(fields) };
  }

  /** The UID's file name, or with -2, -3 … when a file of that name is there (a card tb could not read). */
  private freeFileName(uid: string): string {
    const first = cardFileName(uid);
    let file = first;
    for (let n = 2; this.takenFiles.has(file); n++) file = first.replace(/\.vcf$/, `-${n}.vcf`);
    this.takenFiles.add(file);
    return file;
  }

  /** Cards never seen: through the importer's matcher, then paired with what they became. */
  private importFresh(cards: VdirCard[]): void {
    if (!cards.length) return;
    const drafts = cards.map((c, i) => ({ ...c.draft, source: { line: i + 1 } }));
    const ctx = { ...this.input.ctx, takenIds: new Set(this.taken) };
    const plan = planContactImport(drafts, ctx);
    for (const issue of plan.issues) this.note({ file: cards[issue.line - 1]?.file, message: issue.message });
    const created = new Map<string, FrontMatter>();
    for (const s of plan.steps) {
      if (s.op === 'create') {
        this.taken.add(s.id);
        if (s.type === 'company') this.learnCompany(s.id, asString(s.data.name) ?? s.id);
        else created.set(s.id, s.data);
      }
    }
    const claimed = new Map<string, string>();
    for (const row of plan.rows) {
      const card = cards[row.line - 1];
      if (!card || !row.id) continue;
      this.pairFresh(card, row.id, created.get(row.id), plan.steps, claimed);
    }
    for (const s of plan.steps) if (s.op === 'create' || s.edits.length) this.plan.steps.push(s);
  }

  private pairFresh(card: VdirCard, id: string, createdData: FrontMatter | undefined, steps: PlanStep[], claimed: Map<string, string>): void {
    const existing = this.input.contacts.find((c) => c.id === id);
    const uids = existing ? uidsOf(existing.data) : [];
    // Its card in this folder, if any (another UID is a card in another address book).
    const ownUid = uids.find((u) => this.here.has(u));
    // The contact's old card is gone and this one is the same person: the card got a new UID
    // (re-created on a phone, an address book imported again). It takes the old card's place.
    const takesOver = !claimed.has(id) && ownUid !== undefined && (this.gone.has(ownUid) || this.editedGone.has(ownUid));
    if (takesOver) {
      this.gone.delete(ownUid);
      this.editedGone.delete(ownUid);
      this.paired.delete(id);
    }
    const otherUid = takesOver ? undefined : claimed.get(id) ?? ownUid;
    if (otherUid || (existing && this.paired.has(id))) {
      this.note({ uid: card.uid, file: card.file, contact: id, message: `this card is the same person as ${id}, which is kept in step with another card (UID ${otherUid ?? '?'}); left alone — merge the two cards in your address book` });
      return;
    }
    claimed.set(id, card.uid);
    this.paired.add(id);
    if (createdData) {
      createdData.vcard_uid = card.uid;
      const contact: CrmRecord = { type: 'contact', id, path: '', data: createdData };
      // A card with no name gave the contact the name tb made for it: the card is not given it back.
      const merged = mergeFields(cardSide(card.draft, asString(createdData.name)), this.tbFields(contact), undefined, this.input.prefer);
      if (!card.draft.name) this.note({ uid: card.uid, file: card.file, contact: id, message: `the card has no name; the contact is named '${asString(createdData.name) ?? id}' after what it holds — give it a name in tb (it goes to the card) or in the address book` });
      if (merged.push.length) this.plan.cardWrites.push({ file: card.file, uid: card.uid, contact: id, fields: forCard(merged, cardFieldsOf(card.draft)), created: false, changed: merged.push });
      // (Whether the folder's --where selects it is seen from the next run: the query reads the records.)
      this.plan.state.cards[card.uid] = { file: card.file, contact: id, base: merged.base };
      return;
    }
    if (!existing) return;
    const step = steps.find((s): s is Extract<PlanStep, { op: 'update' }> => s.op === 'update' && s.id === id);
    const filled = { ...existing.data, ...Object.fromEntries((step?.edits ?? []).map((e) => [e.key, e.value])) };
    // Taking the old card's place replaces its UID; a card of another address book adds one.
    const edit = { key: 'vcard_uid', value: uidValue(takesOver ? uids.map((u) => (u === ownUid ? card.uid : u)) : [...uids, card.uid]) };
    if (step) step.edits.push(edit);
    else steps.push({ op: 'update', type: 'contact', id, path: existing.path, edits: [edit] });
    const base = takesOver ? this.input.state.cards[ownUid]?.base : undefined;
    this.mergePair(card.uid, card, { ...existing, data: filled }, base, baseName(base));
    this.markOutside(card.uid, existing);
  }

  /** Contacts with a UID and no card here that no new card turned out to be: each gets its card. */
  private houseUnpaired(): void {
    for (const [uid, c] of this.unhoused) {
      if (this.paired.has(c.id)) continue;
      this.paired.add(c.id);
      this.newCard(uid, c);
    }
  }

  /** Contacts with no card at all: each gets a new UID, stored in the contact, and a card. */
  private pushUnpaired(): void {
    for (const c of this.input.contacts) {
      if (this.paired.has(c.id) || uidsOf(c.data).length || !this.selected(c)) continue;
      const uid = this.input.newUid();
      this.plan.steps.push({ op: 'update', type: 'contact', id: c.id, path: c.path, edits: [{ key: 'vcard_uid', value: uid }] });
      this.newCard(uid, c);
    }
  }
}

/** A hash of a contact's front matter, independent of key order. */
export function dataHash(data: FrontMatter): string {
  const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v);
  return fnv1a(JSON.stringify(sorted(data))).toString(16);
}

function sameAsBase(fields: CardFields, base: BaseFields): boolean {
  return SYNCED_FIELDS.every((f) => {
    if (!(f in base)) return true;
    const b = base[f];
    if (isList(f)) return sameList(f, fields[f], Array.isArray(b) ? b.map(String) : []);
    return scalarKey(f, fields[f]) === scalarKey(f, typeof b === 'string' ? b : null);
  });
}

function applyEdits(data: FrontMatter, edits: readonly Edit[]): FrontMatter {
  const out: FrontMatter = { ...data };
  for (const e of edits) {
    if (e.value === undefined) delete out[e.key];
    else out[e.key] = e.value;
  }
  return out;
}

/** The file a new card is written to: its UID, which tb makes from safe characters only. */
export function cardFileName(uid: string): string {
  const safe = uid.replace(/[^A-Za-z0-9@._-]/g, '_').replace(/^[._]+/, '').slice(0, 200);
  return `${safe || 'card'}.vcf`;
}

export function planVdirSync(input: SyncInput): SyncPlan {
  return new SyncPlanner(input).run();
}

/** How many deletions a plan makes on both sides (the safety limit counts them). */
export function deletionsOf(plan: SyncPlan): number {
  return plan.cardDeletes.length + plan.contactDeletes.length;
}
