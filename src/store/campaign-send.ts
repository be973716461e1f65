/**
 * Sending a campaign exactly once (docs/campaigns.md, "Never a double send"). One send per
 * campaign at a time (a lock that a dead process loses); each recipient is claimed in the send
 * journal (store/send-journal.ts) before its message is handed to the transport, and its
 * interaction is written right after. A run first settles the claims an earlier run left: a
 * message that is found in the `.eml` folder or the mbox is recorded as sent, one that is not is
 * released and sent again, and one handed to sendmail by a process that died is *unknown* —
 * reported, never resent silently (`--retry-unknown` after checking the sent folder).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DataError, TbError, UsageError } from '../errors.js';
import type { CrmRecord } from '../core/types.js';
import { tryHoldLock, withRecordLock } from './lock.js';
import { readRecordText } from './load.js';
import { editFrontMatter } from './roundtrip.js';
import type { FrontMatterEdit } from './roundtrip.js';
import { createRecord, writeFileAtomic } from './write.js';
import type { NewRecord } from './write.js';
import { InterruptedDelivery, sha256 } from './mail-transport.js';
import type { Transport } from './mail-transport.js';
import { SendJournal } from './send-journal.js';
import type { Claim, JournalState } from './send-journal.js';
import { faultPoint } from './fault.js';

export interface PreparedMessage {
  contactId: string;
  address: string;
  messageId: string;
  bytes: Buffer;
  /** The interaction recording this message (channel email, direction out, campaign, message_id). */
  interaction: NewRecord;
}

export interface SendOutcome {
  sent: CrmRecord[];
  /** Claims of an earlier, interrupted run found delivered (in the .eml folder or mbox) and recorded now. */
  recovered: CrmRecord[];
  /** Recipients whose delivery cannot be known (sendmail ran when tb died): not resent. */
  unknown: Array<{ contactId: string; address: string }>;
  /** Prepared recipients another run sent (or claimed) meanwhile: left out. */
  skipped: string[];
  /** Set when the transport failed: the recipient it failed on and why. Later ones were not tried. */
  failed?: { contactId: string; error: TbError };
  /** The signal (TERM, INT, HUP) that stopped the send after the message in hand. */
  interrupted?: NodeJS.Signals;
}

export interface SendRequest {
  root: string;
  campaignId: string;
  campaignRel: string;
  messages: readonly PreparedMessage[];
  transport: Transport;
  /** The campaign's edits once every message went out (status sent, the date). */
  done: FrontMatterEdit[];
  /** message_id values of interactions already written (never recorded twice). */
  recordedIds: ReadonlySet<string>;
  retryUnknown: boolean;
  onSent: (rec: CrmRecord) => void;
}

/** Whether a claimed message arrived where it was going; undefined: cannot be known. */
function claimDelivered(claim: Claim): boolean | undefined {
  const t = claim.target;
  if (t.kind === 'sendmail') return undefined;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(t.file);
  } catch {
    return false;
  }
  if (!st.isFile()) return undefined;
  if (t.kind === 'eml') return fs.readFileSync(t.file, 'utf8').includes(`Message-ID: ${claim.message_id}`) ? true : undefined;
  if (st.size <= t.offset) return false;
  const fd = fs.openSync(t.file, fs.constants.O_RDWR | fs.constants.O_NOFOLLOW);
  try {
    const buf = Buffer.alloc(Math.min(t.length, st.size - t.offset));
    fs.readSync(fd, buf, 0, buf.length, t.offset);
    if (buf.length === t.length && sha256(buf) === t.sha256) return true;
    // Our own entry cut short by the kill, at the end of the file: removed, then sent again.
    if (st.size < t.offset + t.length) {
      fs.ftruncateSync(fd, t.offset);
      return false;
    }
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Settles the claims an earlier run left without an outcome. */
function settleClaims(req: SendRequest, journal: SendJournal, state: JournalState, out: SendOutcome): void {
  for (const [contactId, st] of state.byContact) {
    const claim = state.claims.get(contactId);
    if (st === 'unknown' && req.retryUnknown) journal.retry(contactId);
    if (st !== 'claimed' || !claim) continue;
    const delivered = claimDelivered(claim);
    if (delivered === false) journal.released(contactId);
    else if (delivered === undefined) journal.unknown(contactId, claim.address);
    else {
      if (!req.recordedIds.has(claim.message_id)) out.recovered.push(createRecord(req.root, claim.interaction));
      journal.sent(contactId, claim.address);
    }
  }
}

/** Edits the campaign file under its lock (never a stale copy). */
function editCampaign(root: string, rel: string, edits: FrontMatterEdit[]): void {
  withRecordLock(root, rel, () => {
    const current = readRecordText(root, rel);
    const next = editFrontMatter(current, edits, rel);
    if (next !== current) writeFileAtomic(path.join(root, rel), next);
  });
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** Sends `req.messages` in order under the campaign's send lock; see the file comment. */
export async function sendCampaignMessages(req: SendRequest): Promise<SendOutcome> {
  const lock = tryHoldLock(req.root, `send+${req.campaignId}`);
  if (!lock) throw new DataError(`cannot make the send lock under .touchbase/locks; nothing sent`);
  if ('holder' in lock) throw new DataError(`campaign ${req.campaignId} is being sent by another tb (pid ${lock.holder}); nothing sent`, undefined, 'wait until it ends, then run the command again: recipients it sent are left out');
  let stop: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    stop = sig;
    req.transport.interrupt(sig);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    const journal = SendJournal.open(req.root, req.campaignId, req.transport.leavesMachine);
    const out: SendOutcome = { sent: [], recovered: [], unknown: [], skipped: [] };
    settleClaims(req, journal, journal.read(), out);
    const state = journal.read();
    for (const [id, st] of state.byContact) if (st === 'unknown') out.unknown.push({ contactId: id, address: state.claims.get(id)?.address ?? '' });
    editCampaign(req.root, req.campaignRel, [{ key: 'status', value: 'sending' }]);
    for (const m of req.messages) {
      if (stop) break;
      if (state.byContact.has(m.contactId) ? state.byContact.get(m.contactId) !== 'released' : state.addresses.has(m.address.toLowerCase())) {
        const settled = state.byContact.get(m.contactId) === 'unknown' || out.recovered.some((r) => r.data.message_id === state.claims.get(m.contactId)?.message_id);
        if (!settled) out.skipped.push(m.contactId);
        continue;
      }
      const result = await deliverOne(req, journal, m, out);
      if (result === 'sent') continue;
      if (result instanceof InterruptedDelivery) out.unknown.push({ contactId: m.contactId, address: m.address });
      else out.failed = { contactId: m.contactId, error: result };
      break;
    }
    if (stop) out.interrupted = stop;
    else if (!out.failed) editCampaign(req.root, req.campaignRel, req.done);
    if (!req.transport.leavesMachine) syncFileSystem(path.join(req.root, req.campaignRel));
    return out;
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
    lock.release();
  }
}

/** Claim, hand over, record: 'sent', or the error that stopped it (the claim settled accordingly). */
async function deliverOne(req: SendRequest, journal: SendJournal, m: PreparedMessage, out: SendOutcome): Promise<'sent' | TbError> {
  const target = req.transport.target(m.bytes, m.contactId);
  journal.claim({ claim: m.contactId, address: m.address, message_id: m.messageId, target, interaction: m.interaction });
  faultPoint('campaign-claimed');
  try {
    await req.transport.deliver(m.bytes, m.contactId, target);
  } catch (err) {
    if (err instanceof InterruptedDelivery) {
      journal.unknown(m.contactId, m.address);
      return err;
    }
    if (!(err instanceof TbError)) throw err;
    journal.released(m.contactId);
    return err;
  }
  faultPoint('campaign-delivered');
  const rec = createRecord(req.root, { ...m.interaction, durable: req.transport.leavesMachine });
  journal.sent(m.contactId, m.address);
  out.sent.push(rec);
  req.onSent(rec);
  // Lets a TERM or INT in between two local deliveries (they never wait on anything).
  await new Promise((resolve) => setImmediate(resolve));
  return 'sent';
}

/**
 * Flushes the file system holding `abs` (sync(1) -f: syncfs), once for a whole send instead of an
 * fsync per file. Best effort: where `sync -f` is missing, the kernel writes back on its own soon.
 */
function syncFileSystem(abs: string): void {
  spawnSync('sync', ['-f', abs], { stdio: 'ignore' });
}

/** The message template of `--body-file FILE` (`shown` as typed), refused over `limit` bytes. */
export function readTemplateFile(abs: string, shown: string, limit: number): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch (err) {
    throw new UsageError(`cannot read --body-file ${shown}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (!stat.isFile()) throw new UsageError(`--body-file ${shown} is not a file`);
  if (stat.size > limit) throw new UsageError(`--body-file ${shown} is over max_file_size (${limit} bytes)`);
  return fs.readFileSync(abs, 'utf8').replace(/^\uFEFF/, '');
}
