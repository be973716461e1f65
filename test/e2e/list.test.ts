import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, EXAMPLE, diffSnapshots, emptyCrm, exampleCopy, read, snapshot, tb, tempDir } from './helpers.js';

const ex = async (args: string[]) => await tb(['--dir', EXAMPLE, '--as-of', AS_OF, ...args]);
const ids = async (args: string[]) => {
  const r = await ex([...args, '--ids']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter(Boolean).sort();
};

// Expected ids were worked out by reading examples/consultancy with grep, not with tb.
describe('tb list on the example CRM', () => {
  it('VIPs (tag:vip)', async () => {
    expect(await ids(['list', 'contacts', 'tag:vip'])).toEqual(['jose-muller', 'konrad-beck', 'matthias-kronberg', 'siobhan-o-connor', 'yusuf-demir', 'zoe-angstrom']);
  });

  it('VIPs at fintech companies (a dotted reference)', async () => {
    expect(await ids(['list', 'contacts', 'tag:vip', 'company.industry:fintech'])).toEqual(['jose-muller', 'matthias-kronberg', 'siobhan-o-connor', 'zoe-angstrom']);
  });

  it('open deals over 10k closing this quarter', async () => {
    expect(await ids(['list', 'deals', 'open:true value>10000 expected_close:..2026-12-31'])).toEqual([
      'mercado-verde-supply-chain', 'nordfracht-route-analytics', 'paylane-pci-audit-2027', 'tallyhq-series-a-readiness',
    ]);
  });

  it('any-of values and OR', async () => {
    expect(await ids(['list', 'deals', 'stage:won,lost'])).toEqual(
      ['atelier-sol-booking-workflow', 'brot-und-butter-pos-rollout', 'lumen-patient-portal-audit', 'nordfracht-ops-retainer-2025', 'nordfracht-warehouse-pilot', 'paylane-retainer-2026', 'paylane-risk-review-2025'],
    );
    expect(await ids(['list', 'deals', 'stage:lead', 'OR', 'value>=40000'])).toEqual(['brot-und-butter-pos-rollout', 'greenfield-grid-forecasting', 'kronberg-data-governance', 'paylane-risk-review-2025', 'tallyhq-pricing-strategy']);
  });

  it('inbound emails in the last three weeks', async () => {
    expect(await ids(['list', 'interactions', 'channel:email direction:in date>=-3w'])).toEqual([
      '2026-11-04-chiara-rossi-email-jtwf', '2026-11-04-zoe-angstrom-email-8wpe', '2026-11-05-dariusz-wojcik-email-byj3', '2026-11-06-javier-ortega-email-e7x7', '2026-11-12-greta-schafer-email-6bnd',
    ]);
  });

  it('a saved segment with a relative date', async () => {
    // at-risk: customers whose last contact is more than 90 days before 2026-11-23 (before 2026-08-25).
    expect(await ids(['list', 'contacts', '@at-risk'])).toEqual(['ayse-yilmaz', 'lucia-fernandez', 'pablo-sanchez']);
  });

  it('json has the documented shape with derived fields', async () => {
    const r = await ex(['list', 'contacts', 'tag:vip', 'company:paylane', '--json']);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: { id: string }) => x.id)).toEqual(['jose-muller', 'zoe-angstrom']);
    expect(Object.keys(rows[0]).slice(0, 4)).toEqual(['id', 'type', 'path', 'name']);
    expect(rows[0].derived).toMatchObject({ last_contact: '2026-11-18' });
  });

  it('csv and md formats, --fields, --sort, --limit', async () => {
    const csv = await ex(['list', 'deals', 'stage:won', '--fields', 'id,value', '--sort', '-value', '--limit', '2', '--format', 'csv']);
    expect(csv.stdout).toBe('id,value\r\nbrot-und-butter-pos-rollout,55000\r\npaylane-risk-review-2025,42000\r\n');
    const md = await ex(['list', 'deals', 'stage:won', '--fields', 'id,value', '--sort', 'value', '--limit', '1', '--format', 'md']);
    expect(md.stdout).toBe('| id | value |\n| --- | --- |\n| atelier-sol-booking-workflow | 7500 |\n');
  });

  it('csv writes a list as one cell of a; b, as tb export csv does', async () => {
    const csv = (await ex(['list', 'contacts', '--fields', 'id,tags', '--format', 'csv'])).stdout;
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('id,tags');
    expect(lines.some((l) => /^[a-z-]+,[a-z-]+(; [a-z-]+)+$/.test(l))).toBe(true);
    expect(csv).not.toMatch(/,[a-z-]+, [a-z-]+/);
  });

  it('--count', async () => {
    expect((await ex(['list', 'contacts', '--count'])).stdout.trim()).toBe('30');
  });
});

describe('tb list --help and tb export --help', () => {
  it('names every type folder it lists, campaigns too', async () => {
    const r = await ex(['list', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('contacts (default), companies, deals, interactions, reminders, cases or campaigns');
  });

  it('tb export --help names them too', async () => {
    const r = await ex(['export', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('contacts (default for csv and vcard), companies, deals, interactions, reminders, cases or campaigns');
  });
});

describe('tb list errors', () => {
  it('a parse error names the column and shows a caret', async () => {
    const r = await ex(['list', 'contacts', 'tag:vip value=>10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tb: unknown operator '=>' at column 14\n  tag:vip value=>10\n               ^\ntb: hint: operators are : = != > >= < <=\n");
  });

  it('an unknown field gets did-you-mean, never silent full text', async () => {
    const r = await ex(['list', 'contacts', 'stag:customer']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown field 'stag'");
    expect(r.stderr).toContain("did you mean 'stage'");
  });

  it('an unknown --sort or --fields field names the option and lists the fields of the type', async () => {
    const r = await ex(['list', 'cases', '--sort', 'bogus']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const [message, hint] = r.stderr.split('\n');
    expect(message).toBe("tb: unknown field 'bogus' in --sort for cases");
    expect(hint).toMatch(/^tb: hint: fields: .*\bpriority\b.*\bresolve_due\b/);
    const near = await ex(['case', 'list', '--sort', '-priorty']);
    expect(near.code).toBe(2);
    expect(near.stderr).toMatch(/tb: hint: did you mean 'priority'\? fields: /);
    const cols = await ex(['list', 'deals', '--fields', 'title,valu']);
    expect(cols.stderr).toContain("tb: unknown field 'valu' in --fields for deals\ntb: hint: did you mean 'value'?");
  });

  it('a wrong-typed value says so', async () => {
    const r = await ex(['list', 'deals', 'value>abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'abc' is not a number or date");
  });

  it('an unknown sort field', async () => {
    const r = await ex(['list', 'contacts', '--sort', 'nmae']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean 'name'");
  });

  it('a query that starts with a negation is a query, not an option (list, pipeline, due)', async () => {
    const negated = await ex(['list', 'contacts', '-tag:vip', '--ids']);
    expect(negated.code).toBe(0);
    expect(negated.stdout).toBe((await ex(['list', 'contacts', 'NOT tag:vip', '--ids'])).stdout);
    expect(negated.stdout.split('\n').length).toBeGreaterThan(5);
    expect((await ex(['list', '-tag:vip', '--count'])).stdout).toBe((await ex(['list', 'contacts', 'NOT', 'tag:vip', '--count'])).stdout);
    expect((await ex(['pipeline', '-tag:nothing', '--json'])).stdout).toBe((await ex(['pipeline', '--json'])).stdout);
    expect((await ex(['due', '-tag:nothing', '--format', 'json'])).stdout).toBe((await ex(['due', '--format', 'json'])).stdout);
  });

  it('a negation is never taken for a short option with its value glued on (export -o)', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.csv');
    const r = await tb(['--dir', EXAMPLE, '--as-of', AS_OF, 'export', 'csv', 'contacts', '-owner:sam', '-o', out], { cwd: dir });
    expect(r.code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['out.csv']);
    const rows = fs.readFileSync(out, 'utf8').trim().split('\r\n').length - 1;
    expect(rows).toBe(Number((await ex(['list', 'contacts', 'NOT owner:sam', '--count'])).stdout.trim()));
  });

  it('an option typo is still an unknown option, with did-you-mean', async () => {
    expect(await ex(['list', 'contacts', '--sotr', 'name'])).toEqual({ code: 2, stdout: '', stderr: "tb: unknown option '--sotr'\ntb: hint: did you mean '--sort'?\n" });
    expect((await ex(['list', 'contacts', '-s', 'name'])).stderr).toBe("tb: unknown option '-s'\n");
    // An option's own value may start with a dash.
    expect((await ex(['list', 'contacts', '--sort', '-name', '--ids'])).stdout.split('\n')[0]).toBe('zoe-angstrom');
    expect(await ex(['lst'])).toEqual({ code: 2, stdout: '', stderr: "tb: unknown command 'lst'\ntb: hint: did you mean 'list'?\n" });
  });

  it('no matches: empty stdout, a note on stderr, exit 0', async () => {
    const r = await ex(['list', 'contacts', 'tag:nonexistent-tag']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("no matches\ntb: hint: no contact has tag 'nonexistent-tag'\n");
    expect((await ex(['list', 'contacts', 'stage:churned tag:vip'])).stderr).toBe('no matches\n');
  });
});

describe('tb segment', () => {
  it('save, list, use and remove; only the segments entry of touchbase.yaml changes', async () => {
    const dir = exampleCopy();
    const before = snapshot(dir);
    const config = read(dir, 'touchbase.yaml');
    let r = await tb(['--dir', dir, '--as-of', AS_OF, 'segment', 'save', 'big-deals', 'value>=40000', '--type', 'deals']);
    expect(r).toMatchObject({ code: 0, stdout: 'Saved segment @big-deals (deals): value>=40000\n' });
    expect(read(dir, 'touchbase.yaml')).toBe(config.replace(/(  hot-deals: .*\n)/, '$1  big-deals: {query: value>=40000, type: deals}\n'));
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: ['touchbase.yaml'] });
    r = await tb(['--dir', dir, '--as-of', AS_OF, 'list', 'deals', '@big-deals', '--ids']);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['brot-und-butter-pos-rollout', 'kronberg-data-governance', 'paylane-risk-review-2025']);
    expect((await tb(['--dir', dir, 'segment', 'list', '--json'])).stdout).toContain('"name": "big-deals",\n    "type": "deals"');
    // The segment remembers its type: no type word needed, and the wrong one is refused.
    r = await tb(['--dir', dir, '--as-of', AS_OF, 'list', '@big-deals', '--ids']);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['brot-und-butter-pos-rollout', 'kronberg-data-governance', 'paylane-risk-review-2025']);
    r = await tb(['--dir', dir, '--as-of', AS_OF, 'list', 'contacts', '@big-deals']);
    expect(r).toMatchObject({ code: 2, stderr: 'tb: segment @big-deals was saved for deals, not contacts\ntb: hint: tb list deals @big-deals\n' });
    r = await tb(['--dir', dir, 'segment', 'rm', 'big-deals']);
    expect(r.code).toBe(0);
    expect(read(dir, 'touchbase.yaml')).toBe(config);
  });

  it("tb segment rm of the last segment (the one tb init writes) leaves 'segments: {}', and save works again (a newcomer pass)", async () => {
    const dir = await emptyCrm();
    const r = await tb(['--dir', dir, 'segment', 'rm', 'at-risk']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(read(dir, 'touchbase.yaml')).toMatch(/^segments: \{\}$/m);
    expect((await tb(['--dir', dir, 'segment', 'list', '--format', 'json'])).stdout.trim()).toBe('[]');
    expect((await tb(['--dir', dir, 'check'])).code).toBe(0);
    expect((await tb(['--dir', dir, 'segment', 'save', 'vips', 'tag:vip'])).code).toBe(0);
    expect((await tb(['--dir', dir, 'list', 'contacts', '@vips'])).code).toBe(0);
  });

  it('refuses a query with an unknown field, a bad name, and a missing segment', async () => {
    const dir = exampleCopy();
    const config = read(dir, 'touchbase.yaml');
    expect((await tb(['--dir', dir, 'segment', 'save', 'x', 'stag:lead'])).code).toBe(2);
    expect((await tb(['--dir', dir, 'segment', 'save', 'Bad Name', 'tag:vip'])).stderr).toContain("invalid segment name 'Bad Name'");
    const r = await tb(['--dir', dir, 'segment', 'rm', 'at-rsik']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("did you mean 'at-risk'");
    expect(read(dir, 'touchbase.yaml')).toBe(config);
  });

  it('a segment cycle is an error', async () => {
    const dir = exampleCopy();
    await tb(['--dir', dir, 'segment', 'save', 'a', 'tag:vip']);
    const r = await tb(['--dir', dir, 'segment', 'save', 'a', '@a']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cycle|itself/);
  });
});
