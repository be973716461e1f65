import { describe, expect, it } from 'vitest';
import { validateDataset } from '../../src/core/validate.js';
import { fixRecordText } from '../../src/store/fix.js';
import { defaultConfig } from '../../src/core/config.js';
import type { Config, CrmRecord, Dataset, FrontMatter, Problem, RecordType } from '../../src/core/types.js';
import { DATASET_KEY, FOLDER_OF } from '../../src/core/types.js';
import { DataError } from '../../src/errors.js';

/** A record at its usual path unless one is given. */
function rec(type: RecordType, id: string, data: FrontMatter, path?: string): CrmRecord {
  const folder = type === 'interaction' ? 'interactions/2026/11' : FOLDER_OF[type];
  return { type, id, path: path ?? `${folder}/${id}.md`, data };
}

/** A small valid CRM that each case adds one record to. */
function baseRecords(): CrmRecord[] {
  return [
    rec('company', 'acme', { name: 'Acme' }),
    rec('contact', 'ada-lovelace', { name: 'Ada Lovelace', company: 'acme', emails: ['ada@example.com'] }),
    rec('deal', 'acme-renewal', { title: 'Acme renewal', company: 'acme', contacts: ['ada-lovelace'], stage: 'proposal', value: 1000, region: 'eu' }),
  ];
}

function dataset(records: CrmRecord[], config: Config = defaultConfig()): Dataset {
  const ds: Dataset = { root: '/crm', config, contacts: [], companies: [], deals: [], interactions: [], reminders: [], problems: [] };
  for (const r of records) ds[DATASET_KEY[r.type]].push(r);
  return ds;
}

function withConfig(change: (c: Config) => void): Config {
  const c = defaultConfig();
  change(c);
  return c;
}

/** Problems of one file, as [severity, key, message] triples for compact tables. */
function problemsOf(problems: Problem[], path: string): Array<[string, string | undefined, string]> {
  return problems.filter((p) => p.path === path).map((p) => [p.severity, p.key, p.message]);
}

interface Case {
  name: string;
  record: CrmRecord;
  config?: Config;
  expected: Array<[Problem['severity'], string | undefined, string]>;
}

const contact = (data: FrontMatter, id = 'grace-hopper') => rec('contact', id, { name: 'Grace Hopper', ...data });
const deal = (data: FrontMatter) => rec('deal', 'big-deal', { title: 'Big deal', ...data });
const interaction = (data: FrontMatter) =>
  rec('interaction', '2026-11-20-ada-lovelace-call-k3x9', { date: '2026-11-20', contacts: ['ada-lovelace'], ...data });
const reminder = (data: FrontMatter) => rec('reminder', '2026-11-27-send-q7p2', { due: '2026-11-27', text: 'Send proposal', ...data });
const ownersConfig = withConfig((c) => {
  c.owners = { sam: { name: 'Sam' }, kim: {} };
});
const fieldConfig = withConfig((c) => {
  c.fields = {
    nps: { type: 'number', min: 0, max: 10, on: 'contacts' },
    segment: { type: 'string', values: ['smb', 'enterprise'] },
    since: { type: 'date', on: ['companies'] },
    vip: { type: 'boolean', on: 'contact' },
    langs: { type: 'list', values: ['en', 'fr'], on: 'contacts' },
    region: { required: true, on: 'deals' },
  };
});

const cases: Case[] = [
  // required fields
  { name: 'contact without name', record: rec('contact', 'nobody', { emails: ['n@example.com'] }), expected: [['error', 'name', "missing required field 'name'"]] },
  { name: 'company without name', record: rec('company', 'initech', {}), expected: [['error', 'name', "missing required field 'name'"]] },
  { name: 'deal without title', record: rec('deal', 'd', { stage: 'lead' }), expected: [['error', 'title', "missing required field 'title'"]] },
  { name: 'interaction without date', record: interaction({ date: undefined }), expected: [['error', 'date', "missing required field 'date'"]] },
  { name: 'interaction without contacts', record: interaction({ contacts: [] }), expected: [['error', 'contacts', "missing required field 'contacts'"]] },
  { name: 'interaction with singular contact is fine', record: interaction({ contacts: undefined, contact: 'ada-lovelace' }), expected: [] },
  {
    name: 'reminder without due and text',
    record: rec('reminder', 'r-1', { contact: 'ada-lovelace' }),
    expected: [['error', 'due', "missing required field 'due'"], ['error', 'text', "missing required field 'text'"]],
  },
  { name: 'empty string counts as missing', record: contact({ name: '' }), expected: [['error', 'name', "missing required field 'name'"]] },

  // dates
  { name: 'created not ISO', record: contact({ created: '20/11/2026' }), expected: [['error', 'created', "'created' must be a date YYYY-MM-DD, got '20/11/2026'"]] },
  { name: 'created not a real day', record: contact({ created: '2026-02-30' }), expected: [['error', 'created', "'created' is not a real date: '2026-02-30'"]] },
  { name: 'created with a time', record: contact({ created: '2026-02-03T10:00' }), expected: [['error', 'created', "'created' must be a date YYYY-MM-DD, got '2026-02-03T10:00'"]] },
  { name: 'created as a number', record: contact({ created: 2026 }), expected: [['error', 'created', "'created' must be a date YYYY-MM-DD, got '2026'"]] },
  { name: 'birthday without year', record: contact({ birthday: '--12-10' }), expected: [] },
  { name: 'birthday 29 February without year', record: contact({ birthday: '--02-29' }), expected: [] },
  { name: 'birthday without year, unreal', record: contact({ birthday: '--02-30' }), expected: [['error', 'birthday', "'birthday' is not a real date: '--02-30'"]] },
  { name: 'birthday garbage', record: contact({ birthday: 'Dec 10' }), expected: [['error', 'birthday', "'birthday' must be a date YYYY-MM-DD or --MM-DD, got 'Dec 10'"]] },
  { name: 'deal expected_close', record: deal({ expected_close: '2026-13-01' }), expected: [['error', 'expected_close', "'expected_close' is not a real date: '2026-13-01'"]] },
  {
    name: 'interaction date may have a time',
    record: interaction({ date: '2026-11-20T14:30' }),
    expected: [],
  },
  {
    name: 'interaction date with a bad time',
    record: interaction({ date: '2026-11-20T25:30' }),
    expected: [['error', 'date', "'date' is not a real date: '2026-11-20T25:30'"]],
  },
  {
    name: 'interaction date not a date',
    record: interaction({ date: 'yesterday' }),
    expected: [['error', 'date', "'date' must be a date YYYY-MM-DD (optionally with a time, YYYY-MM-DDTHH:MM), got 'yesterday'"]],
  },
  { name: 'reminder due', record: reminder({ due: 'tomorrow' }), expected: [['error', 'due', "'due' must be a date YYYY-MM-DD, got 'tomorrow'"]] },
  { name: 'reminder done', record: reminder({ status: 'done', done: '2026-04-31' }), expected: [['error', 'done', "'done' is not a real date: '2026-04-31'"]] },
  {
    name: 'history date',
    record: deal({ stage: 'proposal', history: [{ date: '2026-1-5', stage: 'proposal' }] }),
    expected: [['error', 'history', "history entry 1: 'date' must be a date YYYY-MM-DD, got '2026-1-5'"]],
  },
  {
    name: 'history entry not a mapping',
    record: deal({ stage: 'proposal', history: ['proposal'] }),
    expected: [['error', 'history', "history entry 1 must be a mapping {date, stage}, got 'proposal'"]],
  },
  {
    name: 'history entry without stage',
    record: deal({ stage: 'proposal', history: [{ date: '2026-01-05' }] }),
    expected: [['error', 'history', 'history entry 1 has no stage']],
  },

  // numbers
  { name: 'deal value not a number', record: deal({ value: '10k' }), expected: [['error', 'value', "'value' must be a number, got '10k'"]] },
  { name: 'deal probability above 1', record: deal({ probability: 1.5 }), expected: [['error', 'probability', "'probability' must be a number from 0 to 1, got '1.5'"]] },
  { name: 'deal probability as percent text', record: deal({ probability: '50%' }), expected: [['error', 'probability', "'probability' must be a number from 0 to 1, got '50%'"]] },
  { name: 'deal probability 0 is fine', record: deal({ probability: 0 }), expected: [] },

  // lists
  { name: 'tags as a plain string', record: contact({ tags: 'vip' }), expected: [['warning', 'tags', "'tags' should be a list, e.g. tags: [vip]"]] },
  { name: 'emails as a plain string', record: contact({ emails: 'g@example.com' }), expected: [['warning', 'emails', "'emails' should be a list, e.g. emails: [g@example.com]"]] },
  { name: 'phones as a plain string', record: contact({ phones: '+1 555' }), expected: [['warning', 'phones', "'phones' should be a list, e.g. phones: [+1 555]"]] },
  { name: 'tags as a mapping', record: contact({ tags: { a: 1 } }), expected: [['error', 'tags', "'tags' must be a list, not a mapping"]] },
  { name: 'tags holding a mapping', record: contact({ tags: ['ok', { a: 1 }] }), expected: [['error', 'tags', "'tags' must be a list of text values"]] },
  { name: 'links as a string', record: contact({ links: 'https://x.org' }), expected: [['error', 'links', "'links' must be a list, got 'https://x.org'"]] },
  { name: 'interaction contacts as a string', record: interaction({ contacts: 'ada-lovelace' }), expected: [['error', 'contacts', "'contacts' must be a list, got 'ada-lovelace'"]] },
  { name: 'deal history as a string', record: deal({ history: 'lead then won' }), expected: [['error', 'history', "'history' must be a list, got 'lead then won'"]] },

  // enums and intervals
  { name: 'direction', record: interaction({ direction: 'inbound' }), expected: [['error', 'direction', "direction 'inbound' is not one of: in, out"]] },
  { name: 'reminder status', record: reminder({ status: 'closed' }), expected: [['error', 'status', "status 'closed' is not one of: open, done, cancelled"]] },
  { name: 'reminder status with hint', record: reminder({ status: 'canceled' }), expected: [['error', 'status', "status 'canceled' is not one of: open, done, cancelled; did you mean 'cancelled'?"]] },
  { name: 'repeat not an interval', record: reminder({ repeat: 'weekly' }), expected: [['error', 'repeat', "'repeat' must be an interval like 30d, 2w, 3m or 1y, got 'weekly'"]] },
  { name: 'repeat fine', record: reminder({ repeat: '1w' }), expected: [] },
  { name: 'cadence not an interval', record: contact({ cadence: 30 }), expected: [['error', 'cadence', "'cadence' must be an interval like 30d, 2w, 3m or 1y, got '30'"]] },
  { name: 'email malformed', record: contact({ emails: ['grace@', 'g@example.com'] }), expected: [['error', 'emails', "'grace@' does not look like an email address"]] },
  { name: 'singular email malformed', record: contact({ email: 'grace at navy' }), expected: [['error', 'email', "'grace at navy' does not look like an email address"]] },

  // values outside config
  {
    name: 'deal stage not in pipeline',
    record: deal({ stage: 'negotation' }),
    expected: [['error', 'stage', "stage 'negotation' is not one of: lead, qualified, proposal, negotiation, won, lost; did you mean 'negotiation'?"]],
  },
  {
    name: 'contact stage not in lifecycle',
    record: contact({ stage: 'qualified' }),
    expected: [['error', 'stage', "lifecycle stage 'qualified' is not one of: lead, prospect, customer, churned"]],
  },
  { name: 'interaction channel', record: interaction({ channel: 'sms' }), expected: [['error', 'channel', "channel 'sms' is not one of: email, call, meeting, message, note"]] },
  { name: 'owner ignored without config owners', record: contact({ owner: 'anyone' }), expected: [] },
  { name: 'owner not in config', record: contact({ owner: 'kimm' }), config: ownersConfig, expected: [['error', 'owner', "owner 'kimm' is not one of: sam, kim; did you mean 'kim'?"]] },
  { name: 'owner in config', record: contact({ owner: 'kim' }), config: ownersConfig, expected: [] },
  { name: 'currency not 3 letters', record: deal({ currency: 'EURO' }), expected: [['error', 'currency', "'currency' must be a 3-letter code such as EUR, got 'EURO'"]] },

  // custom fields
  { name: 'custom number out of range', record: contact({ nps: 11 }), config: fieldConfig, expected: [['error', 'nps', "'nps' must be at most 10, got 11"]] },
  { name: 'custom number below min', record: contact({ nps: -1 }), config: fieldConfig, expected: [['error', 'nps', "'nps' must be at least 0, got -1"]] },
  { name: 'custom number not a number', record: contact({ nps: 'high' }), config: fieldConfig, expected: [['error', 'nps', "'nps' must be a number, got 'high'"]] },
  { name: 'custom field on another type is ignored', record: deal({ nps: 'high', region: 'eu' }), config: fieldConfig, expected: [] },
  {
    name: 'custom values with hint',
    record: contact({ segment: 'enterprize' }),
    config: fieldConfig,
    expected: [['error', 'segment', "'segment' value 'enterprize' is not one of: smb, enterprise; did you mean 'enterprise'?"]],
  },
  { name: 'custom date', record: rec('company', 'globex', { name: 'Globex', since: '2026-02-29' }), config: fieldConfig, expected: [['error', 'since', "'since' is not a real date: '2026-02-29'"]] },
  { name: 'custom boolean', record: contact({ vip: 'yes' }), config: fieldConfig, expected: [['error', 'vip', "'vip' must be true or false, got 'yes'"]] },
  { name: 'custom list', record: contact({ langs: 'en' }), config: fieldConfig, expected: [['error', 'langs', "'langs' must be a list, got 'en'"]] },
  { name: 'custom list values', record: contact({ langs: ['en', 'de'] }), config: fieldConfig, expected: [['error', 'langs', "'langs' value 'de' is not one of: en, fr"]] },
  { name: 'custom string given a mapping', record: contact({ segment: { a: 1 } }), config: fieldConfig, expected: [['error', 'segment', "'segment' must be text, got '{\"a\":1}'"]] },
  { name: 'custom required', record: deal({}), config: fieldConfig, expected: [['error', 'region', "missing required field 'region'"]] },

  // references
  { name: 'unknown company with hint', record: contact({ company: 'acmee' }), expected: [['error', 'company', "unknown company 'acmee'; did you mean 'acme'?"]] },
  { name: 'unknown company without hint', record: contact({ company: 'zzz-corp' }), expected: [['error', 'company', "unknown company 'zzz-corp'"]] },
  { name: 'company as a quoted link', record: contact({ company: '[[acme]]' }), expected: [] },
  { name: 'company as an unquoted link', record: contact({ company: [['acme']] }), expected: [] },
  { name: 'company as a list', record: contact({ company: ['acme', 'acme'] }), expected: [['error', 'company', "'company' must be a single company id, got '[\"acme\",\"acme\"]'"]] },
  {
    name: 'deal contacts unknown',
    record: deal({ company: 'acme', contacts: ['ada-lovelace', 'ada-lovelase'] }),
    expected: [['error', 'contacts', "unknown contact 'ada-lovelase'; did you mean 'ada-lovelace'?"]],
  },
  { name: 'interaction deal unknown', record: interaction({ deal: 'acme-renewl' }), expected: [['error', 'deal', "unknown deal 'acme-renewl'; did you mean 'acme-renewal'?"]] },
  { name: 'interaction contact unknown', record: interaction({ contacts: ['[[bob]]'] }), expected: [['error', 'contacts', "unknown contact 'bob'"]] },
  { name: 'reminder contact unknown', record: reminder({ contact: 'ada' }), expected: [['error', 'contact', "unknown contact 'ada'; did you mean 'ada-lovelace'?"]] },
  { name: 'reminder deal unknown', record: reminder({ deal: 'nope' }), expected: [['error', 'deal', "unknown deal 'nope'"]] },

  // file names and folders
  {
    name: 'file name not a slug',
    record: rec('contact', 'Grace_Hopper', { name: 'Grace Hopper' }),
    expected: [['error', undefined, "file name 'Grace_Hopper' is not a valid id (lowercase letters, digits and single hyphens); rename it to 'grace-hopper.md'"]],
  },
  {
    name: 'file name reserved on Windows',
    record: rec('company', 'con', { name: 'Con' }),
    expected: [['error', undefined, "file name 'con' is not a valid id (lowercase letters, digits and single hyphens); rename it to 'con-1.md'"]],
  },
  {
    name: 'deal filed under contacts',
    record: rec('contact', 'renewal', { title: 'Renewal', stage: 'proposal', value: 5000 }),
    expected: [
      ['warning', undefined, "looks like a deal, not a contact (no 'name'); move it to deals/"],
      ['error', 'name', "missing required field 'name'"],
      ['error', 'stage', "lifecycle stage 'proposal' is not one of: lead, prospect, customer, churned"],
    ],
  },
  {
    name: 'contact with a job title and lifecycle stage is not a deal',
    record: rec('contact', 'cto', { title: 'CTO', stage: 'lead' }),
    expected: [['error', 'name', "missing required field 'name'"]],
  },
  {
    name: 'interaction in the wrong month folder',
    record: rec('interaction', '2026-10-02-ada-call-aaaa', { date: '2026-10-02', contacts: ['ada-lovelace'] }, 'interactions/2026/11/2026-10-02-ada-call-aaaa.md'),
    expected: [['warning', 'date', 'dated 2026-10-02 but not filed under interactions/2026/10/; expected interactions/2026/10/2026-10-02-ada-call-aaaa.md']],
  },
  {
    name: 'interaction at the top of interactions/',
    record: rec('interaction', '2026-11-20-ada-call-bbbb', { date: '2026-11-20T09:00', contacts: ['ada-lovelace'] }, 'interactions/2026-11-20-ada-call-bbbb.md'),
    expected: [['warning', 'date', 'dated 2026-11-20 but not filed under interactions/2026/11/; expected interactions/2026/11/2026-11-20-ada-call-bbbb.md']],
  },

  // derived fields are computed, never stored
  {
    name: 'contact storing derived fields',
    record: contact({ last_contact: '2020-01-01', interactions: 5 }),
    expected: [
      ['error', 'last_contact', "'last_contact' is a derived field (computed from other records) and cannot be stored; remove it"],
      ['error', 'interactions', "'interactions' is a derived field (computed from other records) and cannot be stored; remove it"],
    ],
  },
  {
    name: 'company storing its contact count',
    record: rec('company', 'initech', { name: 'Initech', contacts: 3 }),
    expected: [['error', 'contacts', "'contacts' is a derived field (computed from other records) and cannot be stored; remove it"]],
  },
  { name: "a deal's own probability overrides its stage's", record: deal({ probability: 0.9 }), expected: [] },
  { name: 'a deal storing weighted', record: deal({ weighted: 100 }), expected: [['error', 'weighted', "'weighted' is a derived field (computed from other records) and cannot be stored; remove it"]] },

  // deal consistency
  { name: 'closed date on an open stage', record: deal({ stage: 'proposal', closed: '2026-11-01' }), expected: [['warning', 'closed', "has a 'closed' date but stage 'proposal' is not a closed stage"]] },
  { name: 'won without closed date', record: deal({ stage: 'won' }), expected: [['warning', 'stage', "stage 'won' is won but there is no 'closed' date"]] },
  { name: 'won with closed date', record: deal({ stage: 'won', closed: '2026-11-01' }), expected: [] },
  {
    name: 'history disagrees with stage',
    record: deal({ stage: 'proposal', history: [{ date: '2026-01-01', stage: 'lead' }, { date: '2026-02-01', stage: 'negotiation' }] }),
    expected: [['warning', 'history', "last history entry is stage 'negotiation' but the deal's stage is 'proposal'"]],
  },
  {
    name: 'history agrees with stage (sorted by date)',
    record: deal({ stage: 'proposal', history: [{ date: '2026-02-01', stage: 'proposal' }, { date: '2026-01-01', stage: 'lead' }] }),
    expected: [],
  },
];

describe('validateDataset: one problem class per case', () => {
  it('reports nothing on the valid base records', () => {
    expect(validateDataset(dataset(baseRecords()))).toEqual([]);
  });

  it.each(cases)('$name', ({ record, config, expected }) => {
    const problems = validateDataset(dataset([...baseRecords(), record], config));
    expect(problemsOf(problems, record.path)).toEqual(expected);
    // Every problem is about the file and leaves the line to the store layer.
    for (const p of problems) expect(p.line).toBe(0);
    // The base records are untouched by the case.
    expect(problems.filter((p) => p.path !== record.path)).toEqual([]);
  });
});

describe('validateDataset: problems across records', () => {
  it('flags the same id in contacts/ and companies/ on both files', () => {
    const records = [...baseRecords(), rec('contact', 'acme', { name: 'Acme Person' })];
    const problems = validateDataset(dataset(records));
    expect(problemsOf(problems, 'contacts/acme.md')).toEqual([['error', undefined, "duplicate id 'acme': also used by companies/acme.md"]]);
    expect(problemsOf(problems, 'companies/acme.md')).toEqual([['error', undefined, "duplicate id 'acme': also used by contacts/acme.md"]]);
  });

  it('flags two interactions with the same stem in different month folders', () => {
    const id = '2026-11-20-ada-call-k3x9';
    const a = rec('interaction', id, { date: '2026-11-20', contacts: ['ada-lovelace'] }, `interactions/2026/11/${id}.md`);
    const b = rec('interaction', id, { date: '2026-11-20', contacts: ['ada-lovelace'] }, `interactions/2026/12/${id}.md`);
    const problems = validateDataset(dataset([...baseRecords(), a, b]));
    expect(problemsOf(problems, a.path)).toEqual([['error', undefined, `duplicate id '${id}': also used by ${b.path}`]]);
    expect(problemsOf(problems, b.path)).toEqual([
      ['warning', 'date', `dated 2026-11-20 but not filed under interactions/2026/11/; expected interactions/2026/11/${id}.md`],
      ['error', undefined, `duplicate id '${id}': also used by ${a.path}`],
    ]);
  });

  it('warns on both contacts sharing an email, case-insensitively', () => {
    const twin = rec('contact', 'ada-l', { name: 'Ada L', email: 'ADA@example.com' });
    const problems = validateDataset(dataset([...baseRecords(), twin]));
    expect(problemsOf(problems, 'contacts/ada-lovelace.md')).toEqual([
      ['warning', 'emails', "email 'ada@example.com' is also on contacts/ada-l.md; possible duplicate (see tb dedupe)"],
    ]);
    expect(problemsOf(problems, 'contacts/ada-l.md')).toEqual([
      ['warning', 'email', "email 'ada@example.com' is also on contacts/ada-lovelace.md; possible duplicate (see tb dedupe)"],
    ]);
  });

  it('does not call one contact listing an email twice a duplicate', () => {
    const self = rec('contact', 'bob', { name: 'Bob', emails: ['b@example.com', 'B@example.com'] });
    expect(validateDataset(dataset([...baseRecords(), self]))).toEqual([]);
  });

  it('ignores parse problems already in the dataset', () => {
    const ds = dataset(baseRecords());
    ds.problems.push({ path: 'contacts/broken.md', line: 3, message: 'invalid YAML', severity: 'error' });
    expect(validateDataset(ds)).toEqual([]);
  });

  it('does not report references to a file that exists but could not be read', () => {
    const records = [...baseRecords(), rec('interaction', '2026-11-20-grace-call-abcd', { date: '2026-11-20', contacts: ['grace', 'ghost'], deal: 'pilot' })];
    const problems = validateDataset(dataset(records), { unreadable: ['contacts/grace.md', 'deals/pilot.md', 'companies/ghost.md'] });
    // grace and pilot exist (unreadable); ghost is unreadable as a company, not a contact.
    expect(problemsOf(problems, 'interactions/2026/11/2026-11-20-grace-call-abcd.md')).toEqual([['error', 'contacts', "unknown contact 'ghost'"]]);
  });

  it('groups problems by file path', () => {
    const records = [rec('contact', 'zed', {}), rec('company', 'aaa', {}), rec('contact', 'bbb', {})];
    const paths = validateDataset(dataset(records)).map((p) => p.path);
    expect(paths).toEqual([...paths].sort());
  });
});

describe('fixRecordText', () => {
  const table: Array<{ name: string; input: string; output: string; changes: string[] }> = [
    {
      name: 'quoted link in company',
      input: '---\nname: Ada\ncompany: "[[acme]]" # employer\n---\nBody [[acme]] stays.\n',
      output: '---\nname: Ada\ncompany: acme # employer\n---\nBody [[acme]] stays.\n',
      changes: ['company: [[acme]] → acme'],
    },
    {
      name: 'unquoted link in company',
      input: '---\nname: Ada\ncompany: [[acme]]\n---\n',
      output: '---\nname: Ada\ncompany: acme\n---\n',
      changes: ['company: [[acme]] → acme'],
    },
    {
      name: 'unquoted single link in contacts keeps a list',
      input: '---\ndate: 2026-11-20\ncontacts: [[ada-lovelace]]\n---\n',
      output: '---\ndate: 2026-11-20\ncontacts: [ada-lovelace]\n---\n',
      changes: ['contacts: [[ada-lovelace]] → ada-lovelace'],
    },
    {
      name: 'block list of links, plain ids kept',
      input: '---\ntitle: X\ncontacts:\n  - "[[ada]]"\n  - bob\n  - "[[carl|Carl C]]"\nstage: lead\n---\n',
      output: '---\ntitle: X\ncontacts:\n  - ada\n  - bob\n  - carl\nstage: lead\n---\n',
      changes: ['contacts: [[ada]] → ada, [[carl]] → carl'],
    },
    {
      name: 'trailing whitespace on front matter lines only',
      input: '---  \nname: Ada  \ntags: [a]\t\n---\nbody line   \n',
      output: '---\nname: Ada\ntags: [a]\n---\nbody line   \n',
      changes: ['line 1: removed trailing whitespace', 'line 2: removed trailing whitespace', 'line 3: removed trailing whitespace'],
    },
    {
      name: 'CRLF line ends are kept',
      input: '---\r\nname: Ada \r\ncompany: "[[acme]]"\r\n---\r\nbody\r\n',
      output: '---\r\nname: Ada\r\ncompany: acme\r\n---\r\nbody\r\n',
      changes: ['line 2: removed trailing whitespace', 'company: [[acme]] → acme'],
    },
    {
      name: 'trailing blanks inside a literal block are data and stay',
      input: '---\nname: Ada \nnote: |\n  keep me  \n---\n',
      output: '---\nname: Ada\nnote: |\n  keep me  \n---\n',
      changes: ['line 2: removed trailing whitespace'],
    },
    { name: 'clean file', input: '---\nname: Ada\ncompany: acme\n---\n', output: '---\nname: Ada\ncompany: acme\n---\n', changes: [] },
    { name: 'no front matter', input: 'just text  \n', output: 'just text  \n', changes: [] },
    {
      name: 'links outside reference fields are left alone',
      input: '---\nname: Ada\nsee: "[[elsewhere]]"\n---\n',
      output: '---\nname: Ada\nsee: "[[elsewhere]]"\n---\n',
      changes: [],
    },
  ];

  it.each(table)('$name', ({ input, output, changes }) => {
    const result = fixRecordText(input);
    expect(result.text).toBe(output);
    expect(result.changes).toEqual(changes);
    // Fixing is idempotent.
    expect(fixRecordText(result.text)).toEqual({ text: output, changes: [] });
  });

  it('refuses a file it cannot parse', () => {
    expect(() => fixRecordText('---\nname: [unclosed\n---\n')).toThrow(DataError);
  });
});
