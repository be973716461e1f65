import { describe, expect, it } from 'vitest';
import {
  caseBaseId,
  caseOrderProblems,
  closeChanges,
  deriveCase,
  dueCases,
  openComplaintsByContact,
  readCaseSettings,
  reopenChanges,
  replyChanges,
  resolveChanges,
  statusFor,
} from '../../src/core/cases.js';
import { caseReport, percentiles } from '../../src/core/case-report.js';
import type { CrmRecord, FrontMatter } from '../../src/core/types.js';
import { UsageError } from '../../src/errors.js';

const kase = (id: string, data: FrontMatter): CrmRecord => ({ type: 'case' as CrmRecord['type'], id, path: `cases/${id}.md`, data });
const at = (iso: string) => Date.parse(iso);

// Calendar clock (no business hours): SLA times are plain hours in UTC.
const { settings } = readCaseSettings({
  sla: {
    urgent: { first_response: '2h', resolve: '1d' },
    high: { first_response: '4h', resolve: '2d' },
    normal: { first_response: '1d', resolve: '5d' },
  },
});
const NOW = at('2026-11-30T12:00:00Z');

// Seven cases, figures worked out by hand in the comments.
const CASES = [
  // A: answered after 1 h, resolved after 12 h: both SLAs met; rated 4.
  kase('a', { subject: 'Invoice wrong', contact: 'ada', company: 'acme', status: 'resolved', priority: 'urgent', category: 'complaint', owner: 'sam', opened: '2026-11-02T09:00Z', first_response: '2026-11-02T10:00Z', resolved: '2026-11-02T21:00Z', satisfaction: 4 }),
  // B: answered after 48 h (> 1d: first response breached), resolved after 72 h; rated 2.
  kase('b', { subject: 'Export broke', contact: 'ada', company: 'acme', status: 'resolved', priority: 'normal', category: 'complaint', owner: 'sam', opened: '2026-11-03T09:00Z', first_response: '2026-11-05T09:00Z', resolved: '2026-11-06T09:00Z', satisfaction: 2 }),
  // C: answered after 6 h, resolved after 48 h: met; not rated.
  kase('c', { subject: 'Add a user?', contact: 'grace', company: 'globex', status: 'closed', priority: 'normal', category: 'question', owner: 'kim', opened: '2026-11-10T09:00Z', first_response: '2026-11-10T15:00Z', resolved: '2026-11-12T09:00Z' }),
  // D: high, never answered: first response was due 11-28 13:00, resolve 11-30 09:00 — both breached at NOW.
  kase('d', { subject: 'Data loss', contact: 'grace', company: 'globex', status: 'open', priority: 'high', category: 'complaint', owner: 'kim', opened: '2026-11-28T09:00Z' }),
  // E: low has no SLA: no deadlines, never decided.
  kase('e', { subject: 'Logo change', contact: 'ada', company: 'acme', status: 'open', priority: 'low', category: 'request', owner: 'sam', opened: '2026-11-29T09:00Z' }),
  // F: opened in October, resolved 11-01 after 288 h (resolve breached); rated 5.
  kase('f', { subject: 'Slow report', contact: 'linus', company: 'initech', status: 'resolved', priority: 'normal', category: 'question', owner: 'kim', opened: '2026-10-20T09:00Z', first_response: '2026-10-20T10:00Z', resolved: '2026-11-01T09:00Z', satisfaction: 5 }),
  // G: urgent, answered after 0.5 h, resolve due 12-01 11:00 (still running: undecided).
  kase('g', { subject: 'Cannot log in', contact: 'linus', company: 'initech', status: 'waiting', priority: 'urgent', category: 'complaint', opened: '2026-11-30T11:00Z', first_response: '2026-11-30T11:30Z' }),
];

describe('readCaseSettings', () => {
  it('has the issue defaults', () => {
    const d = readCaseSettings({}).settings;
    expect(d.statuses.map((s) => `${s.id}${s.done ? '*' : ''}`)).toEqual(['open', 'waiting', 'resolved*', 'closed*']);
    expect(d.categories).toEqual(['complaint', 'question', 'request', 'incident']);
    expect(d.priorities).toEqual(['low', 'normal', 'high', 'urgent']);
  });
  it('reads configured statuses, categories and extra SLA priorities', () => {
    const { settings: s, problems } = readCaseSettings({
      case_statuses: ['new', { id: 'pending' }, 'solved', { id: 'archived', done: true }],
      case_categories: ['Bug', 'billing'],
      sla: { critical: { first_response: '1h' } },
    });
    expect(problems).toEqual([]);
    expect(s.statuses).toEqual([
      { id: 'new', done: false },
      { id: 'pending', done: false },
      { id: 'solved', done: true },
      { id: 'archived', done: true },
    ]);
    expect(s.categories).toEqual(['bug', 'billing']);
    expect(s.priorities).toContain('critical');
    expect([statusFor(s, 'open'), statusFor(s, 'waiting'), statusFor(s, 'resolved'), statusFor(s, 'closed')]).toEqual(['new', 'new', 'solved', 'archived']);
  });
  it('refuses statuses without a done one', () => {
    expect(readCaseSettings({ case_statuses: ['open', 'waiting'] }).problems[0].message).toMatch(/at least one open and one done/);
  });
});

describe('caseBaseId', () => {
  it.each([
    ['2026-11-20T09:15+01:00', 'ada-lovelace', 'The invoice is wrong!', '2026-11-20-ada-lovelace-the-invoice-is-wrong'],
    ['2026-11-20', 'ada', 'Können Sie einen Nutzer hinzufügen, bitte heute noch', '2026-11-20-ada-konnen-sie-einen-nutzer-hinzufugen'],
    ['2026-11-20', 'ada', '???', '2026-11-20-ada-case'],
  ])('%s %s %s', (opened, contact, subject, id) => expect(caseBaseId(opened, contact, subject)).toBe(id));
});

describe('transitions', () => {
  const open = kase('x', { status: 'open', opened: '2026-11-20T09:00Z' });
  it('reply sets first_response once and moves to waiting unless kept open', () => {
    expect(replyChanges(open, settings, 'T1', false)).toEqual({ first_response: 'T1', status: 'waiting' });
    expect(replyChanges(open, settings, 'T1', true)).toEqual({ first_response: 'T1' });
    expect(replyChanges(kase('x', { status: 'waiting', first_response: 'T0' }), settings, 'T2', false)).toEqual({});
    expect(replyChanges(kase('x', { status: 'resolved', first_response: 'T0' }), settings, 'T2', false)).toEqual({});
  });
  it('resolve stamps resolved; a second resolve only records a rating', () => {
    expect(resolveChanges(open, settings, 'T3', 5)).toEqual({ status: 'resolved', resolved: 'T3', satisfaction: 5 });
    const done = kase('x', { status: 'resolved', resolved: 'T3' });
    expect(resolveChanges(done, settings, 'T4', 3)).toEqual({ satisfaction: 3 });
    expect(() => resolveChanges(done, settings, 'T4')).toThrow(/already resolved/);
    expect(() => resolveChanges(open, settings, 'T4', 6)).toThrow(UsageError);
  });
  it('reopen clears resolved; close stamps resolved only when empty', () => {
    expect(reopenChanges(kase('x', { status: 'closed', resolved: 'T3' }), settings)).toEqual({ status: 'open', resolved: undefined });
    // The rating given at resolve time is removed with it (undefined removes a key).
    const reopened = reopenChanges(kase('x', { status: 'resolved', resolved: 'T3', satisfaction: 2 }), settings);
    expect(Object.keys(reopened).sort()).toEqual(['resolved', 'satisfaction', 'status']);
    expect(reopened.satisfaction).toBeUndefined();
    expect(() => reopenChanges(open, settings)).toThrow(/already open/);
    expect(closeChanges(open, settings, 'T5')).toEqual({ status: 'closed', resolved: 'T5' });
    expect(closeChanges(kase('x', { status: 'resolved', resolved: 'T3' }), settings, 'T5')).toEqual({ status: 'closed' });
    expect(() => closeChanges(kase('x', { status: 'closed' }), settings, 'T5')).toThrow(/already closed/);
  });
});

describe('deriveCase', () => {
  it('gives the next running deadline', () => {
    expect(deriveCase(CASES[3], settings, NOW)).toMatchObject({ active: true, age: 2, next_deadline: '2026-11-28T13:00Z', breached: ['first_response', 'resolve'] });
    expect(deriveCase(CASES[6], settings, NOW)).toMatchObject({ active: true, next_deadline: '2026-12-01T11:00Z', time_to_first_response: 0.5, breached: [] });
    expect(deriveCase(CASES[0], settings, NOW).next_deadline).toBeUndefined();
  });
});

describe('dueCases', () => {
  it('lists breached cases and deadlines inside the window, earliest first', () => {
    const items = dueCases(CASES, settings, NOW, NOW + 24 * 3_600_000);
    expect(items.map((i) => [i.id, i.sla, i.deadline, i.hours_left, i.breached])).toEqual([
      ['d', 'first_response', '2026-11-28T13:00Z', -47, ['first_response', 'resolve']],
      ['g', 'resolve', '2026-12-01T11:00Z', 23, []],
    ]);
    // A window ending before G's deadline keeps only the breach; an owner filter keeps kim's.
    expect(dueCases(CASES, settings, NOW, NOW).map((i) => i.id)).toEqual(['d']);
    expect(dueCases(CASES, settings, NOW, NOW + 24 * 3_600_000, 'sam')).toEqual([]);
  });
});

describe('percentiles', () => {
  it.each([
    [[], null, null],
    [[5], 5, 5],
    [[48, 0.5, 6, 1], 3.5, 48],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 6, 10],
  ])('%j', (values, median, p90) => expect(percentiles(values)).toEqual({ median, p90 }));
});

describe('caseReport', () => {
  const report = caseReport(CASES, settings, NOW, { since: '2026-11-01', until: '2026-11-30' });
  it('counts opened, resolved and backlog', () => {
    // Opened in November: a b c d e g (f was opened in October). Resolved in November: a b c f.
    // Backlog at 11-30: d e g.
    expect(report.totals).toMatchObject({ opened: 6, resolved: 4, backlog: 3 });
  });
  it('gives median and p90 times in hours', () => {
    // First responses in November: g 0.5, a 1, c 6, b 48 → median (1+6)/2, p90 the 4th of 4.
    expect(report.totals.first_response).toEqual({ count: 4, median: 3.5, p90: 48 });
    // Resolutions in November: a 12, c 48, b 72, f 288.
    expect(report.totals.resolution).toEqual({ count: 4, median: 60, p90: 288 });
  });
  it('gives SLA attainment over decided cases and CSAT over resolved ones', () => {
    // Opened in November with an SLA: a met, b breached, c met, d breached, g still running; e has none.
    expect(report.totals.sla).toEqual({ decided: 4, met: 2, attainment: 0.5 });
    // Ratings of the four resolved: 4, 2, (none), 5 → 11/3; 3 of 4 rated.
    expect(report.totals.csat).toEqual({ average: 3.67, rated: 3, response_rate: 0.75 });
  });
  it('lists the companies with the most complaints', () => {
    expect(report.top_complaints).toEqual([
      { company: 'acme', complaints: 2, open: 0 },
      { company: 'globex', complaints: 1, open: 1 },
      { company: 'initech', complaints: 1, open: 1 },
    ]);
  });
  it('breaks down by priority, most urgent first', () => {
    const by = caseReport(CASES, settings, NOW, { since: '2026-11-01', until: '2026-11-30', by: 'priority' });
    expect(by.groups?.map((g) => [g.key, g.figures.opened, g.figures.resolved, g.figures.sla.attainment])).toEqual([
      ['urgent', 2, 1, 1],
      ['high', 1, 0, 0],
      ['normal', 2, 3, 0.5],
      ['low', 1, 0, null],
    ]);
    const owners = caseReport(CASES, settings, NOW, { since: '2026-11-01', until: '2026-11-30', by: 'owner' });
    expect(owners.groups?.map((g) => g.key)).toEqual(['kim', 'sam', '(none)']);
  });
  it('counts open complaints per contact for churn risk', () => {
    expect([...openComplaintsByContact(CASES, settings)]).toEqual([['grace', 1], ['linus', 1]]);
  });
});

describe('caseOrderProblems', () => {
  it.each([
    [{ opened: '2026-11-20T09:00Z', first_response: '2026-11-20T10:00Z', resolved: '2026-11-21' }, []],
    // Different offsets, same instant order: 09:30-05:00 is 14:30Z, after 10:00+01:00 (09:00Z).
    [{ opened: '2026-11-20T10:00+01:00', first_response: '2026-11-20T09:30-05:00' }, []],
    [{ opened: '2026-11-20T10:00+01:00', first_response: '2026-11-20T09:30+01:00' }, ['first_response']],
    [{ opened: '2026-11-20T09:00Z', resolved: '2026-11-19T23:00Z' }, ['resolved']],
    [{ opened: '2026-11-20T09:00Z', first_response: '2026-11-20T12:00Z', resolved: '2026-11-20T11:00Z' }, ['resolved']],
    [{ opened: 'soon', first_response: '2026-11-20T12:00Z' }, []],
  ])('%j', (data, keys) => {
    expect(caseOrderProblems(kase('x', data), settings).map((p) => p.key)).toEqual(keys);
  });
});

describe('activeCaseByContact', () => {
  it('keeps the latest opened active case of each contact; done cases never', async () => {
    const { activeCaseByContact, caseSettingsOf } = await import('../../src/core/cases.js');
    const c = (id: string, contact: string, opened: string, status: string) => ({ type: 'case' as const, id, path: `cases/${id}.md`, data: { subject: id, contact, opened, status } });
    const settings = caseSettingsOf({ raw: {} });
    const map = activeCaseByContact([
      c('a-old', 'ada', '2026-11-01T09:00+01:00', 'open'),
      c('a-new', 'ada', '2026-11-10T09:00+01:00', 'waiting'),
      c('a-done', 'ada', '2026-11-20T09:00+01:00', 'resolved'),
      c('g-closed', 'grace', '2026-11-05T09:00+01:00', 'closed'),
    ], settings);
    expect([...map]).toEqual([['ada', 'a-new']]);
  });
});
