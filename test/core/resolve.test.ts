import { describe, expect, it } from 'vitest';
import { resolveAny, resolveRef } from '../../src/core/resolve.js';
import type { CrmRecord } from '../../src/core/types.js';
import { AmbiguousError, NotFoundError } from '../../src/errors.js';

const contact = (id: string, name: string, emails: string[] = []): CrmRecord => ({ type: 'contact', id, path: `contacts/${id}.md`, data: { name, emails } });
const people = [
  contact('ada-lovelace', 'Ada Lovelace', ['ada@example.com']),
  contact('adam-smith', 'Adam Smith'),
  contact('jose-muller', 'José Müller', ['Jose@Paylane.io']),
  contact('grace', 'Grace Hopper'),
];

describe('resolveRef', () => {
  it.each([
    ['ada-lovelace', 'ada-lovelace'],
    ['[[ada-lovelace]]', 'ada-lovelace'],
    ['ADA@example.com', 'ada-lovelace'],
    ['jose@paylane.io', 'jose-muller'],
    ['Ada Lovelace', 'ada-lovelace'],
    ['jose muller', 'jose-muller'],
    ['José', 'jose-muller'],
    ['ada-l', 'ada-lovelace'],
    ['adam', 'adam-smith'],
    ['grace', 'grace'],
    ['Grace Hopper', 'grace'],
  ])('%j → %s', (ref, id) => {
    expect(resolveRef(people, ref, 'contact').id).toBe(id);
  });

  it('an ambiguous prefix lists the candidates', () => {
    expect(() => resolveRef(people, 'ada', 'contact')).toThrow(AmbiguousError);
    try {
      resolveRef(people, 'ada', 'contact');
    } catch (err) {
      expect((err as AmbiguousError).candidates).toEqual(['ada-lovelace (Ada Lovelace)', 'adam-smith (Adam Smith)']);
    }
  });

  it('the ambiguity names every kind in the plural (a newcomer pass: not "2 reminder, contact or deals")', () => {
    expect(() => resolveRef(people, 'ada', 'reminder, contact or deal')).toThrow("'ada' matches 2 reminders, contacts or deals");
    expect(() => resolveRef(people, 'ada', 'company')).toThrow("'ada' matches 2 companies");
  });

  it('not found suggests close ids', () => {
    try {
      resolveRef(people, 'grcae', 'contact');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(NotFoundError);
      expect((err as NotFoundError).message).toBe("no contact matches 'grcae'");
      expect((err as NotFoundError).hint).toBe("did you mean 'grace'?");
    }
  });

  it('an exact id wins over a longer prefix match', () => {
    const list = [contact('ada', 'Ada One'), contact('ada-two', 'Ada Two')];
    expect(resolveRef(list, 'ada').id).toBe('ada');
  });
});

describe('resolveAny', () => {
  const ds = {
    contacts: people,
    companies: [{ type: 'company' as const, id: 'acme', path: 'companies/acme.md', data: { name: 'Acme' } }],
    deals: [],
    interactions: [],
    reminders: [{ type: 'reminder' as const, id: '2026-11-27-ada-lovelace-send-proposal-q7p2', path: 'reminders/x.md', data: { due: '2026-11-27', text: 'Send' } }],
  };
  it('finds across types, reminders by prefix', () => {
    expect(resolveAny(ds, 'acme').type).toBe('company');
    expect(resolveAny(ds, '2026-11-27-ada').type).toBe('reminder');
  });
  it('the same id in two folders is ambiguous', () => {
    const dup = { ...ds, companies: [...ds.companies, { type: 'company' as const, id: 'grace', path: 'companies/grace.md', data: { name: 'Grace Inc' } }] };
    expect(() => resolveAny(dup, 'grace')).toThrow(AmbiguousError);
  });
});

describe('resolveAny on an unreadable file', () => {
  it('names the file and its problem instead of "not found"', () => {
    const ds = { contacts: people, companies: [], deals: [], interactions: [], reminders: [], problems: [{ path: 'contacts/bad.md', line: 4, message: 'invalid YAML: x', severity: 'error' as const }] };
    try {
      resolveAny(ds, 'bad');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toBe("cannot use 'bad': invalid YAML: x");
    }
    expect(() => resolveAny(ds, 'nobody')).toThrow("no record matches 'nobody'");
  });
});

describe('resolveRef: a surname that matches nothing', () => {
  const people = [
    { type: 'contact' as const, id: 'ana-torres', path: 'contacts/ana-torres.md', data: { name: 'Ana Torres' } },
    { type: 'contact' as const, id: 'luis-torres-vega', path: 'contacts/luis-torres-vega.md', data: { name: 'Luis Torres Vega' } },
    { type: 'contact' as const, id: 'ada-lovelace', path: 'contacts/ada-lovelace.md', data: { name: 'Ada Lovelace' } },
  ];
  it.each([
    ['torres', "did you mean 'ana-torres' (Ana Torres) or 'luis-torres-vega' (Luis Torres Vega)? a reference matches an id, an email or the start of a name"],
    ['lovelace', "did you mean 'ada-lovelace' (Ada Lovelace)? a reference matches an id, an email or the start of a name"],
    ['ada-lovelac', undefined],
  ])('%s', (ref, hint) => {
    try {
      resolveRef(people, ref, 'contact');
      if (hint !== undefined) expect.unreachable();
    } catch (err) {
      expect((err as { hint?: string }).hint).toBe(hint);
    }
  });
});

describe('resolveAny covers every type of the schema', () => {
  const ds = {
    contacts: people,
    campaigns: [{ type: 'campaign' as const, id: 'spring-launch', path: 'campaigns/spring-launch.md', data: { name: 'Spring launch' } }],
    cases: [{ type: 'case' as const, id: '2026-11-20-ada-lovelace-question-k3x9', path: 'cases/2026-11-20-ada-lovelace-question-k3x9.md', data: { subject: 'Question' } }],
  };
  it('finds a campaign by id prefix and by name, a case by id prefix', () => {
    expect(resolveAny(ds, 'spring').id).toBe('spring-launch');
    expect(resolveAny(ds, 'Spring launch').type).toBe('campaign');
    expect(resolveAny(ds, '2026-11-20-ada').type).toBe('case');
  });
});
