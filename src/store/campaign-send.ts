/**
 * Sending a campaign without ever sending twice (docs/campaigns.md, "Never a double send"):
 * under the campaign file's lock, each message is handed to the transport and its recipient's
 * interaction is written right after, before the next message. A failure midway leaves exactly the
 * recipients that were sent recorded; a re-run leaves them out and continues with the rest.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DataError, TbError, UsageError } from '../errors.js';
import type { CrmRecord } from '../core/types.js';
import { withRecordLock } from './lock.js';
import { readRecordText } from './load.js';
import { editFrontMatter } from './roundtrip.js';
import type { FrontMatterEdit } from './roundtrip.js';
import { createRecord, writeFileAtomic } from './write.js';
import type { NewRecord } from './write.js';
import type { Transport } from './mail-transport.js';

export interface PreparedMessage {
  contactId: string;
  bytes: Buffer;
  /** The interaction recording this message (channel email, direction out, campaign, message_id). */
  interaction: NewRecord;
}

export interface SendOutcome {
  sent: CrmRecord[];
  /** Set when the transport failed: the recipient it failed on and why. Later ones were not tried. */
  failed?: { contactId: string; error: TbError };
}

/**
 * Sends `messages` in order. `loadedText` is the campaign file as the caller read it: if it
 * changed since (another send ran meanwhile), nothing is sent. The campaign is marked
 * `status: sending` first (so a concurrent send waiting on the lock sees the change and stops),
 * and gets `done` once every message went out.
 */
export function sendCampaignMessages(
  root: string,
  campaignRel: string,
  loadedText: string,
  messages: readonly PreparedMessage[],
  transport: Transport,
  done: FrontMatterEdit[],
  onSent: (rec: CrmRecord) => void,
): SendOutcome {
  return withRecordLock(root, campaignRel, () => {
    const abs = path.join(root, campaignRel);
    const current = readRecordText(root, campaignRel);
    if (current !== loadedText) {
      throw new DataError(`${campaignRel} changed while this send was being prepared (another tb campaign send?); nothing sent`, undefined, 'run the command again: recipients already sent are left out');
    }
    const sending = editFrontMatter(current, [{ key: 'status', value: 'sending' }], campaignRel);
    if (sending !== current) writeFileAtomic(abs, sending);
    const outcome: SendOutcome = { sent: [] };
    for (const m of messages) {
      try {
        transport.deliver(m.bytes, m.contactId);
      } catch (err) {
        if (!(err instanceof TbError)) throw err;
        outcome.failed = { contactId: m.contactId, error: err };
        if (!transport.leavesMachine) syncFileSystem(abs);
        return outcome;
      }
      const rec = createRecord(root, { ...m.interaction, durable: transport.leavesMachine });
      outcome.sent.push(rec);
      onSent(rec);
    }
    const after = editFrontMatter(sending, done, campaignRel);
    // Settles the records written without a flush of their own (local transports) in one go.
    if (!transport.leavesMachine) syncFileSystem(abs);
    if (after !== sending) writeFileAtomic(abs, after);
    return outcome;
  });
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
