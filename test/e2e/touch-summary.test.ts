/**
 * Derived fields through the store's interaction summary (the slim index that keeps only the keys
 * the summary reads) agree with those from every interaction in full: a meeting marked
 * `status: cancelled` is not a touch on either path (core/campaign-settings.ts touchFilter).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AS_OF, exampleCopy, tb } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function withCancelledMeeting(): string {
  const dir = exampleCopy();
  dirs.push(dir);
  const rel = 'interactions/2026/11/2026-11-22-lena-fischer-meeting-zzzz.md';
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), '---\ndate: 2026-11-22\ncontacts: [lena-fischer]\nchannel: meeting\nstatus: cancelled\nsummary: Review (cancelled)\n---\n');
  return dir;
}

async function lena(dir: string, cmd: string[]): Promise<{ last_contact: string; interactions: number }> {
  const r = await tb(['--dir', dir, '--as-of', AS_OF, ...cmd, '--json']);
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout) as unknown;
  const rec = (Array.isArray(out) ? out[0] : out) as Record<string, unknown>;
  const fields = (rec.derived ?? rec) as { last_contact: string; interactions: number };
  return { last_contact: fields.last_contact, interactions: fields.interactions };
}

describe('a cancelled meeting is not a touch in the interaction summary', () => {
  it('tb list (summary) and tb show (every interaction) agree on last_contact and interactions', async () => {
    const dir = withCancelledMeeting();
    const shown = await lena(dir, ['show', 'lena-fischer']);
    expect(shown.last_contact).not.toBe('2026-11-22');
    // Twice: the first list builds the slim index and its summary, the second reads them back.
    for (let run = 0; run < 2; run++) expect(await lena(dir, ['list', 'contacts', 'id:lena-fischer'])).toEqual(shown);
  });
});
