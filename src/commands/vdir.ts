import crypto from 'node:crypto';
import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { DataError, UsageError } from '../errors.js';
import { RECORD_TYPES } from '../core/types.js';
import type { CrmRecord, RecordType } from '../core/types.js';
import { loadDataset } from '../store/load.js';
import { cardFieldsOf, deletionsOf, planVdirSync } from '../core/vdir-sync.js';
import type { SyncPlan, VdirCard } from '../core/vdir-sync.js';
import { referencesTo } from '../core/remove.js';
import { applyVdirPlan, readSyncState, readVdir, stateRel, vdirNames, vdirPath } from '../store/vdir.js';
import type { VdirListing } from '../store/vdir.js';
import { withRecordLock } from '../store/lock.js';
import { TYPES_LOADED } from '../core/schema.js';
import { buildDerived } from '../core/derived.js';
import { compileQuery, queryNeedsBodies } from '../core/query/index.js';
import { warnQueryWords } from './query-words.js';

/** More deletions than this in one run need --allow-deletes (docs/vdir.md). */
const DELETE_LIMIT = 3;

interface SyncOptions {
  dryRun?: boolean;
  allowDeletes?: boolean;
  prefer?: string;
  where?: string;
}

export function register(program: Command, getApp: GetApp): void {
  const vdir = program
    .command('vdir')
    .description('keep contacts in step with a vdir: the folder of .vcf files vdirsyncer and khard use');
  vdir
    .command('sync')
    .description('sync contacts with a vdir both ways: new, changed and deleted cards and contacts')
    .argument('<dir>', 'the vdir folder (one .vcf file per contact), e.g. ~/.contacts/work')
    .option('-n, --dry-run', 'write nothing; print what would change')
    .option('--allow-deletes', `delete more than ${DELETE_LIMIT} contacts or cards in one run`)
    .option('--prefer <side>', 'settle conflicts (a field changed differently on both sides) for tb or vdir')
    .option('--where <query>', 'which contacts this folder receives (the query language of tb list contacts); remembered for the folder, --where "" for every contact')
    .addHelpText('after', `
A card and a contact are paired by the card's UID, kept in the contact as vcard_uid. A card seen
for the first time is matched like tb import vcard does (same email, profile URL …), so it joins
the contact it is the same person as, or becomes a new one. Contacts without a card get one.
Per field, the side that changed since the last sync wins; emails, phones, links and tags merge
item by item. A field changed differently on both sides is a conflict: reported and left alone
until the sides agree (or --prefer). A card's other properties (PHOTO, X-…, groups) are kept.
The last-synced state is per machine, in .touchbase/ (never in git). See docs/vdir.md.
Two address books: give each folder its --where once (remembered on this machine); a contact
that stops matching keeps its card, and deleting that card only takes it out of the folder.

Examples:
  $ vdirsyncer sync && tb vdir sync ~/.contacts/work && vdirsyncer sync
  $ tb vdir sync ~/.contacts/work --dry-run
  $ tb vdir sync ~/.contacts/work --prefer tb
  $ tb vdir sync ~/.contacts/work --json
  $ tb vdir sync ~/.contacts/family --where tag:family
  $ tb vdir sync ~/.contacts/work --where 'tag:work or company:acme'
`)
    .action(action(getApp, syncCommand));
}

function parsePrefer(word: string | undefined): 'tb' | 'vdir' | undefined {
  if (word === undefined) return undefined;
  if (word === 'tb' || word === 'vdir') return word;
  throw new UsageError(`--prefer takes tb or vdir, not '${word}'`);
}

async function syncCommand(app: App, dirArg: string, opts: SyncOptions): Promise<void> {
  const prefer = parsePrefer(opts.prefer);
  const format = app.format(['text', 'json'], 'text');
  const dir = vdirPath(app.sys.cwd, dirArg);
  // Every record is read only when a card went missing: then whether records name its contact
  // decides whether the contact may go (mailbox-scale interactions are not read on every sync).
  const present = vdirNames(dir);
  const stored = readSyncState(app.root, dir);
  const cardGone = Object.values(stored.cards).some((e) => !present.has(e.file));
  // The folder's selection: the one given (an empty one clears it), else the one remembered.
  const where = opts.where !== undefined ? opts.where.trim() || undefined : stored.where;
  if (where) warnQueryWords(app, where);
  const types: RecordType[] = cardGone ? [...RECORD_TYPES] : [...new Set<RecordType>(['contact', 'company', 'deal', ...(where ? TYPES_LOADED.contact : [])])];
  const { parseVcardBytes } = await import('../interop/vcard.js');
  const { cardUid, isGroupCard, newCard, patchCard } = await import('../interop/vcard-patch.js');
  // One sync of a folder at a time: the state file's lock. The records are read under it, so a
  // second sync plans from what the first one wrote (never from a list read before it ran).
  withRecordLock(app.root, stateRel(dir), () => {
    const ds = loadDataset(app.root, {
      types, now: () => app.sys.now.getTime(),
      // A --where over derived fields (last_contact …) needs the interactions' summary only.
      bodies: where && queryNeedsBodies(where, app.config()) ? ['contact'] : false,
      interactionSummary: where && !cardGone ? app.today : undefined,
    });
    app.warnProblems(ds);
    // Compiled before anything is planned: a query with a mistake changes nothing.
    const selected = where ? compileQuery(where, { dataset: ds, ctx: app.ctx(), derived: buildDerived(ds, app.ctx()), type: 'contact' }) : undefined;
    const listing = readVdir(dir);
    const { cards, skipped } = readCards(listing, parseVcardBytes, cardUid, isGroupCard);
    const byId = new Map(ds.contacts.map((c) => [c.id, c]));
    const plan = planVdirSync({
      cards, unreadableFiles: new Set(skipped.map((s) => s.file)), existingFiles: new Set(listing.names), contacts: ds.contacts, companies: ds.companies,
      state: readSyncState(app.root, dir), prefer,
      ctx: { today: app.today, owner: app.defaultOwner(), config: ds.config, contacts: ds.contacts, companies: ds.companies, deals: ds.deals, takenIds: new Set([...ds.contacts, ...ds.companies, ...ds.deals].map((r) => r.id)) },
      referencesTo: (id) => {
        if (!cardGone) throw new DataError(`a card went missing from ${dirArg} while tb read it; nothing was changed`, undefined, 'run tb vdir sync again');
        return referencesOf(ds, byId.get(id));
      },
      newUid: () => crypto.randomUUID(),
      selected,
    });
    plan.state.where = where;
    const deletions = deletionsOf(plan);
    if (deletions > DELETE_LIMIT && !opts.allowDeletes && !opts.dryRun) {
      report(app, format, dirArg, plan, skipped, true);
      throw new DataError(`vdir sync would delete ${deletions} contacts and cards (more than ${DELETE_LIMIT}); nothing was changed`, undefined, 'check the list above (--dry-run shows it again), then run with --allow-deletes if it is right');
    }
    const source = new Map(listing.cards.map((c) => [c.file, c.bytes]));
    const current = new Map(cards.map((c) => [c.file, c.draft]));
    const bytesFor = (file: string): Buffer => {
      const w = plan.cardWrites.find((x) => x.file === file);
      if (!w) throw new DataError(`no card planned for ${file}`);
      const old = source.get(file);
      const draft = current.get(file);
      return old && draft ? patchCard(old, cardFieldsOf(draft), w.fields) : newCard(w.uid, w.fields);
    };
    if (!opts.dryRun) applyVdirPlan(app.root, dir, plan, { get: bytesFor, original: (file) => source.get(file) }, (rel) => app.wrote(rel, `vdir sync: ${dirArg}`), (rel) => app.willWrite(rel));
    if (where !== stored.where && format === 'text') app.say(where ? `${dirArg} receives the contacts matching: ${where}` : `${dirArg} receives every contact`);
    report(app, format, dirArg, plan, skipped, opts.dryRun === true);
  });
}

type Draft = VdirCard['draft'];

function readCards(
  listing: VdirListing,
  parse: (bytes: Uint8Array) => { items: Draft[]; issues: Array<{ line: number; message: string }> },
  uidOf: (bytes: Uint8Array) => string | undefined,
  isGroup: (bytes: Uint8Array) => boolean,
): { cards: VdirCard[]; skipped: Array<{ file: string; reason: string }> } {
  const cards: VdirCard[] = [];
  const skipped = [...listing.skipped];
  for (const { file, bytes } of listing.cards) {
    if (isGroup(bytes)) continue;
    const uid = uidOf(bytes);
    const parsed = parse(bytes);
    if (!uid) skipped.push({ file, reason: 'the card has no UID (vdirsyncer and khard always write one)' });
    else if (parsed.items.length !== 1) skipped.push({ file, reason: parsed.items.length ? `${parsed.items.length} cards in one file (a vdir holds one per file)` : parsed.issues[0]?.message ?? 'no card in the file' });
    else cards.push({ file, uid, draft: parsed.items[0] });
  }
  return { cards, skipped };
}

function referencesOf(ds: Parameters<typeof referencesTo>[0], contact: CrmRecord | undefined): number {
  return contact ? referencesTo(ds, contact).length : 0;
}

function report(app: App, format: 'text' | 'json', dirArg: string, plan: SyncPlan, skipped: Array<{ file: string; reason: string }>, dryRun: boolean): void {
  const steps = plan.steps.filter((s) => s.type === 'contact');
  const created = steps.filter((s) => s.op === 'create').map((s) => s.id);
  // A contact that only gained its card's UID is not reported as updated.
  const updated = [...new Set(steps.filter((s) => s.op === 'update' && s.edits.some((e) => e.key !== 'vcard_uid')).map((s) => s.id))].filter((id) => !created.includes(id));
  const fieldsOf = (id: string) => [...new Set(steps.filter((s) => s.id === id && s.op === 'update').flatMap((s) => (s.op === 'update' ? s.edits.map((e) => e.key) : [])))].filter((k) => k !== 'vcard_uid');
  if (format === 'json') {
    app.out(JSON.stringify({
      dir: dirArg, dry_run: dryRun, where: plan.state.where ?? null,
      contacts: { created, updated: updated.map((id) => ({ id, fields: fieldsOf(id) })), deleted: plan.contactDeletes.map((d) => d.id) },
      cards: {
        created: plan.cardWrites.filter((w) => w.created).map((w) => ({ file: w.file, contact: w.contact })),
        updated: plan.cardWrites.filter((w) => !w.created).map((w) => ({ file: w.file, contact: w.contact, fields: w.changed })),
        deleted: plan.cardDeletes.map((d) => ({ file: d.file, contact: d.contact })),
      },
      conflicts: plan.conflicts, notes: plan.notes, skipped,
    }, null, 2));
    return;
  }
  for (const c of plan.conflicts) {
    app.warn(c.field === 'deleted'
      ? `conflict: ${c.contact} (card ${c.uid}) was deleted on one side and changed on the other; left alone (--prefer tb or --prefer vdir settles it)`
      : `conflict: ${c.contact} ${c.field}: tb has ${show(c.tb)}, the card has ${show(c.card)}; left alone until they agree (--prefer tb or --prefer vdir)`);
  }
  for (const n of plan.notes) app.warn(`${n.file ?? n.contact ?? n.uid}: ${n.message}`);
  for (const s of skipped) app.warn(`${s.file}: skipped: ${s.reason}`);
  const cardsCreated = plan.cardWrites.filter((w) => w.created).length;
  app.say(`${dirArg}: contacts ${created.length} created, ${updated.length} updated, ${plan.contactDeletes.length} deleted; cards ${cardsCreated} created, ${plan.cardWrites.length - cardsCreated} updated, ${plan.cardDeletes.length} deleted${plan.conflicts.length ? `; ${plan.conflicts.length} conflict${plan.conflicts.length === 1 ? '' : 's'}` : ''}`);
  for (const id of updated) app.say(`  updated ${id} from its card: ${fieldsOf(id).join(', ')}`);
  for (const w of plan.cardWrites) if (!w.created) app.say(`  updated card ${w.file} (${w.contact}): ${w.changed.join(', ')}`);
  for (const d of plan.contactDeletes) app.say(`  deleted ${d.id} (its card was deleted)`);
  for (const d of plan.cardDeletes) app.say(`  deleted card ${d.file} (${d.contact} was removed in tb)`);
  if (dryRun) app.say('Dry run: nothing was written.');
}

function show(v: unknown): string {
  if (v === undefined || v === null || v === '') return 'nothing';
  return Array.isArray(v) ? v.join(', ') : `'${String(v)}'`;
}
