/** What the campaign verbs share: loading, finding a campaign, its segment, preparing it. */
import type { App } from '../app.js';
import type { CrmRecord, Dataset } from '../core/types.js';
import { buildDerived } from '../core/derived.js';
import { compileQuery } from '../core/query/index.js';
import { resolveRefOrExplain } from '../core/resolve.js';
import { prepareCampaign } from '../core/campaign-prepare.js';
import type { Prepared } from '../core/campaign-prepare.js';

export async function loadCampaignData(app: App): Promise<Dataset> {
  return app.load({ types: ['contact', 'company', 'deal', 'interaction', 'reminder', 'campaign'], bodies: ['campaign'] });
}

export function findCampaign(ds: Dataset, ref: string): CrmRecord {
  return resolveRefOrExplain(ds.campaigns, ref, 'campaign', ds.problems);
}

/** The segment query compiled over contacts (an error now rather than at send time). */
export function segmentPredicate(app: App, ds: Dataset, segment: string): (c: CrmRecord) => boolean {
  const ctx = app.ctx();
  return compileQuery([segment], { dataset: ds, ctx, derived: buildDerived(ds, ctx), type: 'contact' });
}

/** The campaign `ref` prepared for preview or send (core/campaign-prepare.ts). */
export async function prepare(app: App, ds: Dataset, ref: string): Promise<Prepared> {
  const record = findCampaign(ds, ref);
  const segment = typeof record.data.segment === 'string' ? record.data.segment : '';
  const inSegment = segment.trim() ? segmentPredicate(app, ds, segment) : () => false;
  const { escapeHtml } = await import('../render/mime.js');
  return prepareCampaign(ds, record, inSegment, escapeHtml, app.ctx().me);
}
