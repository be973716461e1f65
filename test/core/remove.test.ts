import { describe, expect, it } from 'vitest';
import { planRemove, referencesTo } from '../../src/core/remove.js';
import { emptyRecordLists, type CrmRecord, type Dataset } from '../../src/core/types.js';

function rec(type: CrmRecord['type'], id: string, folder: string, data: Record<string, unknown>): CrmRecord {
  return { type, id, path: `${folder}/${id}.md`, data };
}

function dataset(records: CrmRecord[]): Dataset {
  const lists = emptyRecordLists();
  for (const r of records) lists[r.path.split('/')[0] as keyof typeof lists].push(r);
  return { ...lists, root: '/x', config: {} as Dataset['config'], problems: [] };
}

describe('planRemove: references come from the schema', () => {
  const hanna = rec('contact', 'hanna', 'contacts', { name: 'Hanna' });
  const kase = rec('case', '2026-11-20-hanna-question-k3x9', 'cases', { subject: 'Question', contact: 'hanna', opened: '2026-11-20T10:00' });
  const campaign = rec('campaign', 'winter-update', 'campaigns', { name: 'Winter update' });
  const reply = rec('interaction', '2026-11-21-hanna-email-aaaa', 'interactions', { date: '2026-11-21', contacts: ['hanna'], case: kase.id });
  const sent = rec('interaction', '2026-11-22-hanna-email-bbbb', 'interactions', { date: '2026-11-22', contacts: ['hanna'], campaign: 'winter-update' });
  const ds = dataset([hanna, kase, campaign, reply, sent]);

  it("a case's contact names the contact; the case dangles, never cascaded", () => {
    expect(referencesTo(ds, hanna).map((r) => `${r.record.id}:${r.key}`)).toContain(`${kase.id}:contact`);
    const plan = planRemove(ds, hanna);
    expect(plan.dangling.map((r) => r.record.id)).toEqual([kase.id]);
    expect(plan.cascade.map((r) => r.id)).not.toContain(kase.id);
  });

  it("a case's interactions keep existing and lose case:", () => {
    const plan = planRemove(ds, kase);
    expect(plan.references.map((r) => `${r.record.id}:${r.key}`)).toEqual([`${reply.id}:case`]);
    expect(plan.cascade).toEqual([]);
    expect(plan.unlinks.map((u) => [u.record.id, u.key, u.after])).toEqual([[reply.id, 'case', undefined]]);
    expect(plan.dangling).toEqual([]);
  });

  it("a campaign's interactions keep existing and lose campaign:", () => {
    const plan = planRemove(ds, campaign);
    expect(plan.references.map((r) => `${r.record.id}:${r.key}`)).toEqual([`${sent.id}:campaign`]);
    expect(plan.cascade).toEqual([]);
    expect(plan.unlinks.map((u) => [u.record.id, u.key])).toEqual([[sent.id, 'campaign']]);
  });
});
