import { describe, expect, it } from 'vitest';
import { fillEmpty, planContactImport, planJsonImport, planRecordsImport } from '../../src/core/importer.js';
import type { ImportContext } from '../../src/core/importer.js';
import { defaultConfig } from '../../src/core/config.js';
import type { CrmRecord, FrontMatter, RecordType } from '../../src/core/types.js';
import { FOLDER_OF } from '../../src/core/types.js';
import { emptyDraft } from '../../src/interop/types.js';
import type { ContactDraft } from '../../src/interop/types.js';

const rec = (type: RecordType, id: string, data: FrontMatter): CrmRecord => ({ type, id, path: `${FOLDER_OF[type]}/${id}.md`, data });

function ctx(contacts: CrmRecord[] = [], companies: CrmRecord[] = [], extra: Partial<ImportContext> = {}): ImportContext {
  return {
    today: '2026-11-23', config: defaultConfig(), contacts, companies,
    takenIds: new Set([...contacts, ...companies].map((r) => r.id)), ...extra,
  };
}

function draft(line: number, fields: Partial<ContactDraft>): ContactDraft {
  return { ...emptyDraft(line), ...fields };
}

describe('fillEmpty', () => {
  it.each([
    ['fills an empty field', { name: 'A' }, { title: 'CTO' }, { name: 'A', title: 'CTO' }, ['title']],
    ['never overwrites a value', { title: 'CFO' }, { title: 'CTO' }, { title: 'CFO' }, []],
    ['lists gain missing values, emails case-insensitively', { emails: ['a@x.org'] }, { emails: ['A@x.org', 'b@x.org'] }, { emails: ['a@x.org', 'b@x.org'] }, ['emails']],
    ['phones compare by digits', { phones: ['+1 555 0100'] }, { phones: ['+15550100'] }, { phones: ['+1 555 0100'] }, []],
    ['empty incoming values are ignored', { title: 'CFO' }, { title: '', tags: [] }, { title: 'CFO' }, []],
  ])('%s', (_label, current, incoming, next, changed) => {
    expect(fillEmpty(current, incoming)).toEqual({ next, changed });
  });
});

describe('planContactImport', () => {
  const ada = rec('contact', 'ada-lovelace', { name: 'Ada Lovelace', emails: ['ada@x.org'], phones: ['+44 20 7946 0001'], title: 'Countess' });
  const acme = rec('company', 'acme', { name: 'Acme Corp' });

  it('matches by email first, filling only empty fields, and reports the row', () => {
    const plan = planContactImport([draft(2, { name: 'Ada L.', emails: ['ADA@x.org'], title: 'CEO', location: 'London' })], ctx([ada]));
    expect(plan.counts).toEqual({ created: 0, updated: 1, skipped: 0, duplicates: 0 });
    expect(plan.steps).toEqual([{ op: 'update', type: 'contact', id: 'ada-lovelace', path: 'contacts/ada-lovelace.md', edits: [{ key: 'location', value: 'London' }] }]);
    expect(plan.rows).toEqual([{ line: 2, action: 'updated', id: 'ada-lovelace', matched_by: 'email', fields: ['location'] }]);
  });

  // One existing contact, one incoming row: merged into it, or imported as a possible duplicate.
  const walsh = rec('contact', 'joe-walsh', { name: 'Joe Walsh', links: ['https://www.linkedin.com/in/joewalsh'], company: 'acme' });
  const desk = rec('contact', 'front-desk', { name: 'Front Desk', phones: ['+49 30 1234567'], emails: ['desk@hotel.example'] });
  it.each([
    ['same phone, same name, nothing else', ada, { name: 'Ada Lovelace', phones: ['+442079460001'], tags: ['vip'] }, 'update', 'name and phone'],
    ['same phone, no name given', ada, { phones: ['020 7946 0001'], tags: ['vip'] }, 'update', 'phone'],
    ['same name only, adds a phone', ada, { name: 'ada  lovelace', phones: ['+1 555 0100'] }, 'update', 'name'],
    ['same profile URL, different spelling of it', walsh, { name: 'Joseph Walsh', links: ['http://linkedin.com/in/joewalsh/'], title: 'CTO' }, 'update', 'profile URL'],
    ['same email even with another name', ada, { name: 'A. Lovelace', emails: ['ada@x.org'], tags: ['x'] }, 'update', 'email'],
    ['tb id column', ada, { name: 'Countess', ref: 'ada-lovelace', tags: ['x'] }, 'update', 'id'],
  ])('same person: %s', (_label, existing, fields, op, by) => {
    const plan = planContactImport([draft(2, fields)], ctx([existing], [acme]));
    expect(plan.steps[0]).toMatchObject({ op, id: existing.id });
    expect(plan.rows[0]).toMatchObject({ action: 'updated', matched_by: by });
  });

  it.each([
    ['same name, different email', ada, { name: 'Ada Lovelace', emails: ['other@y.org'] }, 'different email'],
    ['same name, different profile URL', walsh, { name: 'Joe Walsh', links: ['https://www.linkedin.com/in/joe-walsh-42'] }, 'different profile URL'],
    ['same name, different company', walsh, { name: 'Joe Walsh', company: 'Initech' }, 'different company'],
    ['same switchboard phone, different name', desk, { name: 'Mia Wong', phones: ['+49 30 1234567'] }, 'different name'],
    ['same name, different birthday', rec('contact', 'ann', { name: 'Ann Lee', birthday: '1980-01-02' }), { name: 'Ann Lee', birthday: '1990-05-06' }, 'different birthday'],
  ])('possible duplicate: %s', (_label, existing, fields, why) => {
    const plan = planContactImport([draft(5, fields)], ctx([existing], [acme]));
    expect(plan.counts).toMatchObject({ created: 1, updated: 0, duplicates: 1 });
    expect(plan.steps.filter((s) => s.op === 'update')).toEqual([]);
    expect(plan.rows[0]).toMatchObject({ line: 5, action: 'created', possible_duplicate_of: existing.id });
    expect(plan.issues[0].line).toBe(5);
    expect(plan.issues[0].message).toContain(why);
    expect(plan.issues[0].message).toContain(`'${existing.data.name}'`);
  });

  it('matches a national spelling of a stored international number, as tb dedupe does', () => {
    const amara = rec('contact', 'amara-okafor', { name: 'Amara Okafor', phones: ['+49 30 2198 4410'] });
    // (Same name: a phone shared by two different names is only a possible duplicate.)
    const plan = planContactImport([draft(2, { name: 'Amara Okafor', phones: ['030 21984410'], title: 'CFO' })], ctx([amara]));
    expect(plan.counts).toEqual({ created: 0, updated: 1, skipped: 0, duplicates: 0 });
    expect(plan.steps[0]).toMatchObject({ op: 'update', id: 'amara-okafor', edits: [{ key: 'title', value: 'CFO' }] });
  });

  it('skips a row that brings nothing new', () => {
    const plan = planContactImport([draft(2, { name: 'Ada Lovelace', emails: ['ada@x.org'] })], ctx([ada]));
    expect(plan.counts).toEqual({ created: 0, updated: 0, skipped: 1, duplicates: 0 });
    expect(plan.steps).toEqual([]);
    expect(plan.rows).toEqual([{ line: 2, action: 'unchanged', id: 'ada-lovelace', matched_by: 'email' }]);
  });

  it('creates new contacts with created/owner/tag, linking companies by name or creating them', () => {
    const plan = planContactImport(
      [draft(2, { name: 'José Müller', emails: ['j@x.org'], company: 'ACME corp', notes: 'hi' }), draft(3, { name: 'Zoë', company: 'Initech' })],
      ctx([ada], [acme], { owner: 'sam', tag: 'imported' }),
    );
    expect(plan.counts).toEqual({ created: 2, updated: 0, skipped: 0, duplicates: 0 });
    expect(plan.companiesCreated).toBe(1);
    expect(plan.steps).toEqual([
      { op: 'create', type: 'contact', id: 'jose-muller', data: { name: 'José Müller', emails: ['j@x.org'], company: 'acme', tags: ['imported'], owner: 'sam', created: '2026-11-23' }, body: '\nhi\n' },
      { op: 'create', type: 'company', id: 'initech', data: { name: 'Initech', tags: ['imported'], owner: 'sam', created: '2026-11-23' } },
      { op: 'create', type: 'contact', id: 'zoe', data: { name: 'Zoë', company: 'initech', tags: ['imported'], owner: 'sam', created: '2026-11-23' }, body: undefined },
    ]);
  });

  it("keeps the owner and created date a row carries (tb's own export), a [[link]] company, and escapes conflict markers", () => {
    const plan = planContactImport(
      [draft(2, { name: 'Ada', company: '[[acme]]', extra: { owner: 'kim', created: '2025-01-02' }, notes: 'a\n<<<<<<< HEAD\nb' })],
      ctx([], [acme], { owner: 'sam' }),
    );
    expect(plan.steps[0]).toMatchObject({ data: { company: 'acme', owner: 'kim', created: '2025-01-02' }, body: '\na\n\\<<<<<<< HEAD\nb\n' });
  });

  it('moves values tb check would reject to imported_<key> and reports them', () => {
    const config = { ...defaultConfig(), owners: { sam: {} } };
    const plan = planContactImport([draft(4, { name: 'Ada', extra: { owner: 'stranger', cadence: 'often' } })], ctx([], [], { config }));
    expect(plan.steps[0]).toMatchObject({ data: { name: 'Ada', imported_owner: 'stranger', imported_cadence: 'often' } });
    expect((plan.steps[0] as { data: FrontMatter }).data.owner).toBeUndefined();
    expect(plan.issues.map((i) => i.line)).toEqual([4, 4]);
  });

  it('merges rows of one file that match each other into the first, and says so per row', () => {
    const plan = planContactImport([draft(2, { name: 'Grace', emails: ['g@x.org'] }), draft(3, { name: 'Grace H', emails: ['g@x.org'], phones: ['555 0199'] })], ctx());
    expect(plan.counts).toEqual({ created: 1, updated: 1, skipped: 0, duplicates: 0 });
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ op: 'create', id: 'grace', data: { name: 'Grace', emails: ['g@x.org'], phones: ['555 0199'] } });
    expect(plan.rows[1]).toEqual({ line: 3, action: 'updated', id: 'grace', matched_by: 'email', fields: ['phones'], merged_into_line: 2 });
  });

  it('never merges two rows of one file that only share a name but differ in profile URL (LinkedIn)', () => {
    const rows = [
      draft(5, { name: 'Joe Walsh', links: ['https://www.linkedin.com/in/joewalsh'], company: 'Acme Corp' }),
      draft(6, { name: 'Joe Walsh', links: ['https://www.linkedin.com/in/joe-walsh-7'], company: 'Initech' }),
    ];
    const first = planContactImport(rows, ctx([], [acme]));
    expect(first.counts).toMatchObject({ created: 2, duplicates: 1 });
    const created = first.steps.filter((s) => s.op === 'create' && s.type === 'contact').map((s) => rec('contact', s.id, (s as { data: FrontMatter }).data));
    // Re-importing the same file is a no-op: each row finds its own contact again.
    const again = planContactImport(rows, ctx(created, [acme, rec('company', 'initech', { name: 'Initech' })]));
    expect(again.counts).toEqual({ created: 0, updated: 0, skipped: 2, duplicates: 0 });
  });

  it('re-importing rows without email is a no-op, even for a possible duplicate', () => {
    const rows = [draft(2, { name: 'Front Desk', phones: ['+49 30 1234567'] }), draft(3, { name: 'Mia Wong', phones: ['+49 30 1234567'] })];
    const first = planContactImport(rows, ctx());
    expect(first.counts).toMatchObject({ created: 2, duplicates: 1 });
    const created = first.steps.map((s) => rec('contact', s.id, (s as { data: FrontMatter }).data));
    expect(planContactImport(rows, ctx(created)).counts).toEqual({ created: 0, updated: 0, skipped: 2, duplicates: 0 });
  });

  it('reports a row matching several contacts and skips it', () => {
    const twin = rec('contact', 'ada-2', { name: 'Ada Lovelace' });
    const plan = planContactImport([draft(7, { name: 'Ada Lovelace' })], ctx([ada, twin]));
    expect(plan.issues).toEqual([{ line: 7, message: "'Ada Lovelace' matches 2 contacts by name (ada-lovelace, ada-2); skipped, see tb dedupe" }]);
    expect(plan.counts.skipped).toBe(1);
  });

  it('keeps extra columns as custom fields, never ids or derived fields', () => {
    const plan = planContactImport([draft(2, { name: 'Ada', extra: { 'Favourite Colour': 'teal', NPS: '9', Zip: '01234', id: 'x', last_contact: '2026-01-01', Title: 'Dr.' } })], ctx());
    expect(plan.steps[0]).toMatchObject({ data: { name: 'Ada', favourite_colour: 'teal', nps: 9, zip: '01234', created: '2026-11-23' } });
    expect(Object.keys((plan.steps[0] as { data: FrontMatter }).data)).toEqual(['name', 'created', 'favourite_colour', 'nps', 'zip']);
  });

  it('does not reuse an id taken by another record type', () => {
    const plan = planContactImport([draft(2, { name: 'Acme' })], ctx([], [rec('company', 'acme', { name: 'Acme Corp' })]));
    expect(plan.steps[0]).toMatchObject({ op: 'create', id: 'acme-2' });
  });
});

describe('planJsonImport', () => {
  it('creates with the exported id, updates existing ones only where empty, files interactions by date', () => {
    const existing = rec('contact', 'ada', { name: 'Ada', title: 'Countess' });
    const plan = planJsonImport(
      [
        { type: 'contact', id: 'ada', data: { name: 'Ada', title: 'CEO', stage: 'customer', path: 'contacts/ada.md' }, line: 2 },
        { type: 'interaction', id: '2026-11-20-ada-call-k3x9', data: { date: '2026-11-20', contacts: ['ada'] }, body: '\nx\n', line: 9 },
      ],
      ctx([existing]),
      new Map([['contact/ada', existing]]),
    );
    expect(plan.steps).toEqual([
      { op: 'create', type: 'interaction', id: '2026-11-20-ada-call-k3x9', data: { date: '2026-11-20', contacts: ['ada'] }, body: '\nx\n', subdir: '2026/11' },
      { op: 'update', type: 'contact', id: 'ada', path: 'contacts/ada.md', edits: [{ key: 'stage', value: 'customer' }] },
    ]);
  });

  it('drops derived fields with an issue, keeping a deal its own probability', () => {
    const plan = planJsonImport(
      [
        { type: 'contact', id: 'bo', data: { name: 'Bo', interactions: 5 }, line: 2 },
        { type: 'deal', id: 'big', data: { title: 'Big', probability: 0.4, weighted: 10 }, line: 3 },
      ],
      ctx(),
      new Map(),
    );
    expect(plan.steps.map((s) => ('data' in s ? s.data : undefined))).toEqual([{ name: 'Bo' }, { title: 'Big', probability: 0.4 }]);
    expect(plan.issues).toEqual([
      { line: 2, message: "'interactions' is a derived field of a contact (computed from other records); not imported" },
      { line: 3, message: "'weighted' is a derived field of a deal (computed from other records); not imported" },
    ]);
  });

  it('reports an id already used by another type', () => {
    const plan = planJsonImport([{ type: 'contact', id: 'acme', data: { name: 'Acme' }, line: 4 }], ctx([], [rec('company', 'acme', { name: 'Acme' })]), new Map());
    expect(plan.issues).toEqual([{ line: 4, message: "id 'acme' is already used by another contact, company, deal or campaign; skipped" }]);
  });

  it('a campaign shares the id namespace of the types found by name (NAMED_TYPES)', () => {
    const plan = planJsonImport([{ type: 'campaign', id: 'ada', data: { name: 'Ada' }, line: 2 }], ctx([rec('contact', 'ada', { name: 'Ada' })]), new Map());
    expect(plan.steps).toEqual([]);
    expect(plan.issues).toEqual([{ line: 2, message: "id 'ada' is already used by another contact, company, deal or campaign; skipped" }]);
  });
});

describe('planRecordsImport', () => {
  const ada = rec('contact', 'ada-lovelace', { name: 'Ada Lovelace', emails: ['ada@x.org'] });

  it('deals: resolves contacts, links companies, defaults the stage and writes history', () => {
    const plan = planRecordsImport('deal', [
      { line: 2, fields: { title: 'Acme renewal', value: 12000, company: 'Acme', contacts: ['ada@x.org', 'nobody'] } },
      { line: 3, fields: { title: 'Bad', stage: 'maybe' } },
    ], ctx([ada]));
    expect(plan.counts).toEqual({ created: 1, updated: 0, skipped: 1, duplicates: 0 });
    expect(plan.steps).toEqual([
      { op: 'create', type: 'company', id: 'acme', data: { name: 'Acme', created: '2026-11-23' } },
      { op: 'create', type: 'deal', id: 'acme-renewal', data: { title: 'Acme renewal', company: 'acme', contacts: ['ada-lovelace'], stage: 'lead', value: 12000, created: '2026-11-23', history: [{ date: '2026-11-23', stage: 'lead' }] } },
    ]);
    expect(plan.issues.map((i) => i.line)).toEqual([2, 3]);
  });

  it('interactions: skip ones already logged (same date, contacts and summary)', () => {
    const logged = rec('interaction', '2026-11-20-ada-lovelace-call-k3x9', { date: '2026-11-20', contacts: ['ada-lovelace'], summary: 'Intro call' });
    const rows = [
      { line: 2, fields: { date: '2026-11-20', contacts: ['ada-lovelace'], summary: 'intro call' } },
      { line: 3, fields: { date: '2026-11-21', contacts: ['Ada Lovelace'], summary: 'Follow-up', channel: 'Email', body: 'Sent deck' } },
    ];
    const plan = planRecordsImport('interaction', rows, ctx([ada], [], { interactions: [logged] }));
    expect(plan.counts).toEqual({ created: 1, updated: 0, skipped: 1, duplicates: 0 });
    expect(plan.steps[0]).toMatchObject({
      op: 'create', id: '2026-11-21-ada-lovelace-email', subdir: '2026/11', randomSuffix: true, body: '\nSent deck\n',
      data: { date: '2026-11-21', contacts: ['ada-lovelace'], channel: 'email', summary: 'Follow-up' },
    });
  });
});
