/**
 * `tb import ics <dir>`: a calendar folder (khal, vdirsyncer: one .ics file per event), read
 * incrementally. New or changed files are read (and files with meetings still to come, once they
 * may have started); a meeting whose event moved gets its new date, one whose event was
 * cancelled or whose file is gone is marked `status: cancelled`. What this machine has read is
 * kept in `.touchbase/vdir/` (docs/mail.md, "A calendar folder").
 */
import path from 'node:path';
import type { App } from '../app.js';
import { TbError } from '../errors.js';
import type { CrmRecord } from '../core/types.js';
import { meetingKey } from '../core/mail-import.js';
import { keysOfUid, loggedMeetings, monthFolderPath, planCancel, planMove, planPostpone } from '../core/meeting-sync.js';
import type { LoggedMeeting, MeetingUpdate } from '../core/meeting-sync.js';
import type { IcsOccurrence } from '../interop/ics-import.js';
import { listVdir, moveRecordFile, needsReading, readVdirState, writeVdirState } from '../store/ics-vdir.js';
import type { Recheck, VdirState } from '../store/ics-vdir.js';
import { readInputFile } from '../store/io.js';
import { updateRecord } from '../store/write.js';
import type { FrontMatterEdit } from '../store/roundtrip.js';
import { importIcsText, meetingDate } from './import-mail.js';
import type { Run } from './import-mail.js';

export async function importIcsDir(app: App, run: Run, dir: string, floatingZone: string | undefined, interactions: readonly CrmRecord[]): Promise<void> {
  const { abs, files } = listVdir(app.sys.cwd, dir);
  const before = readVdirState(app.root, abs);
  const next: VdirState = { version: 1, dir: abs, files: {} };
  const logged = loggedMeetings(interactions);
  for (const f of files) {
    const known = before.files[f.name];
    if (known && !needsReading(f, known, app.today)) {
      next.files[f.name] = known;
      run.unchangedFiles++;
      continue;
    }
    const where = path.join(dir, f.name);
    const notStarted = run.planner.counts.skipped_by_reason['not started yet'];
    let uids: string[];
    let later: boolean;
    try {
      const parsed = await importIcsText(app, run, where, readInputFile(app.sys.cwd, where), floatingZone);
      for (const occ of parsed.occurrences) applyAll(app, run, logged, started(app, occ) ? planMove(logged, keyOf(occ), meetingDate(app, occ.start)) : planPostpone(logged, keyOf(occ)));
      for (const occ of parsed.cancelled) applyAll(app, run, logged, planCancel(logged, keyOf(occ)));
      for (const occ of parsed.future) applyAll(app, run, logged, planPostpone(logged, keyOf(occ)));
      uids = [...new Set([...parsed.occurrences, ...parsed.cancelled, ...parsed.future].map((o) => o.uid))];
      later = parsed.later;
    } catch (err) {
      if (!(err instanceof TbError)) throw err;
      // One unreadable file is a problem for that file; it is read again next time.
      run.read++;
      run.problem(where, `${err.message.replace(`${where}: `, '')}; skipped`);
      continue;
    }
    const recheck: Recheck = run.planner.counts.skipped_by_reason['not started yet'] > notStarted ? 'every-run' : later ? 'next-day' : 'never';
    next.files[f.name] = { size: f.size, mtimeMs: f.mtimeMs, ino: f.ino, readOn: app.today, recheck, uids };
  }
  withdrawDeleted(app, run, dir, before, next, logged);
  if (!run.dryRun) writeVdirState(app.root, next);
}

/** Whether the occurrence has started (today, later in the day, it has not; with --as-of, a day is whole). */
function started(app: App, occ: IcsOccurrence): boolean {
  return app.opts.asOf !== undefined || !('instant' in occ.start) || occ.start.instant <= app.sys.now.getTime();
}

function keyOf(occ: IcsOccurrence): string {
  return meetingKey(occ.uid, occ.recurrenceKey);
}

/** Events whose file left the folder (and whose UID no file holds now) did not happen. */
function withdrawDeleted(app: App, run: Run, dir: string, before: VdirState, next: VdirState, logged: Map<string, LoggedMeeting[]>): void {
  const present = new Set(Object.values(next.files).flatMap((f) => f.uids));
  for (const [name, known] of Object.entries(before.files)) {
    if (next.files[name]) continue;
    const gone = known.uids.filter((u) => !present.has(u));
    const updates = gone.flatMap((uid) => keysOfUid(logged, uid).flatMap((k) => planCancel(logged, k)));
    if (updates.length) run.note(path.join(dir, name), `deleted from the calendar folder; ${updates.length} meeting${updates.length === 1 ? '' : 's'} marked cancelled`);
    applyAll(app, run, logged, updates);
  }
}

function applyAll(app: App, run: Run, logged: Map<string, LoggedMeeting[]>, updates: MeetingUpdate[]): void {
  for (const u of updates) {
    const target = 'date' in u && u.date.slice(0, 7) !== u.path.split('/').slice(1, 3).join('-') ? monthFolderPath(u.path, u.date) : u.path;
    if (!run.dryRun) {
      updateRecord(app.root, u.path, editsOf(u));
      if (target !== u.path) moveRecordFile(app.root, u.path, target);
      app.wrote(u.path, 'import: calendar folder');
      if (target !== u.path) app.wrote(target);
    }
    if ('date' in u) run.moved++;
    else if (u.status === 'cancelled') run.cancelled++;
    else run.postponed++;
    run.records.push({ op: 'update', type: 'interaction', id: path.basename(target, '.md'), path: target });
    // The in-memory view follows, so a second change in the same run sees the first.
    for (const list of logged.values()) {
      for (const m of list) {
        if (m.path !== u.path) continue;
        m.path = target;
        if ('date' in u) {
          m.date = u.date;
          if (u.reopen) m.status = undefined;
        } else m.status = u.status;
      }
    }
  }
}

/** A move sets the new date (and drops `postponed`: the day came); a mark sets the status. */
function editsOf(u: MeetingUpdate): FrontMatterEdit[] {
  if (!('date' in u)) return [{ key: 'status', value: u.status }];
  return u.reopen ? [{ key: 'date', value: u.date }, { key: 'status', remove: true }] : [{ key: 'date', value: u.date }];
}
