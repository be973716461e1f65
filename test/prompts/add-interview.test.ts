import { describe, expect, it } from 'vitest';
import { equivalentCommand, interviewAdd } from '../../src/prompts/add-interview.js';
import type { Prompter } from '../../src/prompts/add-interview.js';
import { normalizeConfig } from '../../src/core/config.js';
import type { CrmRecord } from '../../src/core/types.js';

/** Answers questions from a list, in order, and records what was asked and noted. */
function scripted(answers: string[]): Prompter & { asked: string[]; notes: string[]; choices: Record<string, string[]> } {
  const queue = [...answers];
  const p = {
    asked: [] as string[],
    notes: [] as string[],
    choices: {} as Record<string, string[]>,
    async text(message: string) {
      p.asked.push(message);
      if (!queue.length) throw new Error(`no answer left for: ${message}`);
      return queue.shift()!;
    },
    async select(message: string, choices: Array<{ value: string; name: string }>) {
      p.asked.push(message);
      p.choices[message] = choices.map((c) => c.value);
      const a = queue.shift();
      if (a === undefined || !choices.some((c) => c.value === a)) throw new Error(`'${a}' is not a choice for ${message}`);
      return a;
    },
    note(message: string) {
      p.notes.push(message);
    },
  };
  return p;
}

const { config } = normalizeConfig({ owners: { sam: { name: 'Sam Lee' } }, lifecycle: ['lead', 'customer'] });
const companies: CrmRecord[] = [{ type: 'company', id: 'acme', path: 'companies/acme.md', data: { name: 'Acme GmbH' } }];
const contacts: CrmRecord[] = [{ type: 'contact', id: 'ada-lovelace', path: 'contacts/ada-lovelace.md', data: { name: 'Ada Lovelace' } }];
const ctx = (type: 'contact' | 'deal', given = {}) => ({ type, config, companies, contacts, today: '2026-11-23', given });

describe('interviewAdd', () => {
  it('asks every contact field, re-asks a bad email, offers config choices', async () => {
    const p = scripted(['Grace Hopper', 'grace at navy', 'grace@navy.example', 'call me', '+1 202 555 0100', 'acme', 'Rear Admiral', 'customer', 'vip, navy', 'sam']);
    const a = await interviewAdd(p, ctx('contact'));
    expect(a).toEqual({ name: 'Grace Hopper', email: ['grace@navy.example'], phone: ['+1 202 555 0100'], company: 'acme', title: 'Rear Admiral', stage: 'customer', tag: ['vip', 'navy'], owner: 'sam' });
    expect(p.notes).toEqual(["'grace at navy' does not look like an email address, e.g. ada@example.com", "'call me' does not look like a phone number, e.g. +44 20 7946 0958"]);
    expect(p.choices['Lifecycle stage:']).toEqual(['', 'lead', 'customer']);
    expect(p.choices['Company:']).toEqual(['', 'acme']);
    expect(equivalentCommand('contact', a)).toBe("tb add contact 'Grace Hopper' --email grace@navy.example --phone '+1 202 555 0100' --company acme --title 'Rear Admiral' --stage customer --tag vip --tag navy --owner sam");
  });

  it('does not ask what the flags gave', async () => {
    const p = scripted(['Grace Hopper', '', '', '', '', '']);
    const a = await interviewAdd(p, ctx('contact', { email: ['g@navy.example'], company: 'acme' }));
    expect(p.asked).toEqual(['Name:', 'Phone (empty for none):', 'Title (empty for none):', 'Lifecycle stage:', 'Tags (comma-separated, empty for none):', 'Owner:']);
    expect(a).toMatchObject({ name: 'Grace Hopper', email: ['g@navy.example'], company: 'acme' });
  });

  it('asks the deal fields, re-asking an unknown contact, a bad value and a bad date', async () => {
    const p = scripted(['Acme renewal', 'acme', 'bob', 'ada', '12k', '12,000', 'proposal', 'someday', 'end of month', '']);
    const a = await interviewAdd(p, ctx('deal'));
    expect(a).toEqual({ name: 'Acme renewal', company: 'acme', contact: ['ada-lovelace'], value: '12000', stage: 'proposal', expectedClose: '2026-11-30', owner: undefined, noOwner: true });
    expect(p.notes).toHaveLength(3);
    expect(p.notes[0]).toContain("no contact matches 'bob'");
    expect(p.choices['Pipeline stage:']).toEqual(['lead', 'qualified', 'proposal', 'negotiation']);
    expect(equivalentCommand('deal', a)).toBe("tb add deal 'Acme renewal' --company acme --contact ada-lovelace --value 12000 --stage proposal --expected-close 2026-11-30");
  });

  it('choosing (none) as the owner says so (noOwner), so tb add writes no owner rather than me', async () => {
    const p = scripted(['Grace Hopper', '', '', '', '', '', '', '']);
    const a = await interviewAdd(p, ctx('contact'));
    expect(p.asked[p.asked.length - 1]).toBe('Owner:');
    expect(a.owner).toBeUndefined();
    expect(a.noOwner).toBe(true);
    const picked = await interviewAdd(scripted(['Grace Hopper', '', '', '', '', '', '', 'sam']), ctx('contact'));
    expect(picked).toMatchObject({ owner: 'sam' });
    expect(picked.noOwner).toBeUndefined();
  });
});
