/**
 * The `campaigns:` settings of touchbase.yaml and which interactions count as a touch (for
 * last_contact and keep-in-touch cadences). Pure; kept apart from campaign.ts so derived.ts can use
 * it without an import cycle.
 */
import type { Config, CrmRecord } from './types.js';
import { asString, normalizeRef } from './fields.js';

/** The `campaigns:` block of touchbase.yaml. */
export interface CampaignSettings {
  /** Whether a campaign email restarts keep-in-touch cadences (counts for last_contact). Default false. */
  countsAsTouch: boolean;
  /** Contacts with this tag are never sent to. */
  unsubscribedTag?: string;
  /** The List-Unsubscribe header value, e.g. `<mailto:unsubscribe@example.com>`; `{{email}}` etc. allowed. */
  listUnsubscribe?: string;
}

export function campaignSettings(config: Config): CampaignSettings {
  const raw = config.raw.campaigns;
  const c = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const out: CampaignSettings = { countsAsTouch: c.counts_as_touch === true };
  const tag = asString(c.unsubscribed_tag);
  if (tag) out.unsubscribedTag = tag;
  const lu = asString(c.list_unsubscribe);
  if (lu) out.listUnsubscribe = lu;
  return out;
}

/** An interaction a campaign sent (it names the campaign). */
export function isCampaignTouch(i: CrmRecord): boolean {
  return normalizeRef(i.data.campaign) !== undefined;
}

/**
 * Whether an interaction counts for last_contact and cadences: every interaction does, except a
 * campaign's mail unless `campaigns.counts_as_touch: true`, and a meeting marked
 * `status: cancelled` or `postponed` (its event was cancelled, or moved to a day to come: docs/mail.md).
 */
export function touchFilter(config: Config): ((i: CrmRecord) => boolean) | undefined {
  const campaignsCount = campaignSettings(config).countsAsTouch;
  return (i) => i.data.status !== 'cancelled' && i.data.status !== 'postponed' && (campaignsCount || !isCampaignTouch(i));
}
