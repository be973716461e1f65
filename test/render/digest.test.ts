import { describe, expect, it } from 'vitest';
import { digestToJson, relativeDays, renderDigestMarkdown, renderDigestText } from '../../src/render/digest.js';
import type { Digest, DigestItem } from '../../src/core/due.js';

const TODAY = '2026-11-23';
const ANSI = /\u001b\[/;
const plain = { color: false, currency: 'EUR' };

function emptyDigest(within = 7): Digest {
  return { today: TODAY, within, overdue: [], dueToday: [], upcoming: [], keepInTouch: [], dealsPastClose: [], cases: [], newLeads: [] };
}

const ada = { id: 'ada-lovelace', name: 'Ada Lovelace', channel: 'email', email: 'ada@example.com', phone: '+44 20 7946 0000' };

const overdue: DigestItem = {
  kind: 'reminder', id: 'r1', path: 'reminders/r1.md', date: '2026-11-20', daysLate: 3, text: 'Send proposal', owner: 'sam', contact: ada,
};
const today: DigestItem = {
  kind: 'reminder', id: 'r2', path: 'reminders/r2.md', date: TODAY, daysLate: 0, text: 'Monthly report', repeat: '1m',
};
const upcoming: DigestItem = {
  kind: 'reminder', id: 'r3', path: 'reminders/r3.md', date: '2026-11-25', daysLate: -2, text: 'Call about renewal',
  contact: { id: 'bob', name: 'Bob Stone', phone: '555-0100' }, deal: { id: 'acme', title: 'Acme renewal' },
};
const keepInTouch: DigestItem = {
  kind: 'keep-in-touch', id: 'ada-lovelace', path: 'contacts/ada-lovelace.md', date: '2026-11-16', daysLate: 7,
  text: 'keep in touch with Ada Lovelace', contact: ada, cadence: { interval: '90d', source: 'stage', rule: 'customer', lastContact: '2026-08-18' },
};
const neverContacted: DigestItem = {
  kind: 'keep-in-touch', id: 'cy', path: 'contacts/cy.md', date: '2026-11-13', daysLate: 10,
  text: 'keep in touch with Cy', contact: { id: 'cy', name: 'Cy' }, cadence: { interval: '30d', source: 'contact' },
};
const dealPastClose: DigestItem = {
  kind: 'deal-close', id: 'acme', path: 'deals/acme.md', date: '2026-11-01', daysLate: 22, text: 'Acme renewal: expected to close 2026-11-01',
  deal: { id: 'acme', title: 'Acme renewal', value: 12000 }, contact: { id: 'bob', name: 'Bob Stone', email: 'bob@acme.test' },
};

function fullDigest(): Digest {
  return { ...emptyDigest(), overdue: [overdue], dueToday: [today], upcoming: [upcoming], keepInTouch: [keepInTouch, neverContacted], dealsPastClose: [dealPastClose] };
}

describe('renderDigestText', () => {
  it.each([true, false])('renders an empty digest as an empty string (color %s)', (color) => {
    expect(renderDigestText(emptyDigest(), { color, currency: 'EUR' })).toBe('');
  });

  it('renders every section: who, what, how late, how to reach them', () => {
    expect(renderDigestText(fullDigest(), plain)).toBe(
      [
        'Overdue',
        '  Ada Lovelace: Send proposal — 3 days late · prefers email · ada@example.com · +44 20 7946 0000',
        '',
        'Today',
        '  Monthly report (every 1m) — today',
        '',
        'Coming up (next 7 days)',
        '  Bob Stone: Call about renewal (deal: Acme renewal) — in 2 days · 555-0100',
        '',
        'Keep in touch',
        '  Ada Lovelace — last contact 97 days ago, cadence 90d (stage customer) · prefers email · ada@example.com · +44 20 7946 0000',
        '  Cy — never contacted, cadence 30d (set on contact) ran out 10 days ago',
        '',
        'Deals past expected close',
        '  Acme renewal: EUR 12,000 — expected close 2026-11-01, 22 days ago · Bob Stone · bob@acme.test',
        '',
      ].join('\n'),
    );
  });

  it('omits empty sections', () => {
    const text = renderDigestText({ ...emptyDigest(), keepInTouch: [keepInTouch] }, plain);
    expect(text.split('\n')[0]).toBe('Keep in touch');
    expect(text).not.toMatch(/Overdue|Today|Coming up|Deals/);
  });

  it.each([
    [7, 'Coming up (next 7 days)'],
    [1, 'Coming up (next day)'],
    [30, 'Coming up (next 30 days)'],
  ])('names the window of %s days', (within, heading) => {
    expect(renderDigestText({ ...emptyDigest(within), upcoming: [upcoming] }, plain).split('\n')[0]).toBe(heading);
  });

  it('colours only when asked', () => {
    expect(renderDigestText(fullDigest(), plain)).not.toMatch(ANSI);
    expect(renderDigestText(fullDigest(), { color: true, currency: 'EUR' })).toMatch(ANSI);
  });

  it('uses the deal currency when it has one', () => {
    const deal = { ...dealPastClose, deal: { id: 'acme', title: 'Acme renewal', value: 1500.5, currency: 'USD' } };
    expect(renderDigestText({ ...emptyDigest(), dealsPastClose: [deal] }, plain)).toContain('Acme renewal: USD 1,500.50');
  });

  it('keeps escape sequences and newlines from files off the terminal', () => {
    const hostile = { ...overdue, text: 'pay \u001b[31mnow\u001b[0m\nplease' };
    const text = renderDigestText({ ...emptyDigest(), overdue: [hostile] }, plain);
    expect(text).not.toMatch(ANSI);
    expect(text.split('\n')).toHaveLength(3);
  });
});

describe('relativeDays', () => {
  it.each([
    [3, '3 days late'],
    [1, '1 day late'],
    [0, 'today'],
    [-1, 'tomorrow'],
    [-2, 'in 2 days'],
  ])('%s → %s', (days, text) => {
    expect(relativeDays(days)).toBe(text);
  });
});

describe('renderDigestMarkdown', () => {
  it('renders an empty digest as an empty string', () => {
    expect(renderDigestMarkdown(emptyDigest(), plain)).toBe('');
  });

  it('uses headings and bullet lists, never ANSI codes', () => {
    const md = renderDigestMarkdown({ ...emptyDigest(), overdue: [overdue], keepInTouch: [keepInTouch] }, { color: true, currency: 'EUR' });
    expect(md).toBe(
      [
        `# Due ${TODAY}`,
        '',
        '## Overdue',
        '',
        '- **Ada Lovelace**: Send proposal — 3 days late · prefers email · ada@example.com · +44 20 7946 0000',
        '',
        '## Keep in touch',
        '',
        '- **Ada Lovelace** — last contact 97 days ago, cadence 90d (stage customer) · prefers email · ada@example.com · +44 20 7946 0000',
        '',
      ].join('\n'),
    );
  });

  it('escapes Markdown in names and texts', () => {
    const item = { ...overdue, text: 'check *all* [links]', contact: { id: 'x', name: 'under_score' } };
    expect(renderDigestMarkdown({ ...emptyDigest(), overdue: [item] }, plain)).toContain('- **under\\_score**: check \\*all\\* \\[links\\]');
  });
});

describe('digestToJson', () => {
  it('has every section, snake_case keys and no undefined values', () => {
    const json = digestToJson({ ...emptyDigest(), overdue: [overdue], keepInTouch: [keepInTouch, neverContacted] });
    expect(Object.keys(json)).toEqual(['today', 'within', 'overdue', 'due_today', 'upcoming', 'keep_in_touch', 'deals_past_close', 'cases', 'new_leads']);
    expect(json.overdue[0]).toEqual({
      kind: 'reminder', id: 'r1', path: 'reminders/r1.md', date: '2026-11-20', days_late: 3, text: 'Send proposal', owner: 'sam', contact: ada,
    });
    expect(json.keep_in_touch[0].cadence).toEqual({ interval: '90d', source: 'stage', rule: 'customer', last_contact: '2026-08-18' });
    expect(json.keep_in_touch[1].cadence).toEqual({ interval: '30d', source: 'contact' });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('late first: breached cases before "Coming up"; unowned items marked', () => {
  const breachedCase: DigestItem = {
    kind: 'case', id: 'c1', path: 'cases/c1.md', date: '2026-11-21', daysLate: 2, text: 'Invoice wrong', contact: ada,
    case: { status: 'open', priority: 'high', sla: 'first_response', deadline: '2026-11-21T17:00', breached: ['first_response'], hoursLeft: -40 },
  };
  const soonCase: DigestItem = {
    kind: 'case', id: 'c2', path: 'cases/c2.md', date: '2026-11-25', daysLate: -2, text: 'Question', contact: ada,
    case: { status: 'open', priority: 'normal', sla: 'resolve', deadline: '2026-11-25T17:00', breached: [], hoursLeft: 30 },
  };
  it('orders Overdue, Cases past their SLA, Today, Coming up … Cases', () => {
    const text = renderDigestText({ ...fullDigest(), cases: [breachedCase, soonCase] }, plain);
    const at = (s: string) => text.indexOf(s);
    expect(at('Overdue')).toBeLessThan(at('Cases past their SLA'));
    expect(at('Cases past their SLA')).toBeLessThan(at('Today'));
    expect(at('Today')).toBeLessThan(at('Coming up'));
    expect(text.indexOf('Invoice wrong')).toBeLessThan(at('Coming up'));
    expect(text.indexOf('Question')).toBeGreaterThan(at('Deals past expected close'));
    expect(renderDigestMarkdown({ ...emptyDigest(), upcoming: [upcoming], cases: [breachedCase] }, plain).indexOf('## Cases past their SLA')).toBeLessThan(renderDigestMarkdown({ ...emptyDigest(), upcoming: [upcoming], cases: [breachedCase] }, plain).indexOf('## Coming up'));
  });
  it('says "unowned" in text and JSON for items kept by an owner filter because nobody owns them', () => {
    const d = { ...emptyDigest(), upcoming: [{ ...upcoming, unowned: true }] };
    expect(renderDigestText(d, plain)).toContain('· unowned');
    expect(digestToJson(d).upcoming[0].unowned).toBe(true);
    expect(digestToJson(fullDigest()).upcoming[0]).not.toHaveProperty('unowned');
  });
});
