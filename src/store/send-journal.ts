/**
 * The send journal of a campaign (docs/campaigns.md, "Never a double send"): one JSON line per
 * step under `.touchbase/sends/<campaign>.jsonl` (per machine, never in git). A recipient is
 * *claimed* (with where its message goes) before the message is handed to the transport, and
 * *sent* right after its interaction is written; a transport that refused it *releases* it; a
 * claim whose outcome nobody can know (sendmail died with tb) becomes *unknown*.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataError } from '../errors.js';
import { ensureIndexDir, INDEX_DIR } from './index-dir.js';
import type { NewRecord } from './write.js';

/** Where a claimed message went: enough to tell afterwards whether it arrived there. */
export type DeliveryTarget =
  | { kind: 'eml'; file: string }
  | { kind: 'mbox'; file: string; offset: number; length: number; sha256: string }
  | { kind: 'sendmail'; command: string };

export interface Claim {
  claim: string;
  address: string;
  message_id: string;
  target: DeliveryTarget;
  /** The interaction that records the message, written once it is known to be delivered. */
  interaction: NewRecord;
}

type Entry = Claim | { sent: string; address: string } | { released: string } | { unknown: string; address: string } | { retry: string };

export type ClaimState = 'claimed' | 'sent' | 'released' | 'unknown';

export interface JournalState {
  /** The last state of each contact the journal names. */
  byContact: Map<string, ClaimState>;
  /** The latest claim of each contact. */
  claims: Map<string, Claim>;
  /** Addresses sent, claimed or unknown (lower case): never mailed again in this campaign. */
  addresses: Map<string, string>;
}

const SENDS_DIR = 'sends';

export class SendJournal {
  private constructor(private readonly file: string, private readonly durable: boolean) {}

  /** The journal of `campaignId`; a DataError when `.touchbase/` cannot hold one (a send needs it). */
  static open(root: string, campaignId: string, durable: boolean): SendJournal {
    if (!ensureIndexDir(root, SENDS_DIR)) {
      throw new DataError(`cannot keep the send journal under ${INDEX_DIR}/${SENDS_DIR}/ (a link, or not writable); nothing sent`, undefined, 'a send records each recipient there first so that none is mailed twice');
    }
    return new SendJournal(path.join(root, INDEX_DIR, SENDS_DIR, `${campaignId}.jsonl`), durable);
  }

  /** The state the journal records; a torn last line (a kill mid-write) is ignored. */
  read(): JournalState {
    const state: JournalState = { byContact: new Map(), claims: new Map(), addresses: new Map() };
    let text = '';
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return state;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let e: Entry;
      try {
        e = JSON.parse(line) as Entry;
      } catch {
        continue;
      }
      applyEntry(state, e);
    }
    return state;
  }

  claim(c: Claim): void {
    this.append(c, this.durable);
  }

  sent(contactId: string, address: string): void {
    this.append({ sent: contactId, address }, false);
  }

  released(contactId: string): void {
    this.append({ released: contactId }, false);
  }

  unknown(contactId: string, address: string): void {
    this.append({ unknown: contactId, address }, true);
  }

  /** `--retry-unknown`: the user checked; the recipient may be mailed again. */
  retry(contactId: string): void {
    this.append({ retry: contactId }, false);
  }

  private append(e: Entry, sync: boolean): void {
    const fd = fs.openSync(this.file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
    try {
      fs.writeSync(fd, `${JSON.stringify(e)}\n`);
      if (sync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}

function applyEntry(state: JournalState, e: Entry): void {
  const lower = (a: string) => a.trim().toLowerCase();
  if ('claim' in e) {
    state.byContact.set(e.claim, 'claimed');
    state.claims.set(e.claim, e);
    state.addresses.set(lower(e.address), e.claim);
  } else if ('sent' in e) {
    state.byContact.set(e.sent, 'sent');
    state.addresses.set(lower(e.address), e.sent);
  } else if ('unknown' in e) {
    state.byContact.set(e.unknown, 'unknown');
    state.addresses.set(lower(e.address), e.unknown);
  } else {
    const id = 'released' in e ? e.released : e.retry;
    state.byContact.set(id, 'released');
    const claim = state.claims.get(id);
    if (claim && state.addresses.get(lower(claim.address)) === id) state.addresses.delete(lower(claim.address));
  }
}
