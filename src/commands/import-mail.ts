/**
 * `tb import eml|mbox|maildir|ics`: wiring only. The store reads messages one at a time, interop
 * parses each (postal-mime, ical.js), core/mail-import.ts decides, and this file writes and
 * reports. See docs/mail.md.
 */
import type { App } from '../app.js';
import { DataError, TbError, UsageError } from '../errors.js';
import type { CrmRecord } from '../core/types.js';
import { CapturePlanner } from '../core/mail-import.js';
import { readMailSettings } from '../core/mail-settings.js';
import { stripControlChars } from '../core/control-chars.js';
import type { MailSettings } from '../core/mail-settings.js';
import { activeCaseByContact, caseSettingsOf } from '../core/cases.js';
import { isTimeZone, wallClockText } from '../core/zones.js';
import type { CaptureDecision, IncomingMail, UnknownCorrespondent } from '../core/mail-import.js';
import { parseWhen } from '../core/dates.js';
import { DEFAULT_MAIL_LIMITS, MailParseError, parseMessage, tooLarge } from '../interop/mail.js';
import type { MailMessage } from '../interop/mail.js';
import { listMaildir, readMbox, readMessageFiles, readStdinMessage } from '../store/mailbox.js';
import { folderToScan } from '../store/mail-state.js';
import type { MessageFile, RawMail } from '../store/mailbox.js';
import { createRecord } from '../store/write.js';
import { flushWritten } from '../store/bulk-write.js';
import { recordExistsAnywhere } from '../store/lookup.js';
import { readInputFile } from '../store/io.js';
import { gitUserEmail } from '../store/git.js';
import { isDirectory } from '../store/ics-vdir.js';
import type { IcsParse } from '../interop/ics-import.js';

export type MailFormat = 'eml' | 'mbox' | 'maildir' | 'ics';
export const MAIL_FORMATS: readonly MailFormat[] = ['eml', 'mbox', 'maildir', 'ics'];

export interface MailImportOptions {
  dryRun?: boolean;
  since?: string;
  me?: string[];
  createContacts?: boolean;
  includeBulk?: boolean;
  /** maildir, eml DIR: read every message, not only those new since the last run. */
  rescan?: boolean;
}

interface Issue {
  where: string;
  /** The line in an mbox or .ics file, as the CSV and vCard imports report it. */
  line?: number;
  message: string;
  /** 1-based message number in an mbox or Maildir. */
  message_number?: number;
}

interface Written {
  op: 'create' | 'update';
  type: 'interaction' | 'contact';
  id: string;
  path: string;
}

/**
 * `YYYY-MM-DDTHH:MM` of an instant in the local time zone: the `TZ` of the command's environment
 * when it names a zone (so an in-process run with its own environment is honoured), else the
 * process's (POSIX rules such as CET-1CEST included).
 */
export function localDateTime(instant: number, tz?: string): string {
  const zone = tz?.replace(/^:/, '');
  if (zone && isTimeZone(zone)) return wallClockText(instant, zone);
  const p = (n: number) => String(n).padStart(2, '0');
  const d = new Date(instant);
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export async function importMail(app: App, format: MailFormat, inputs: string[], opts: MailImportOptions): Promise<void> {
  const outFormat = app.format(['text', 'json'], 'text');
  const what = format === 'maildir' ? 'directory' : format === 'ics' ? 'file or calendar folder' : 'file';
  if (inputs.length === 0) throw new UsageError(`tb import ${format} needs a ${what}`, format === 'eml' ? 'use - to read one message from stdin' : undefined);
  if (format !== 'eml' && inputs.length > 1) throw new UsageError(`tb import ${format} takes one ${what}, got ${inputs.length}`);
  if (inputs.filter((f) => f === '-').length > 0 && inputs.length > 1) throw new UsageError("'-' (stdin) cannot be combined with files");
  const since = opts.since ? parseWhen(opts.since, app.today, '--since date') : undefined;
  const me = new Set<string>();
  for (const m of opts.me ?? []) {
    if (!/^[^\s@]+@[^\s@]+$/.test(m.trim())) throw new UsageError(`--me expects an e-mail address, got '${m}'`);
    me.add(m.trim().toLowerCase());
  }

  // A Maildir or a folder of .eml: only what this machine has not read yet (store/mail-state.ts).
  const scan = folderToScan(app.root, app.sys.cwd, format, inputs, { mode: JSON.stringify([opts.since ?? null, opts.createContacts === true]), rescan: opts.rescan, now: () => app.sys.now.getTime() });
  if (scan?.fresh.length === 0) return reportNothingNew(app, outFormat, format, inputs, scan.known);

  const ds = await app.load({ types: ['contact', 'company', 'deal', 'interaction', 'case'] });
  const config = ds.config;
  const { settings: mail, problems: mailProblems } = readMailSettings(config.raw);
  if (mailProblems.length) throw new DataError(`touchbase.yaml: ${mailProblems[0].message}`, { path: 'touchbase.yaml' }, 'fix the mail: section (docs/config.md); tb check lists every problem');
  const channel = format === 'ics' ? 'meeting' : 'email';
  if (!config.channels.includes(channel)) {
    throw new DataError(`channel '${channel}' is not one of the channels in touchbase.yaml (${config.channels.join(', ')})`, { path: 'touchbase.yaml' }, `add ${channel} to channels: the imported interactions use it`);
  }
  for (const o of Object.values(config.owners)) if (o.email) me.add(o.email.toLowerCase());
  const gitEmail = gitUserEmail(app.root);
  if (gitEmail) me.add(gitEmail.toLowerCase());
  if (me.size === 0) app.warn("no address is 'me' (no owner has an email in touchbase.yaml, no git user.email, no --me): every message counts as received");

  const planner = new CapturePlanner({
    today: app.today,
    // Without --as-of, a meeting later today is not past yet (docs/mail.md).
    now: app.opts.asOf === undefined ? app.sys.now.getTime() : undefined,
    since,
    config,
    me,
    owner: app.defaultOwner(),
    contacts: ds.contacts,
    companies: ds.companies,
    interactions: ds.interactions,
    takenIds: new Set([...ds.contacts, ...ds.companies, ...ds.deals].map((r) => r.id)),
    createContacts: opts.createContacts === true,
    includeBulk: opts.includeBulk === true || mail.includeBulk,
    ignore: mail.ignore,
    openCaseOf: activeCaseByContact(ds.cases, caseSettingsOf(config)),
  });
  const run = new Run(app, planner, opts.dryRun === true, inputs.length === 1 ? inputs[0] : `${inputs.length} files`, mail);

  try {
    if (format === 'ics' && isDirectory(app.sys.cwd, inputs[0])) {
      // Loaded when used (it imports this module back for the per-file import).
      const { importIcsDir } = await import('./import-ics-dir.js');
      await importIcsDir(app, run, inputs[0], config.timezone ?? app.env.TZ, ds.interactions);
    }
    else if (format === 'ics') await importIcs(app, run, inputs[0], config.timezone ?? app.env.TZ);
    else await importMessages(app, run, format, inputs, scan?.fresh);
  } finally {
    // Written files are made durable at once, also when the import stopped half-way.
    flushWritten(app.root, app.written);
    run.progressDone();
  }

  if (planner.refused.size) {
    const list = [...planner.refused].slice(0, 5).join(', ');
    run.note(run.label, `${planner.refused.size} address${planner.refused.size === 1 ? '' : 'es'} left out of the correspondents, as tb check refuses them (no dot in the domain): ${list}${planner.refused.size > 5 ? ', …' : ''}`);
  }
  if (scan && !run.dryRun) scan.save();
  const unknown = planner.unknownCorrespondents();
  const c = planner.counts;
  if (outFormat === 'json') {
    app.out(JSON.stringify({
      file: run.label,
      files: inputs,
      format,
      dry_run: run.dryRun,
      read: run.read,
      already_read: scan?.known ?? 0,
      created: c.created,
      updated: run.moved + run.cancelled + run.postponed,
      ...(format === 'ics' ? { moved: run.moved, cancelled: run.cancelled, postponed: run.postponed, unchanged_files: run.unchangedFiles } : {}),
      skipped: c.skipped,
      skipped_by_reason: c.skipped_by_reason,
      contacts_created: c.contacts_created,
      records: run.records,
      issues: run.issues,
      notes: run.notes,
      unknown_correspondents: unknown,
    }, null, 2));
  } else {
    for (const line of summaryLines(run, planner, format, unknown)) app.say(line);
  }
  if (run.read > 0 && run.read === run.issues.length) throw new DataError(`nothing could be imported from ${run.label}`);
}

/** How the summary line names each skip reason. */
const REASON_TEXT: Record<string, string> = {
  'no known contact': 'with no known contact',
  'mailing list': 'from mailing lists',
  'ignored address': 'from ignored addresses',
  'skipped folder': 'in skipped folders',
};

/** A Maildir or .eml folder with nothing this machine has not read: nothing loaded, nothing written. */
function reportNothingNew(app: App, outFormat: string, format: MailFormat, inputs: string[], known: number): void {
  if (outFormat === 'json') {
    app.out(JSON.stringify({
      file: inputs[0], files: inputs, format, dry_run: false, read: 0, already_read: known, created: 0, updated: 0, skipped: 0, skipped_by_reason: {},
      contacts_created: 0, records: [], issues: [], notes: [], unknown_correspondents: [],
    }, null, 2));
  } else {
    app.say(`${inputs[0]}: nothing new (${known} message${known === 1 ? '' : 's'} read before; --rescan reads them again)`);
  }
}

function summaryLines(run: Run, planner: CapturePlanner, format: MailFormat, unknown: UnknownCorrespondent[]): string[] {
  const c = planner.counts;
  const noun = format === 'ics' ? 'meeting' : 'message';
  const reasons = Object.entries(c.skipped_by_reason).filter(([, n]) => n > 0).map(([r, n]) => `${n} ${REASON_TEXT[r] ?? r}`);
  const problems = run.issues.length ? ` (${run.issues.length} ${run.issues.length === 1 ? 'problem' : 'problems'} reported)` : '';
  const lines = [
    `${run.label}: ${run.read} ${noun}${run.read === 1 ? '' : 's'} read; ${c.created} interaction${c.created === 1 ? '' : 's'} created, ${c.skipped} skipped${reasons.length ? ` (${reasons.join(', ')})` : ''}${c.contacts_created ? `; ${c.contacts_created} contact${c.contacts_created === 1 ? '' : 's'} created` : ''}${problems}`,
  ];
  if (run.moved || run.cancelled || run.postponed || run.unchangedFiles) {
    lines[0] += `; ${run.moved} moved, ${run.cancelled} marked cancelled${run.postponed ? `, ${run.postponed} marked postponed` : ''}${run.unchangedFiles ? `; ${run.unchangedFiles} unchanged file${run.unchangedFiles === 1 ? '' : 's'} not read` : ''}`;
  }
  if (unknown.length) {
    lines.push('', `Unknown correspondents (${unknown.length})${planner.counts.contacts_created ? '' : ': tb import … --create-contacts makes them contacts'}`);
    const width = Math.max(...unknown.map((u) => u.address.length));
    for (const u of unknown.slice(0, 50)) {
      const extra = [u.company ? `at ${u.company}?` : '', u.created ? `→ contact ${u.created}` : ''].filter(Boolean).join(' ');
      lines.push(`  ${String(u.count).padStart(4)}  ${u.address.padEnd(width)}  ${u.name ?? ''}${extra ? `  ${extra}` : ''}`);
    }
    if (unknown.length > 50) lines.push(`  … and ${unknown.length - 50} more (--json lists all)`);
  }
  const bulk = c.skipped_by_reason['mailing list'] + c.skipped_by_reason['bulk mail'] + c.skipped_by_reason.automated;
  if (bulk) lines.push(`(${bulk} list, bulk or automated message${bulk === 1 ? '' : 's'} not logged: --include-bulk logs them)`);
  if (run.dryRun) lines.push('Dry run: nothing was written.');
  return lines;
}

/** What one import run has done so far: the writes, problems and notes, the progress line. */
export class Run {
  read = 0;
  /** Calendar folders: meetings moved to their new date, marked cancelled, marked postponed (moved to a day to come). */
  moved = 0;
  cancelled = 0;
  postponed = 0;
  /** Calendar folders: files left unread (as last read, nothing still to come). */
  unchangedFiles = 0;
  readonly records: Written[] = [];
  readonly issues: Issue[] = [];
  readonly notes: Issue[] = [];
  private readonly renamed = new Map<string, string>();
  /** Folders this run has written in: checked once, not for each of thousands of messages. */
  private readonly folders = new Set<string>();
  private readonly progress: boolean;
  private progressShown = false;

  constructor(private readonly app: App, readonly planner: CapturePlanner, readonly dryRun: boolean, readonly label: string, readonly mail: MailSettings) {
    this.progress = app.sys.stderrIsTTY === true && !app.quiet;
  }

  problem(place: string, text: string, number?: number, line?: number): void {
    // Header text (or a file name) quoted in a report never reaches the terminal with its ESC or NUL.
    const [where, message] = [stripControlChars(place), stripControlChars(text)];
    this.issues.push({ where, ...(line !== undefined ? { line } : {}), message, ...(number !== undefined ? { message_number: number } : {}) });
    this.app.sys.writeErr(`${this.progressShown ? '\r\x1b[K' : ''}${where}: ${message}\n`);
  }

  note(place: string, text: string, number?: number, line?: number): void {
    const [where, message] = [stripControlChars(place), stripControlChars(text)];
    this.notes.push({ where, ...(line !== undefined ? { line } : {}), message, ...(number !== undefined ? { message_number: number } : {}) });
    this.app.sys.writeErr(`${this.progressShown ? '\r\x1b[K' : ''}${where}: note: ${message}\n`);
  }

  /** Writes what a decision says (nothing on --dry-run, but the records are still listed). */
  apply(d: CaptureDecision): void {
    for (const c of d.newContacts) {
      let id = c.id;
      if (!this.dryRun) {
        const rec = createRecord(this.app.root, { type: 'contact', baseId: c.id, data: c.data, durable: false, checkedFolders: this.folders, beforeCreate: (rel) => this.app.willWrite(rel) }, (x) => recordExistsAnywhere(this.app.root, x, 'contact'));
        if (rec.id !== c.id) this.renamed.set(c.id, rec.id);
        id = rec.id;
        this.app.wrote(rec.path, `import: ${this.label}`);
      }
      this.records.push({ op: 'create', type: 'contact', id, path: `contacts/${id}.md` });
    }
    if (d.op !== 'create') return;
    const data = { ...d.data, contacts: (d.data.contacts as string[]).map((id) => this.renamed.get(id) ?? id) };
    if (this.dryRun) {
      this.records.push({ op: 'create', type: 'interaction', id: d.baseId, path: `interactions/${d.subdir}/${d.baseId}-….md` });
      return;
    }
    const rec: CrmRecord = createRecord(this.app.root, { type: 'interaction', baseId: d.baseId, subdir: d.subdir, data, body: d.body, randomSuffix: true, durable: false, checkedFolders: this.folders, beforeCreate: (rel) => this.app.willWrite(rel) });
    this.app.wrote(rec.path, `import: ${this.label}`);
    this.records.push({ op: 'create', type: 'interaction', id: rec.id, path: rec.path });
  }

  tick(text: string): void {
    if (!this.progress) return;
    this.progressShown = true;
    this.app.sys.writeErr(`\r\x1b[K${text}`);
  }

  progressDone(): void {
    if (this.progressShown) this.app.sys.writeErr('\r\x1b[K');
  }
}

/** A bar of 24 cells for a fraction. */
function bar(fraction: number): string {
  const cells = Math.max(0, Math.min(24, Math.round(fraction * 24)));
  return `[${'#'.repeat(cells)}${'.'.repeat(24 - cells)}] ${Math.round(fraction * 100)}%`;
}

async function importMessages(app: App, run: Run, format: Exclude<MailFormat, 'ics'>, inputs: string[], fresh?: MessageFile[]): Promise<void> {
  const limit = DEFAULT_MAIL_LIMITS.maxMessageBytes;
  // In a mailbox, the report also gives each message's number.
  const numbered = format !== 'eml';
  const handle = async (raw: RawMail) => {
    run.read++;
    await importOne(app, run, raw, numbered);
  };
  if (format === 'mbox' && skippedFolder(inputs[0], run.mail.skipFolders)) {
    for await (const raw of readMbox(app.sys.cwd, inputs[0], limit)) {
      run.read++;
      run.planner.skipFolder(1);
      void raw;
    }
    return;
  }
  if (format === 'mbox') {
    // Progress by the bytes of the messages handled (the reader runs up to 1 MB ahead).
    let total = 0;
    let done = 0;
    for await (const raw of readMbox(app.sys.cwd, inputs[0], limit, (_read, size) => (total = size))) {
      await handle(raw);
      done += raw.size;
      if (run.read % 50 === 0) run.tick(`importing ${inputs[0]} ${bar(total ? done / total : 1)} ${run.read} messages`);
    }
    return;
  }
  const files = fresh ?? (format === 'maildir' ? listMaildir(app.sys.cwd, inputs[0]) : inputs);
  if (format === 'maildir' && skippedFolder(inputs[0], run.mail.skipFolders)) {
    run.read += files.length;
    run.planner.skipFolder(files.length);
    return;
  }
  // '-' is never combined with files.
  if (files[0] === '-') return handle(readStdinMessage(limit, app.sys.now));
  for await (const got of readMessageFiles(app.sys.cwd, files, limit)) {
    if ('error' in got) {
      // One unreadable file among several is a problem for that file; alone, it is the error.
      if (files.length === 1 || !(got.error instanceof TbError)) throw got.error;
      run.read++;
      run.problem(typeof got.file === 'string' ? got.file : got.file.shown, `${got.error.message}; skipped`);
      continue;
    }
    await handle(got.raw);
    if (run.read % 50 === 0) run.tick(`importing ${bar(run.read / files.length)} ${run.read}/${files.length} messages`);
  }
}

/**
 * Whether a Maildir or mbox is one of mail: skip_folders: its own name (`Spam`), a Maildir++
 * folder's last part (`.INBOX.Spam`, `.Junk`) or Thunderbird's `Junk` mbox, case-insensitively.
 */
function skippedFolder(input: string, skip: readonly string[]): boolean {
  if (!skip.length) return false;
  const base = input.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  const names = [base, ...base.replace(/^\./, '').split('.')].map((n) => n.toLowerCase()).filter(Boolean);
  return names.some((n) => skip.includes(n));
}

async function importOne(app: App, run: Run, raw: RawMail, numbered: boolean): Promise<void> {
  const num = numbered ? raw.number : undefined;
  const label = (m: string) => (num !== undefined ? `message ${num}: ${m}` : m);
  if (!raw.bytes) {
    run.problem(raw.where, label(`${tooLarge(raw.size, DEFAULT_MAIL_LIMITS.maxMessageBytes)}; skipped`), num, raw.line);
    return;
  }
  let msg: MailMessage;
  try {
    msg = await parseMessage(raw.bytes, DEFAULT_MAIL_LIMITS, run.mail.legacyCharset);
  } catch (err) {
    // Anything a hostile or broken message makes a parser throw is that message's problem only.
    const why = err instanceof MailParseError ? err.message : `cannot be read (${(err as Error).message})`;
    run.problem(raw.where, label(`${why}; skipped`), num, raw.line);
    return;
  }
  for (const w of msg.warnings) run.note(raw.where, label(w), num, raw.line);
  let instant = msg.sent;
  if (instant === undefined) {
    // The delivery time a server stamped beats the file's or the mailbox's own times.
    instant = msg.received ?? raw.fallbackDate ?? app.sys.now.getTime();
    const what = msg.received !== undefined ? 'its Received header' : raw.fallbackDate !== undefined ? raw.fallbackWhat ?? 'the file' : 'the time of the import';
    run.note(raw.where, label(`${msg.badDate ? `Date header '${msg.badDate.slice(0, 60)}' is not a date` : 'no Date header'}; dated by ${what}`), num, raw.line);
  }
  const mail: IncomingMail = { ...msg, where: raw.where, date: localDateTime(instant, app.env.TZ) };
  const decision = run.planner.addMail(mail);
  try {
    run.apply(decision);
  } catch (err) {
    // A message that cannot be stored (text the reader would refuse, a disk error) is one problem;
    // it was not logged, so a re-run meets it again and goes past it again.
    if (decision.op === 'create') run.planner.notCreated(decision);
    const why = err instanceof TbError ? err.message.replace(/; nothing written$/, '') : `cannot be stored (${(err as Error).message})`;
    run.problem(raw.where, label(`${why}; skipped`), num, raw.line);
  }
}

async function importIcs(app: App, run: Run, file: string, floatingZone: string | undefined): Promise<void> {
  await importIcsText(app, run, file, readInputFile(app.sys.cwd, file), floatingZone);
}

/** The stored `date` of a meeting start: local time by the machine's zone, or the day. */
export function meetingDate(app: App, start: { instant: number } | { day: string }): string {
  return 'day' in start ? start.day : localDateTime(start.instant, app.env.TZ);
}

/** Logs the past meetings of one calendar text (`where` names it in the report); returns the parse. */
export async function importIcsText(app: App, run: Run, where: string, text: string, floatingZone: string | undefined): Promise<IcsParse> {
  const { parseIcsMeetings, NotICalendarError } = await import('../interop/ics-import.js');
  const { readableParseError } = await import('../interop/ics-blocks.js');
  let parsed: IcsParse;
  try {
    parsed = parseIcsMeetings(text, app.today, (instant) => localDateTime(instant, app.env.TZ).slice(0, 10), floatingZone, { clock: app.sys.clock });
  } catch (err) {
    if (err instanceof NotICalendarError) {
      throw new DataError(`${where}: not an iCalendar file (${err.message})`, undefined, 'export the calendar as an .ics file; for one e-mail use tb import eml');
    }
    // Never a JavaScript message ("Cannot read properties of undefined") as the answer.
    throw new DataError(`${where}: cannot be read as iCalendar (${readableParseError(err)})`);
  }
  for (const i of parsed.issues) run.problem(`${where}:${i.line}`, i.message, undefined, i.line);
  for (const n of parsed.notes) run.note(`${where}:${n.line}`, n.message, undefined, n.line);
  for (const occ of parsed.occurrences) {
    run.read++;
    run.apply(run.planner.addMeeting({
      where: `${where}:${occ.line}`,
      uid: occ.uid,
      // UTC (or the wall time as written, for floating times): the same on every machine.
      recurrenceId: occ.recurrenceKey,
      legacyRecurrenceId: occ.legacyRecurrenceKey,
      date: meetingDate(app, occ.start),
      startInstant: 'instant' in occ.start ? occ.start.instant : undefined,
      organizer: occ.organizer,
      attendees: occ.attendees,
      summary: occ.summary,
      description: occ.description,
      location: occ.location,
    }));
  }
  return parsed;
}
