/**
 * End-to-end: one complaint through its life — open, digest, breach, reply, note, resolve,
 * report, reopen — on a hand-built CRM whose office runs Mon–Fri 09:00–17:00 in Berlin. Every
 * deadline and figure below is worked out by hand in the comments. 2026-11-20 is a Friday.
 */
import fs from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { read, tb, tempDir } from './helpers.js';

const dirs: string[] = [];
beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const CONFIG = `name: Service desk
currency: EUR
owners:
  sam: { name: Sam, email: sam@example.com }
channels: [email, call, meeting, note]
sla:
  urgent: { first_response: 2h, resolve: 1d }
  high: { first_response: 4h, resolve: 2d }
  normal: { first_response: 1d, resolve: 5d }
business_hours:
  days: mon-fri
  start: "09:00"
  end: "17:00"
  timezone: Europe/Berlin
`;

const FILES: Record<string, string> = {
  'touchbase.yaml': CONFIG,
  'companies/acme.md': '---\nname: Acme GmbH\n---\n',
  'contacts/ada-lovelace.md': '---\nname: Ada Lovelace\nemails: [ada@example.com]\ncompany: acme\nstage: customer\ncreated: 2026-01-01\n---\n',
  'contacts/grace-hopper.md': '---\nname: Grace Hopper\ncreated: 2026-01-01\n---\n',
};

function fixture(files: Record<string, string> = FILES): string {
  const dir = tempDir('tb-cases-');
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function onlyFile(dir: string, folder: string): string {
  const files = fs.readdirSync(path.join(dir, folder));
  expect(files).toHaveLength(1);
  return `${folder}/${files[0]}`;
}

function interactionFiles(dir: string): string[] {
  const root = path.join(dir, 'interactions');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.md')).sort().map((f) => `interactions/${f.split(path.sep).join('/')}`);
}

describe('a complaint from open to report', () => {
  const dir = fixture();
  let id = '';

  it('opens a case: id from date, contact and subject; company from the contact; opened with its offset', async () => {
    // The New York clone opens it at 10:30 New York time = 16:30 in Berlin (the SLA zone).
    const r = await tb(['--dir', dir, 'case', 'open', 'ada', 'The invoice is wrong', '--priority', 'high', '--category', 'complaint', '--channel', 'email', '--at', '2026-11-20T10:30-05:00', '--body', 'Invoice 2026-114 charges 12 days instead of 10.']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rel = onlyFile(dir, 'cases');
    expect(rel).toMatch(/^cases\/2026-11-20-ada-lovelace-the-invoice-is-wrong-[a-z0-9]{4}\.md$/);
    id = path.basename(rel, '.md');
    expect(r.stdout).toBe(`Opened case ${id} for Ada Lovelace (${rel})\n`);
    expect(read(dir, rel)).toBe(
      '---\nsubject: The invoice is wrong\ncontact: ada-lovelace\ncompany: acme\nstatus: open\npriority: high\ncategory: complaint\nchannel: email\nopened: 2026-11-20T16:30+01:00\n---\n\nInvoice 2026-114 charges 12 days instead of 10.\n',
    );
  });

  it('lists it with its deadlines: high = 4 business hours to respond, 2 business days to resolve', async () => {
    // First response: 0.5 h Friday (16:30–17:00) + 3.5 h Monday → Monday 12:30.
    // Resolve: 16 h = 0.5 h Friday + 8 h Monday + 7.5 h Tuesday → Tuesday 16:30.
    const r = await tb(['--dir', dir, '--as-of', '2026-11-23T10:00', 'list', 'cases', '--json']);
    expect(r.code).toBe(0);
    const [c] = JSON.parse(r.stdout);
    expect(c.derived).toEqual({
      age: 3,
      first_response_due: '2026-11-23T12:30+01:00',
      resolve_due: '2026-11-24T16:30+01:00',
      breached: false,
      breached_sla: [],
      next_deadline: '2026-11-23T12:30+01:00',
    });
  });

  it('shows it in tb due with the next deadline, and --exit-code counts it', async () => {
    const text = await tb(['--dir', dir, '--as-of', '2026-11-23T10:00', 'due']);
    expect(text.stdout).toBe('Cases\n  Ada Lovelace: The invoice is wrong [high] — first response due 2026-11-23 12:30 (in 3 h) · open · complaint · ada@example.com\n');
    const json = JSON.parse((await tb(['--dir', dir, '--as-of', '2026-11-23T10:00', 'due', '--json'])).stdout);
    expect(json.cases).toEqual([
      {
        kind: 'case',
        id,
        path: `cases/${id}.md`,
        date: '2026-11-23',
        days_late: 0,
        text: 'The invoice is wrong',
        contact: { id: 'ada-lovelace', name: 'Ada Lovelace', email: 'ada@example.com' },
        case: { status: 'open', priority: 'high', category: 'complaint', company: 'acme', sla: 'first_response', deadline: '2026-11-23T12:30+01:00', breached: [], hours_left: 2.5 },
      },
    ]);
    const md = await tb(['--dir', dir, '--as-of', '2026-11-23T10:00', 'due', '--format', 'md']);
    expect(md.stdout).toContain('## Cases\n\n- **Ada Lovelace**: The invoice is wrong \\[high\\] — first response due 2026-11-23 12:30 (in 3 h)');
    const ics = await tb(['--dir', dir, '--as-of', '2026-11-23T10:00', 'due', '--format', 'ics']);
    const todos = new ICAL.Component(ICAL.parse(ics.stdout)).getAllSubcomponents('vtodo');
    expect(todos.map((t) => [t.getFirstPropertyValue('uid'), t.getFirstPropertyValue('summary')])).toEqual([[`case-${id}-first_response@touchbase`, 'Ada Lovelace: The invoice is wrong']]);
    expect((await tb(['--dir', dir, '--as-of', '2026-11-23T10:00', 'due', '--exit-code'])).code).toBe(3);
    // On Friday evening the deadline is Monday: outside a zero-day window, so nothing is due.
    const friday = await tb(['--dir', dir, '--as-of', '2026-11-20T18:00', 'due', '--within', '0d', '--exit-code']);
    expect([friday.stdout, friday.code]).toEqual(['', 0]);
  });

  it('finds it as breached once 12:30 has passed', async () => {
    const r = await tb(['--dir', dir, '--as-of', '2026-11-23T13:00', 'list', 'cases', 'status:open', 'priority:high', 'breached:true', '--sort', 'resolve_due', '--ids']);
    expect(r.stdout).toBe(`${id}\n`);
    const due = await tb(['--dir', dir, '--as-of', '2026-11-23T13:00', 'due']);
    expect(due.stdout).toContain('The invoice is wrong [high] — first response overdue since 2026-11-23 12:30 (1 h)');
    expect((await tb(['--dir', dir, '--as-of', '2026-11-23T13:00', 'list', 'cases', 'breached:false', '--ids'])).stdout).toBe('');
  });

  it('replies: an outbound interaction linked to the case, first_response set, status waiting', async () => {
    // The Berlin clone replies at 14:15: 0.5 h Friday + 5.25 h Monday = 5.75 business hours.
    const r = await tb(['--dir', dir, 'case', 'reply', 'ada', 'Sorry about that, a corrected invoice is attached.', '--at', '2026-11-23T14:15+01:00']);
    expect(r.stderr).toBe('');
    const [reply] = interactionFiles(dir);
    expect(reply).toMatch(/^interactions\/2026\/11\/2026-11-23-ada-lovelace-email-[a-z0-9]{4}\.md$/);
    expect(r.stdout).toBe(`Replied on case ${id} (now waiting) (${reply})\n`);
    expect(read(dir, reply)).toBe(
      `---\ndate: 2026-11-23T14:15\ncontacts: [ada-lovelace]\nchannel: email\ndirection: out\nsummary: "Re: The invoice is wrong"\ncase: ${id}\n---\n\nSorry about that, a corrected invoice is attached.\n`,
    );
    const c = read(dir, `cases/${id}.md`);
    expect(c).toContain('status: waiting\n');
    expect(c).toContain('first_response: 2026-11-23T14:15+01:00\n');
  });

  it('notes and logs an inbound call on the case', async () => {
    expect((await tb(['--dir', dir, 'case', 'note', id.slice(0, 20), 'Asked finance to re-issue', '--at', '2026-11-23T15:00'])).code).toBe(0);
    const log = await tb(['--dir', dir, 'log', 'ada', 'Called back: invoice received', '-c', 'call', '--direction', 'in', '--date', '2026-11-24T09:30', '--case', id]);
    expect(log.code).toBe(0);
    const files = interactionFiles(dir).map((f) => read(dir, f));
    expect(files.filter((t) => t.includes(`case: ${id}\n`))).toHaveLength(3);
    expect(files.some((t) => t.includes('channel: note\n') && t.includes('summary: Asked finance to re-issue\n'))).toBe(true);
  });

  it('resolves with a satisfaction rating, refuses a second resolve', async () => {
    // Resolved Tuesday 11:00: 0.5 h + 8 h + 2 h = 10.5 business hours, before the 16:30 deadline.
    const r = await tb(['--dir', dir, '--as-of', '2026-11-24T11:00', 'case', 'resolve', 'ada', '--satisfaction', '4', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id, status: 'resolved', resolved: '2026-11-24T11:00+01:00', satisfaction: 4 });
    const again = await tb(['--dir', dir, '--as-of', '2026-11-24T11:00', 'case', 'resolve', id]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`case ${id} is already resolved`);
  });

  it('shows the case with its SLA line and thread, and the contact with its cases', async () => {
    const r = await tb(['--dir', dir, '--as-of', '2026-11-30', 'show', id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  resolved · high · age 10 days · first response due 2026-11-23 12:30 · resolve due 2026-11-24 16:30 · answered after 5.75 h · resolved after 10.5 h · SLA breached: first_response');
    const thread = r.stdout.slice(r.stdout.indexOf('\nThread'));
    expect(thread.split('\n').filter((l) => l.startsWith('  2026')).map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      '2026-11-23 14:15 email out Re: The invoice is wrong',
      '2026-11-23 15:00 note Asked finance to re-issue',
      '2026-11-24 09:30 call in Called back: invoice received',
    ]);
    expect(r.stdout).toContain('\nDescription\n  Invoice 2026-114 charges 12 days instead of 10.');
    const ada = await tb(['--dir', dir, '--as-of', '2026-11-30', 'show', 'ada']);
    expect(ada.stdout).toContain(`\nCases\n  2026-11-20  resolved high    The invoice is wrong SLA breached  ${id}`);
    const json = JSON.parse((await tb(['--dir', dir, '--as-of', '2026-11-30', 'show', 'ada', '--json'])).stdout);
    expect(json.related.cases.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it('reports the figures', async () => {
    const r = await tb(['--dir', dir, '--as-of', '2026-11-30', 'report', 'cases', '--since', '2026-11-01', '--until', '2026-11-30', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      since: '2026-11-01',
      until: '2026-11-30',
      as_of: '2026-11-30T00:00+01:00',
      totals: {
        opened: 1,
        resolved: 1,
        backlog: 0,
        first_response: { count: 1, median: 5.75, p90: 5.75 },
        resolution: { count: 1, median: 10.5, p90: 10.5 },
        sla: { decided: 1, met: 0, attainment: 0 },
        csat: { average: 4, rated: 1, response_rate: 1 },
      },
      top_complaints: [{ company: 'acme', complaints: 1, open: 0 }],
    });
    const text = await tb(['--dir', dir, '--as-of', '2026-11-30', 'report', 'cases', '--since', '2026-11-01', '--until', '2026-11-30', '--by', 'category']);
    expect(text.stdout).toContain('SLA attainment                 0% (0 of 1)');
    expect(text.stdout).toContain('By category');
    const bad = await tb(['--dir', dir, 'report', 'cases', '--by', 'stage']);
    expect(bad.code).toBe(2);
  });

  it('puts a reopened complaint into churn risk and the HTML report', async () => {
    expect((await tb(['--dir', dir, 'case', 'reopen', id])).code).toBe(0);
    expect(read(dir, `cases/${id}.md`)).not.toContain('resolved:');
    const r = await tb(['--dir', dir, '--as-of', '2026-11-30', 'report', '--json']);
    const risk = JSON.parse(r.stdout).contacts.retentionRisk;
    expect(risk).toEqual([{ id: 'ada-lovelace', name: 'Ada Lovelace', cadence: '', last_contact: '2026-11-24', open_complaints: 1 }]);
    const html = path.join(dir, 'report.html');
    expect((await tb(['--dir', dir, '--as-of', '2026-11-30', 'report', '--html', html], { cwd: dir })).code).toBe(0);
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toContain('<h2>Cases</h2>');
    expect(page).toContain('>Open complaints</th>');
  });

  it('passes tb check', async () => {
    const r = await tb(['--dir', dir, 'check']);
    expect(r.stdout + r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
  });
});

describe('tb check on cases', () => {
  it('reports statuses, priorities and categories outside the config, and dates out of order', async () => {
    const dir = fixture({
      ...FILES,
      'cases/2026-11-20-ada-lovelace-bad-k3x9.md':
        '---\nsubject: Bad\ncontact: ada-lovelace\nstatus: pending\npriority: critical\ncategory: billing\nopened: 2026-11-20T10:00+01:00\nfirst_response: 2026-11-20T09:00+01:00\nresolved: 2026-11-19\nsatisfaction: 7\n---\n',
      'interactions/2026/11/2026-11-21-ada-lovelace-call-zz01.md': '---\ndate: 2026-11-21\ncontacts: [ada-lovelace]\nchannel: call\ncase: no-such-case\n---\n',
    });
    const r = await tb(['--dir', dir, 'check']);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    for (const needle of ["status 'pending'", "priority 'critical'", "category 'billing'", 'first_response', 'resolved', 'satisfaction', 'no-such-case']) {
      expect(out).toContain(needle);
    }
  });

  it('reports bad SLA settings in touchbase.yaml', async () => {
    const dir = fixture({ ...FILES, 'touchbase.yaml': `${CONFIG.replace('resolve: 5d', 'resolve: 5 months').replace('Europe/Berlin', 'Europe/Atlantis')}` });
    const r = await tb(['--dir', dir, 'check']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain("sla.normal.resolve '5 months' is not a length like 30min, 4h, 2d, 1w");
    expect(r.stdout + r.stderr).toContain("business_hours.timezone 'Europe/Atlantis' is not a time zone like Europe/Berlin");
  });
});

describe('tb case usage', () => {
  it('refuses unknown priorities and categories with a suggestion, and writes nothing', async () => {
    const dir = fixture();
    const r = await tb(['--dir', dir, 'case', 'open', 'ada', 'Hello', '--priority', 'hgih']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown priority 'hgih'");
    expect(r.stderr).toContain('high');
    expect((await tb(['--dir', dir, 'case', 'open', 'ada', 'Hello', '--category', 'complain'])).stderr).toContain('complaint');
    expect(fs.existsSync(path.join(dir, 'cases'))).toBe(false);
  });

  it('an option of another case subcommand says which one takes it, and writes nothing', async () => {
    const dir = fixture();
    await tb(['--dir', dir, '--as-of', '2026-11-20T10:00', 'case', 'open', 'ada', 'Invoice']);
    const before = fs.readdirSync(path.join(dir, 'cases'), { recursive: true }).map(String).sort();
    const r = await tb(['--dir', dir, 'case', 'close', 'ada', '--satisfaction', '3']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("tb: unknown option '--satisfaction'\ntb: hint: --satisfaction goes with tb case resolve, not tb case close; see tb case resolve --help\n");
    const files = fs.readdirSync(path.join(dir, 'cases'), { recursive: true }).map(String).sort();
    expect(files).toEqual(before);
    expect(fs.readFileSync(path.join(dir, 'cases', files.find((f) => f.endsWith('.md'))!), 'utf8')).toContain('status: open');
  });

  it('names the cases when a contact has several active ones', async () => {
    const dir = fixture();
    await tb(['--dir', dir, '--as-of', '2026-11-20T10:00', 'case', 'open', 'grace', 'First']);
    await tb(['--dir', dir, '--as-of', '2026-11-20T11:00', 'case', 'open', 'grace', 'Second']);
    const r = await tb(['--dir', dir, 'case', 'resolve', 'grace']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Grace Hopper has 2 active cases; name one');
  });

  it('refuses a reply stamped before the case was opened, writing nothing', async () => {
    const dir = fixture();
    await tb(['--dir', dir, 'case', 'open', 'grace', 'Late reply', '--at', '2026-11-20T10:00']);
    const r = await tb(['--dir', dir, 'case', 'reply', 'grace', 'Hello', '--at', '2026-11-20T09:00']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('first_response 2026-11-20T09:00+01:00 is before opened 2026-11-20T10:00+01:00');
    expect(interactionFiles(dir)).toEqual([]);
  });
});

describe('instants keep to the years 1000–9999 (#27)', () => {
  it('tb case open --at late in 9999 is refused (its SLA deadlines would leave the range); earlier than 1000 too', async () => {
    const dir = fixture();
    for (const at of ['9999-12-31T23:59', '0999-12-31T23:59']) {
      const r = await tb(['--dir', dir, '--as-of', '2026-11-23', 'case', 'open', 'ada', 'Late', '--at', at]);
      expect(r.code, at).toBe(1);
      expect(r.stderr, at).toMatch(/refusing to save cases\/.*(SLA deadlines after 9999-12-31|outside the years 1000–9999)/);
      expect(fs.existsSync(path.join(dir, 'cases')) ? fs.readdirSync(path.join(dir, 'cases')).filter((f) => f.endsWith('.md')) : [], at).toEqual([]);
    }
  });

  it('tb check reports a case file that would crash a read; a case early in 9999 is fine', async () => {
    const dir = fixture();
    fs.mkdirSync(path.join(dir, 'cases'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'cases', '9999-12-31-ada-late.md'), '---\ncontact: ada-lovelace\nsubject: Late\nstatus: open\npriority: normal\nopened: 9999-12-31T23:59+01:00\n---\n');
    const check = await tb(['--dir', dir, 'check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("'opened' 9999-12-31T23:59+01:00 puts the case's SLA deadlines after 9999-12-31");
    fs.writeFileSync(path.join(dir, 'cases', '9999-12-31-ada-late.md'), '---\ncontact: ada-lovelace\nsubject: Late\nstatus: open\npriority: normal\nopened: 9999-03-01T10:00+01:00\n---\n');
    expect((await tb(['--dir', dir, 'check'])).code).toBe(0);
    expect((await tb(['--dir', dir, '--as-of', '2026-11-23', 'list', 'cases'])).code).toBe(0);
  });
});
