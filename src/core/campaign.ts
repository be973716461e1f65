/**
 * Campaigns (docs/campaigns.md): who a campaign goes to and who is left out, the values its
 * template may use, the `campaigns:` settings, and what a sent campaign earned. Pure.
 */
import { creditCampaigns } from './campaign-credit.js';
import type { Config, CrmRecord, OwnerDef } from './types.js';
import { addDays, datePart, isIsoDate } from './dates.js';
import { asList, asString, emailsOf, interactionContacts, normalizeRef, tagsOf } from './fields.js';
import { dealOutcome } from './derived.js';
import { dealCurrency, dealValue } from './pipeline.js';
import type { Lookup } from './template.js';
import type { CampaignSettings } from './campaign-settings.js';
import { parseBoolean } from './booleans.js';

export { campaignSettings, isCampaignTouch, touchFilter, type CampaignSettings } from './campaign-settings.js';

export const CAMPAIGN_STATUSES = ['draft', 'sent'] as const;

export interface Campaign {
  id: string;
  name: string;
  subject?: string;
  segment?: string;
  channel: string;
  status: string;
  sent?: string;
  owner?: string;
  from?: string;
  body: string;
}

export function campaignOf(rec: CrmRecord): Campaign {
  const d = rec.data;
  const c: Campaign = {
    id: rec.id,
    name: asString(d.name) ?? rec.id,
    channel: asString(d.channel) ?? 'email',
    status: asString(d.status) ?? 'draft',
    // The blank line after the front matter is not part of the message.
    body: (rec.body ?? '').replace(/^(?:[ \t]*\r?\n)+/, ''),
  };
  for (const k of ['subject', 'segment', 'owner', 'from'] as const) {
    const v = asString(d[k]);
    if (v) c[k] = v;
  }
  const sent = asString(d.sent);
  if (sent && isIsoDate(sent)) c.sent = datePart(sent);
  return c;
}

export type SkipReason = 'no email' | 'do_not_contact' | 'unsubscribed' | 'already sent' | 'duplicate address';

export interface Audience {
  recipients: CrmRecord[];
  skipped: Array<{ contact: CrmRecord; reason: SkipReason; detail?: string }>;
}

/** Contact ids a campaign's interactions already reached. */
export function alreadySent(interactions: readonly CrmRecord[], campaignId: string): Set<string> {
  const out = new Set<string>();
  for (const i of interactions) if (normalizeRef(i.data.campaign) === campaignId) for (const c of interactionContacts(i)) out.add(c);
  return out;
}

/** Why a contact itself may not be mailed: do_not_contact, or unsubscribed (the field or the configured tag). */
function ownBlock(c: CrmRecord, settings: CampaignSettings): { reason: 'do_not_contact' | 'unsubscribed'; detail?: string } | undefined {
  for (const reason of ['do_not_contact', 'unsubscribed'] as const) {
    const value = c.data[reason];
    const flag = parseBoolean(value);
    if (flag === true) return reason === 'unsubscribed' ? { reason, detail: 'unsubscribed: true' } : { reason };
    // Unreadable (tb check reports it), or kept aside by an import: when in doubt, not mailed.
    const kept = c.data[`imported_${reason}`];
    if ((flag === undefined && value !== undefined && value !== null) || (kept !== undefined && kept !== null && kept !== '')) {
      return { reason, detail: `unreadable value ${JSON.stringify(flag === undefined && value !== undefined ? value : kept)}; tb check` };
    }
  }
  const tag = settings.unsubscribedTag?.toLowerCase();
  if (tag && tagsOf(c).some((t) => t.toLowerCase() === tag)) return { reason: 'unsubscribed', detail: `tag ${settings.unsubscribedTag}` };
  return undefined;
}

/**
 * Every address of a contact marked do_not_contact or unsubscribed, among all contacts (not only
 * the segment): such an address is never mailed through another contact that shares it.
 */
export function blockedAddresses(contacts: readonly CrmRecord[], settings: CampaignSettings): Map<string, { id: string; reason: 'do_not_contact' | 'unsubscribed' }> {
  const out = new Map<string, { id: string; reason: 'do_not_contact' | 'unsubscribed' }>();
  for (const c of contacts) {
    const block = ownBlock(c, settings);
    if (block) for (const e of emailsOf(c)) if (!out.has(e.trim().toLowerCase())) out.set(e.trim().toLowerCase(), { id: c.id, reason: block.reason });
  }
  return out;
}

/**
 * Splits the segment's members into recipients and those left out, with the first reason that
 * applies (in this order: do_not_contact, unsubscribed, no email, an address marked so on another
 * contact, already sent, an address already mailed in this campaign). Ordered by id. `everyone`
 * (all contacts) is where blocked addresses are looked for; `sentAddresses` are addresses this
 * campaign already reached.
 */
export function selectAudience(members: readonly CrmRecord[], sent: ReadonlySet<string>, settings: CampaignSettings, everyone: readonly CrmRecord[] = members, sentAddresses: ReadonlySet<string> = new Set()): Audience {
  const out: Audience = { recipients: [], skipped: [] };
  const blocked = blockedAddresses(everyone, settings);
  const mailed = new Map<string, string>();
  for (const c of [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const own = ownBlock(c, settings);
    const address = recipientEmail(c)?.toLowerCase();
    const other = address ? blocked.get(address) : undefined;
    if (own) out.skipped.push({ contact: c, ...own });
    else if (!address) out.skipped.push({ contact: c, reason: 'no email' });
    else if (other) out.skipped.push({ contact: c, reason: other.reason, detail: `${address} is marked ${other.reason} on ${other.id}` });
    else if (sent.has(c.id)) out.skipped.push({ contact: c, reason: 'already sent' });
    else if (sentAddresses.has(address)) out.skipped.push({ contact: c, reason: 'already sent', detail: `${address} was already mailed` });
    else if (mailed.has(address)) out.skipped.push({ contact: c, reason: 'duplicate address', detail: `${address} is mailed to ${mailed.get(address)}` });
    else {
      mailed.set(address, c.id);
      out.recipients.push(c);
    }
  }
  return out;
}

/** The address a campaign mails a contact at: the first one that looks like an address. */
export function recipientEmail(c: CrmRecord): string | undefined {
  return emailsOf(c).find((e) => e.includes('@'))?.trim();
}

/** `first_name` as written, else the first word of the name. */
export function firstName(c: CrmRecord): string | undefined {
  const own = asString(c.data.first_name);
  if (own) return own;
  const name = asString(c.data.name)?.trim();
  return name ? name.split(/\s+/)[0] : undefined;
}

function lastName(c: CrmRecord): string | undefined {
  const own = asString(c.data.last_name);
  if (own) return own;
  const words = asString(c.data.name)?.trim().split(/\s+/) ?? [];
  return words.length > 1 ? words.slice(1).join(' ') : undefined;
}

/** A front matter value as template text: scalars as written, lists joined with ", ". */
function textOf(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const items = asList(value).filter((v) => typeof v !== 'object');
    return items.length ? items.join(', ') : undefined;
  }
  return asString(value);
}

export interface TemplateScope {
  companies: ReadonlyMap<string, CrmRecord>;
  /** The sender: the campaign's owner. */
  owner?: { id: string } & OwnerDef;
  campaign: Campaign;
}

/** The names recipientLookup knows besides a contact's own fields: what a misspelt `{{…}}` is compared with. */
export const TEMPLATE_NAMES = ['first_name', 'last_name', 'name', 'email', 'company', 'id', 'owner.name', 'owner.email', 'owner.id', 'campaign.name'];

/**
 * The values a template can use for one recipient (docs/campaigns.md, "Templates"): first_name,
 * last_name, name, email, company (its name), company.<field>, owner.name / owner.email / owner.id,
 * campaign.name, and any of the contact's own fields.
 */
export function recipientLookup(c: CrmRecord, scope: TemplateScope): Lookup {
  const company = scope.companies.get(normalizeRef(c.data.company) ?? '');
  return (key) => {
    switch (key) {
      case 'first_name':
        return firstName(c);
      case 'last_name':
        return lastName(c);
      case 'email':
        return recipientEmail(c);
      case 'company':
        return company ? asString(company.data.name) ?? company.id : undefined;
      case 'id':
        return c.id;
      case 'owner':
      case 'owner.name':
        return scope.owner?.name ?? scope.owner?.id;
      case 'owner.email':
        return scope.owner?.email;
      case 'owner.id':
        return scope.owner?.id;
      case 'campaign.name':
        return scope.campaign.name;
    }
    if (key.startsWith('company.')) return company ? textOf(company.data[key.slice(8)]) : undefined;
    if (key.includes('.')) return undefined;
    return Object.hasOwn(c.data, key) ? textOf(c.data[key]) : undefined;
  };
}

export interface CampaignResult {
  id: string;
  name: string;
  status: string;
  sent?: string;
  /** Last day counted: sent + window. */
  window_end?: string;
  recipients: number;
  /** Recipients who wrote back (an inbound interaction) within the window. */
  replies: number;
  reply_rate: number;
  /** Meetings with a recipient within the window. */
  meetings: number;
  /** Deals created with a recipient within the window. */
  deals: number;
  /** Won value of those deals, per currency. */
  won_value: Array<{ currency: string; value: number }>;
}

/**
 * What each campaign earned within `windowDays` after each of its messages (docs/campaigns.md,
 * "Report"): only what happened after the message was sent counts, and each reply, meeting or deal
 * is credited to one campaign, the latest sent to that contact before it (core/campaign-credit.ts).
 */
export function campaignResults(
  campaigns: readonly CrmRecord[],
  input: { interactions: readonly CrmRecord[]; deals: readonly CrmRecord[]; config: Config },
  windowDays: number,
): CampaignResult[] {
  const recipientsOf = new Map<string, Set<string>>();
  const firstSend = new Map<string, string>();
  for (const i of input.interactions) {
    const cid = normalizeRef(i.data.campaign);
    if (!cid) continue;
    const date = asString(i.data.date);
    const set = recipientsOf.get(cid) ?? new Set<string>();
    recipientsOf.set(cid, set);
    for (const c of interactionContacts(i)) set.add(c);
    if (date && isIsoDate(date) && (!firstSend.has(cid) || datePart(date) < firstSend.get(cid)!)) firstSend.set(cid, datePart(date));
  }
  const credit = creditCampaigns(input, windowDays);
  return campaigns.map((rec) => {
    const c = campaignOf(rec);
    const recipients = recipientsOf.get(c.id) ?? new Set<string>();
    const sent = c.sent ?? firstSend.get(c.id);
    const row: CampaignResult = { id: c.id, name: c.name, status: c.status, recipients: recipients.size, replies: 0, reply_rate: 0, meetings: 0, deals: 0, won_value: [] };
    if (!sent) return row;
    row.sent = sent;
    row.window_end = addDays(sent, windowDays);
    row.replies = credit.replies.get(c.id)?.size ?? 0;
    row.meetings = credit.meetings.get(c.id)?.size ?? 0;
    const deals = credit.deals.get(c.id) ?? new Map<string, CrmRecord>();
    row.deals = deals.size;
    row.reply_rate = recipients.size ? Math.round((row.replies / recipients.size) * 1000) / 1000 : 0;
    row.won_value = wonValue([...deals.values()], input.config);
    return row;
  });
}

/** The won value of deals, per currency, in currency order. */
function wonValue(deals: readonly CrmRecord[], config: Config): Array<{ currency: string; value: number }> {
  const won = new Map<string, number>();
  for (const d of deals) {
    if (dealOutcome(d, config) !== 'won') continue;
    const cur = dealCurrency(d, config);
    won.set(cur, (won.get(cur) ?? 0) + Math.round(dealValue(d) * 100));
  }
  return [...won].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, cents]) => ({ currency, value: cents / 100 }));
}

/**
 * Whose address a campaign without `from` is sent from: its owner's, when that owner has an email
 * in touchbase.yaml, else the user's (`me`, the first owner `tb init` wrote). Undefined when
 * neither has an email.
 */
export function campaignSender(ownerId: string | undefined, config: Config, me: string | undefined): OwnerDef | undefined {
  for (const id of [ownerId, me]) {
    const def = id === undefined ? undefined : config.owners[id];
    if (def?.email) return def;
  }
  return undefined;
}
