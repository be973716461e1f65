/**
 * Preparing a campaign for preview and send (docs/campaigns.md): the sender, who gets it and who is
 * left out, and each recipient's rendered subject, text and HTML source. Pure: the caller gives the
 * segment's predicate and the HTML escaper.
 */
import { DataError } from '../errors.js';
import type { CrmRecord, Dataset } from './types.js';
import { displayName } from './fields.js';
import { parseTemplate, renderTemplate } from './template.js';
import type { TemplatePart } from './template.js';
import { alreadySent, campaignOf, campaignSender, campaignSettings, recipientEmail, recipientLookup, selectAudience, TEMPLATE_NAMES } from './campaign.js';
import type { Audience, Campaign, CampaignSettings } from './campaign.js';
import { suggest } from './suggest.js';

export interface Address {
  name?: string;
  address: string;
}

export interface RenderedMessage {
  contact: CrmRecord;
  to: Address;
  subject: string;
  text: string;
  /** The Markdown with HTML-escaped values; rendered to HTML only when sending. */
  htmlMarkdown: string;
  listUnsubscribe?: string;
  /** Placeholders this recipient cannot fill. */
  missing: string[];
}

export interface Prepared {
  campaign: Campaign;
  record: CrmRecord;
  audience: Audience;
  settings: CampaignSettings;
  from: Address;
  /** Per recipient: the rendered subject, text, html and List-Unsubscribe, or what is missing. */
  rendered: RenderedMessage[];
  members: number;
}

function templateOf(campaign: CrmRecord, text: string, what: string): TemplatePart[] {
  const { parts, errors } = parseTemplate(text);
  if (errors.length) throw new DataError(`${what}: ${errors[0].message} (line ${errors[0].line}, column ${errors[0].column})`, { path: campaign.path });
  return parts;
}

/** `Name <address>` or a bare address. */
export function parseAddress(text: string): { name?: string; address: string } | undefined {
  const m = /^\s*(?:"?([^"<]*?)"?\s*)?<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text);
  if (m) return m[1] ? { name: m[1], address: m[2] } : { address: m[2] };
  return /^[^\s<>@]+@[^\s<>@]+$/.test(text.trim()) ? { address: text.trim() } : undefined;
}

/** `me` sends a campaign whose owner has no email (docs/campaigns.md). */
export function prepareCampaign(ds: Dataset, record: CrmRecord, inSegment: (c: CrmRecord) => boolean, escapeHtml: (s: string) => string, me?: string): Prepared {
  const campaign = campaignOf(record);
  if (!campaign.segment) throw new DataError(`campaign ${campaign.id} has no segment`, { path: record.path }, 'set one: tb set <campaign> segment="stage:customer"');
  if (!campaign.subject) throw new DataError(`campaign ${campaign.id} has no subject`, { path: record.path }, 'set one: tb set <campaign> subject="…"');
  const config = ds.config;
  const ownerId = campaign.owner;
  const ownerDef = campaignSender(ownerId, config, me);
  const fromText = campaign.from ?? (ownerDef?.email ? (ownerDef.name ? `${ownerDef.name} <${ownerDef.email}>` : ownerDef.email) : undefined);
  const from = fromText ? parseAddress(fromText) : undefined;
  if (!from) {
    throw new DataError(
      fromText ? `campaign ${campaign.id}: '${fromText}' is not an email address` : `campaign ${campaign.id} has no sender: no 'from' and no owner with an email in touchbase.yaml`,
      { path: record.path },
      'set from: "Name <you@example.com>" on the campaign, or give its owner (or you) an email under owners: in touchbase.yaml',
    );
  }
  const settings = campaignSettings(config);
  const members = ds.contacts.filter((c) => inSegment(c));
  const sent = alreadySent(ds.interactions, campaign.id);
  const sentAddresses = new Set(ds.contacts.filter((c) => sent.has(c.id)).map((c) => recipientEmail(c)?.toLowerCase()).filter((a): a is string => a !== undefined));
  const audience = selectAudience(members, sent, settings, ds.contacts, sentAddresses);
  const subjectT = templateOf(record, campaign.subject, 'subject');
  const bodyT = templateOf(record, campaign.body, 'body');
  const unsubscribeT = settings.listUnsubscribe ? templateOf(record, settings.listUnsubscribe, 'campaigns.list_unsubscribe') : undefined;
  const companies = new Map(ds.companies.map((c) => [c.id, c]));
  const scope = { companies, campaign, ...(ownerId ? { owner: { id: ownerId, ...(ownerDef ?? {}) } } : {}) };
  const rendered = audience.recipients.map((contact) => {
    const lookup = recipientLookup(contact, scope);
    const subject = renderTemplate(subjectT, lookup);
    const text = renderTemplate(bodyT, lookup);
    const htmlSource = renderTemplate(bodyT, lookup, escapeHtml);
    const unsub = unsubscribeT && renderTemplate(unsubscribeT, lookup);
    const missing = [...new Set([...subject.missing, ...text.missing, ...(unsub?.missing ?? [])])];
    const subjectLine = subject.text.replace(/\s*\r?\n\s*/g, ' ').trim();
    return {
      contact,
      to: { name: displayName(contact), address: recipientEmail(contact)! },
      subject: subjectLine,
      text: text.text.replace(/\n*$/, '\n'),
      // The Markdown with HTML-escaped values; rendered to HTML only when sending.
      htmlMarkdown: htmlSource.text,
      ...(unsub ? { listUnsubscribe: unsub.text } : {}),
      missing,
    };
  });
  return { campaign, record, audience, settings, from, rendered, members: members.length };
}

/** Recipients that cannot be rendered, as one line per missing key. */
export function missingLines(p: Prepared): string[] {
  const byKey = new Map<string, string[]>();
  for (const r of p.rendered) for (const k of r.missing) byKey.set(k, [...(byKey.get(k) ?? []), r.contact.id]);
  // `{{frist_name}}` is a typo, not a field those contacts lack: name the one meant.
  const names = [...TEMPLATE_NAMES, ...new Set(p.rendered.flatMap((r) => Object.keys(r.contact.data)))];
  return [...byKey].map(([k, ids]) => {
    const meant = names.includes(k) ? [] : suggest(k, names, 1);
    const hint = meant.length ? ` (did you mean {{${meant[0]}}}?)` : '';
    return `{{${k}}}${hint} cannot be filled for ${ids.length} recipient${ids.length === 1 ? '' : 's'}: ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ` and ${ids.length - 10} more` : ''}`;
  });
}

export const REASON_TEXT: Record<string, string> = {
  'no email': 'no email address',
  do_not_contact: 'do_not_contact: true',
  unsubscribed: 'unsubscribed',
  'already sent': 'already sent this campaign',
  'duplicate address': 'address mailed once per campaign',
};

export function skippedJson(a: Audience) {
  return a.skipped.map((s) => ({ id: s.contact.id, name: displayName(s.contact), reason: s.reason, ...(s.detail ? { detail: s.detail } : {}) }));
}

/** `Name <address>`, or the bare address. */
export function formatAddress(a: { name?: string; address: string }): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}
