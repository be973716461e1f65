import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config.js';
import { buildDerived, summarizeInteractions } from '../../src/core/derived.js';
import { touchFilter } from '../../src/core/campaign.js';
import type { CrmRecord, Dataset, RecordType } from '../../src/core/types.js';

const rec = (type: RecordType, id: string, data: Record<string, unknown>): CrmRecord => ({ type, id, path: `${type}s/${id}.md`, data });

function dataset(countsAsTouch?: boolean): Dataset {
  const config = defaultConfig();
  if (countsAsTouch !== undefined) config.raw = { campaigns: { counts_as_touch: countsAsTouch } };
  return {
    root: '/crm', config, companies: [], deals: [], reminders: [], problems: [],
    contacts: [rec('contact', 'ann', { name: 'Ann' })],
    interactions: [
      rec('interaction', 'call', { date: '2026-09-01', contacts: ['ann'], channel: 'call' }),
      rec('interaction', 'mail', { date: '2026-11-01', contacts: ['ann'], channel: 'email', direction: 'out', campaign: 'q4' }),
    ],
  };
}

describe('a campaign touch and keep-in-touch cadences', () => {
  it.each([
    [undefined, '2026-09-01', 1],
    [false, '2026-09-01', 1],
    [true, '2026-11-01', 2],
  ])('counts_as_touch %s → last_contact %s', (setting, last, count) => {
    const ds = dataset(setting);
    const ctx = { today: '2026-11-23' };
    const derived = buildDerived(ds, ctx);
    expect(derived.contact('ann')).toMatchObject({ last_contact: last, interactions: count });
    // The store's cached summary is built from the same filter and answers the same.
    const filter = touchFilter(ds.config);
    const summary = summarizeInteractions(filter ? ds.interactions.filter(filter) : ds.interactions, '2026-11-23');
    expect(buildDerived({ ...ds, interactions: [], interactionSummary: summary }, ctx).contact('ann')).toMatchObject({ last_contact: last, interactions: count });
  });
});
