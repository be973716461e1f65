/**
 * Keeping logged meetings in step with a calendar folder (`tb import ics <dir>`, docs/mail.md):
 * a meeting whose event moved gets its new date; one whose event was cancelled, or whose file
 * left the folder, is marked `status: cancelled` (it did not happen). Pure.
 */
import type { CrmRecord } from './types.js';
import { asString } from './fields.js';
import { meetingKey } from './mail-import.js';

export interface LoggedMeeting {
  path: string;
  date: string;
  cancelled: boolean;
}

export type MeetingUpdate = { path: string; date: string } | { path: string; cancel: true };

/** The logged meetings by their key (uid, or uid#recurrence_id). */
export function loggedMeetings(interactions: readonly CrmRecord[]): Map<string, LoggedMeeting[]> {
  const map = new Map<string, LoggedMeeting[]>();
  for (const i of interactions) {
    const uid = asString(i.data.uid);
    if (!uid) continue;
    const key = meetingKey(uid, asString(i.data.recurrence_id));
    const list = map.get(key) ?? [];
    list.push({ path: i.path, date: asString(i.data.date) ?? '', cancelled: asString(i.data.status) === 'cancelled' });
    map.set(key, list);
  }
  return map;
}

/** The meetings logged under `key` whose date is not `date` any more (cancelled ones stay as they are). */
export function planMove(logged: Map<string, LoggedMeeting[]>, key: string, date: string): MeetingUpdate[] {
  return (logged.get(key) ?? []).filter((m) => !m.cancelled && m.date !== date).map((m) => ({ path: m.path, date }));
}

/** The meetings logged under `key` not yet marked cancelled. */
export function planCancel(logged: Map<string, LoggedMeeting[]>, key: string): MeetingUpdate[] {
  return (logged.get(key) ?? []).filter((m) => !m.cancelled).map((m) => ({ path: m.path, cancel: true as const }));
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
