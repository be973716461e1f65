/** A small campaign CRM and readers of what a send left, shared by the delivery and soak tests. */
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, expect } from 'vitest';
import { emptyCrm, read, tb } from './helpers.js';

const AS_OF = '2026-11-23';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

export const PEOPLE = ['ada', 'bo', 'cy', 'dee', 'eve', 'fay'];

/** An empty CRM whose one owner is sam (sam@example.com), removed after the file's tests. */
export async function samCrm(): Promise<string> {
  const dir = await emptyCrm();
  dirs.push(dir);
  const cfg = read(dir, 'touchbase.yaml').replace(/^owners:.*$/m, 'owners:\n  sam: { name: Sam Lee, email: sam@example.com }');
  fs.writeFileSync(path.join(dir, 'touchbase.yaml'), cfg);
  return dir;
}

export async function campaignCrm(people: readonly string[] = PEOPLE): Promise<string> {
  const dir = await samCrm();
  for (const p of people) fs.writeFileSync(path.join(dir, 'contacts', `${p}.md`), `---\nname: ${p}\nemails: [${p}@example.com]\ntags: [client]\ncreated: 2026-01-10\n---\n`);
  const r = await tb(['campaign', 'new', 'Note', '--segment', 'tag:client', '--subject', 'Hi {{name}}', '--body', 'Hello {{name}}', '--as-of', AS_OF], { cwd: dir, env: { TOUCHBASE_USER: 'sam' } });
  expect(r.code).toBe(0);
  return dir;
}

/** The contact of each campaign interaction, sorted (duplicates kept). */
export function recorded(dir: string): string[] {
  const root = path.join(dir, 'interactions');
  const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.md'));
  return files.map((f) => /contacts: \[([^\]]+)\]/.exec(fs.readFileSync(path.join(root, f), 'utf8'))![1]).sort();
}

/** The To: address of each message of an mbox, split at its separator lines and parsed. */
export async function mboxRecipients(file: string): Promise<string[]> {
  const text = fs.readFileSync(file, 'utf8');
  const parts = text.split(/^From MAILER-DAEMON .*\n/m).filter((p) => p.trim());
  const to = await Promise.all(parts.map(async (p) => ((await simpleParser(p)).to as { value: Array<{ address: string }> }).value[0].address));
  return to.map((a) => a.replace(/@.*/, '')).sort();
}

