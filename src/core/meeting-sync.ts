/**
 * Keeping logged meetings in step with a calendar folder (`tb import ics <dir>`, docs/mail.md):
 * a meeting whose event moved gets its new date; one whose event was cancelled, or whose file
 * left the folder, is marked `status: cancelled` (it did not happen); one whose event moved to a
 * day still to come is marked `status: postponed` (it has not happened) until that day comes, when
 * it gets its new date and loses the mark. Pure.
 */
import type { CrmRecord } from './types.js';
import { asString } from './fields.js';
import { meetingKey } from './mail-import.js';

/** A logged meeting that did not happen: `cancelled` for good, `postponed` until its new day. */
export type MeetingStatus = 'cancelled' | 'postponed';

export interface LoggedMeeting {
  path: string;
  date: string;
  status?: MeetingStatus;
}

export type MeetingUpdate =
  | { path: string; date: string; reopen: boolean }
  | { path: string; status: MeetingStatus };

function statusOf(value: unknown): MeetingStatus | undefined {
  const s = asString(value);
  return s === 'cancelled' || s === 'postponed' ? s : undefined;
}

/** The logged meetings by their key (uid, or uid#recurrence_id). */
export function loggedMeetings(interactions: readonly CrmRecord[]): Map<string, LoggedMeeting[]> {
  const map = new Map<string, LoggedMeeting[]>();
  for (const i of interactions) {
    const uid = asString(i.data.uid);
    if (!uid) continue;
    const key = meetingKey(uid, asString(i.data.recurrence_id));
    const list = map.get(key) ?? [];
    list.push({ path: i.path, date: asString(i.data.date) ?? '', status: statusOf(i.data.status) });
    map.set(key, list);
  }
  return map;
}

/**
 * The meetings logged under `key` whose date is not `date` any more, and the postponed ones (their
 * day came: they happened on `date`). Cancelled ones stay as they are.
 */
export function planMove(logged: Map<string, LoggedMeeting[]>, key: string, date: string): MeetingUpdate[] {
  return (logged.get(key) ?? [])
    .filter((m) => m.status !== 'cancelled' && (m.date !== date || m.status === 'postponed'))
    .map((m) => ({ path: m.path, date, reopen: m.status === 'postponed' }));
}

/** The meetings logged under `key` not yet marked cancelled. */
export function planCancel(logged: Map<string, LoggedMeeting[]>, key: string): MeetingUpdate[] {
  return (logged.get(key) ?? []).filter((m) => m.status !== 'cancelled').map((m) => ({ path: m.path, status: 'cancelled' as const }));
}

/** The meetings logged under `key` whose event now starts after today: not happened (yet). */
export function planPostpone(logged: Map<string, LoggedMeeting[]>, key: string): MeetingUpdate[] {
  return (logged.get(key) ?? []).filter((m) => m.status === undefined).map((m) => ({ path: m.path, status: 'postponed' as const }));
}

/** Every key of a uid: the event itself and each of its occurrences. */
export function keysOfUid(logged: Map<string, LoggedMeeting[]>, uid: string): string[] {
  return [...logged.keys()].filter((k) => k === uid || k.startsWith(`${uid}#`));
}

/** `interactions/2026/11/x.md` for a record at `interactions/2026/10/x.md` now dated in November. */
export function monthFolderPath(rel: string, date: string): string {
  const file = rel.slice(rel.lastIndexOf('/') + 1);
  return `interactions/${date.slice(0, 4)}/${date.slice(5, 7)}/${file}`;
}
