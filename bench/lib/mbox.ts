/**
 * A mailbox for the import benchmark: `count` messages between "me" and the given contacts'
 * addresses, in the shape mutt and Thunderbird write (From_ lines, multipart/alternative for some,
 * a quoted reply for some, a `>From ` line now and then). Deterministic for a seed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRng } from './prng.js';

const SUBJECTS = ['Proposal follow-up', 'Re: Workshop dates', 'Invoice 2026-11', 'Re: Re: Integration status', 'Quick question', 'Meeting notes', 'Fwd: Contract draft'];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function generateMbox(count: number, me: string, contacts: readonly string[], until: string, seed = 7): string {
  const rng = createRng(seed);
  const end = Date.parse(`${until}T12:00:00Z`);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const when = new Date(end - rng.int(0, 365 * 24 * 3600) * 1000);
    const other = rng.chance(0.9) ? rng.pick(contacts) : `stranger${rng.int(1, 300)}@elsewhere.example`;
    const outbound = rng.chance(0.5);
    const [from, to] = outbound ? [me, other] : [other, me];
    const p = (n: number) => String(n).padStart(2, '0');
    const asctime = `${DAYS[(when.getUTCDay() + 6) % 7]} ${MONTHS[when.getUTCMonth()]} ${p(when.getUTCDate())} ${p(when.getUTCHours())}:${p(when.getUTCMinutes())}:${p(when.getUTCSeconds())} ${when.getUTCFullYear()}`;
    const paragraph = 'Thanks for the update. We looked at the numbers and would like to go ahead with the second option. Could you send the revised schedule by Friday?';
    const body = [`Hello,`, '', paragraph, '', rng.chance(0.2) ? '>From our side everything is ready.' : 'Best regards', ''];
    if (rng.chance(0.4)) body.push(`On ${when.toUTCString()}, ${to} wrote:`, '> Earlier message text,', '> quoted as mail clients do.', '');
    const headers = [
      `From ${from} ${asctime}`,
      `Date: ${when.toUTCString().replace('GMT', '+0000')}`,
      `From: ${from}`,
      `To: ${to}`,
      `Subject: ${rng.pick(SUBJECTS)}`,
      `Message-ID: <bench-${seed}-${i}@mail.example>`,
      'MIME-Version: 1.0',
    ];
    if (rng.chance(0.3)) {
      out.push(...headers, 'Content-Type: multipart/alternative; boundary="alt"', '', '--alt', 'Content-Type: text/plain; charset=utf-8', '', ...body, '--alt', 'Content-Type: text/html; charset=utf-8', '', `<p>${paragraph}</p>`, '--alt--', '');
    } else {
      out.push(...headers, 'Content-Type: text/plain; charset=utf-8', '', ...body, '');
    }
  }
  return out.join('\n');
}

/**
 * The same messages as a Maildir (what mbsync or offlineimap leave): one file per message in cur/,
 * named by its delivery time as Maildir names are, seen (`:2,S`). Returns the number written.
 */
export function writeMaildir(dir: string, count: number, me: string, contacts: readonly string[], until: string, seed = 7): number {
  for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const messages = generateMbox(count, me, contacts, until, seed).split(/^From [^\n]*\n/m).filter((m) => m.length > 0);
  messages.forEach((m, i) => {
    const when = Math.floor(Date.parse(/^Date: (.*)$/m.exec(m)?.[1] ?? until) / 1000);
    fs.writeFileSync(path.join(dir, 'cur', `${when}.M${i}P1.bench:2,S`), m);
  });
  return messages.length;
}
