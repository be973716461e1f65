/** Query mistakes a newcomer makes are caught instead of answering "no matches" in silence. */
import { describe, expect, it } from 'vitest';
import { AS_OF, EXAMPLE, emptyCrm, tb } from './helpers.js';

const ex = async (args: string[]) => await tb(['--dir', EXAMPLE, '--as-of', AS_OF, ...args]);

describe('query mistakes', () => {
  it('lowercase or: searched as a word, with a warning naming OR', async () => {
    const r = await ex(['list', 'contacts', 'tag:vip or stage:lead']);
    expect(r.stderr).toContain("tb: warning: 'or' (column 9) is searched as a word; the operator is OR in capitals");
    const upper = await ex(['list', 'contacts', 'tag:vip OR stage:lead', '--count']);
    expect(upper.stderr).toBe('');
    expect(Number(upper.stdout)).toBeGreaterThan(0);
  });

  it.each([
    [['list', 'deals', 'stage:propsal'], "no deal has pipeline stage 'propsal'", "did you mean 'proposal'?"],
    [['list', 'contacts', 'stage:custmer'], "no contact has lifecycle stage 'custmer'", "did you mean 'customer'?"],
    [['list', 'interactions', 'channel:emial'], "no interaction has channel 'emial'", "did you mean 'email'?"],
    [['list', 'deals', 'owner:rai'], "no deal has owner 'rai'", "did you mean 'ria'?"],
    [['pipeline', 'stage:negotation'], "no deal has pipeline stage 'negotation'", "did you mean 'negotiation'?"],
    [['case', 'list', 'status:opne'], "no case has case status 'opne'", "did you mean 'open'?"],
    [['list', 'cases', 'priority:hihg'], "no case has priority 'hihg'", "did you mean 'high'?"],
    [['list', 'cases', 'category:complaints'], "no case has case category 'complaints'", "did you mean 'complaint'?"],
    [['list', 'interactions', 'direction:inn'], "no interaction has direction 'inn': it is one of in, out", "did you mean 'in'?"],
    [['list', 'cases', 'breached:maybe'], "breached is true or false, not 'maybe'", 'e.g. breached:true or breached:false'],
    [['list', 'cases', 'breached=ture'], "breached is true or false, not 'ture'", "did you mean 'true'?"],
  ])('%j: did-you-mean from the config or the schema', async (args, message, hint) => {
    const r = await ex(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(`tb: hint: ${hint}`);
  });

  it('right enum and boolean values still answer', async () => {
    for (const q of ['status:open', 'priority:HIGH', 'breached:true', 'breached:no', 'category:compl*']) {
      const r = await ex(['list', 'cases', q, '--count']);
      expect(r.stderr, q).toBe('');
      expect(r.code, q).toBe(0);
    }
  });

  it('an unsigned interval gets the signed forms', async () => {
    const r = await ex(['list', 'contacts', 'last_contact<90d']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("tb: hint: did you mean '-90d' (90d ago) or '+90d' (in 90d)?");
  });

  it('a non-ISO date gets the ISO form', async () => {
    const r = await ex(['list', 'contacts', 'created>=23/11/2026']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("tb: hint: dates in queries are YYYY-MM-DD: did you mean '2026-11-23'?");
    const eq = await ex(['list', 'contacts', 'last_contact:90d']);
    expect(eq.code).toBe(2);
    expect(eq.stderr).toContain("'-90d'");
  });

  it('a deals segment lists deals without the type word', async () => {
    const r = await ex(['list', '@hot-deals', '--ids']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('paylane-pci-audit-2027');
    const seg = await ex(['segment', 'list']);
    expect(seg.stdout).toMatch(/@hot-deals\s+deals\s+stage:proposal,negotiation value>=10000/);
  });
});

describe('no matches says why it may be (a newcomer pass)', () => {
  it('a tag no record carries gets did-you-mean; name: compared whole points at the wildcard', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'company', 'Acme GmbH']);
    await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Ada Lovelace', '--tag', 'vip']);
    const tag = await tb(['--dir', dir, 'list', 'contacts', 'tag:vpi']);
    expect([tag.code, tag.stdout, tag.stderr]).toEqual([0, '', "no matches\ntb: hint: no contact has tag 'vpi': did you mean 'vip'?\n"]);
    const name = await tb(['--dir', dir, 'list', 'companies', 'name:acme']);
    expect(name.stderr).toBe('no matches\ntb: hint: name:acme compares the whole name; 1 has it in the name: write name:"*acme*" (or the bare word acme)\n');
    expect((await tb(['--dir', dir, 'list', 'companies', 'name:"*acme*"'])).stdout).toContain('acme-gmbh');
    expect((await tb(['--dir', dir, 'list', 'contacts', 'tag:vip'])).stdout).toContain('ada-lovelace');
  });
});
