/**
 * Which campaign earned a reply, a meeting or a deal (docs/campaigns.md, "Report"): the latest
 * campaign message sent to that contact before it happened, when it happened within the window
 * after that message. Each outcome is credited to one campaign at most, so the report's columns
 * add up across campaigns. Pure.
 */
import type { CrmRecord } from './types.js';
import { asString, dealContacts, interactionContacts, normalizeRef } from './fields.js';
import { dealCreated } from './derived.js';
import { isAfter, momentOf, withinDays, compareMoments, type Moment } from './moments.js';

interface Send {
  campaign: string;
  moment: Moment;
}

/** What each campaign (by id) is credited with. */
export interface CampaignCredit {
  /** Contacts whose inbound interaction was credited to the campaign. */
  replies: Map<string, Set<string>>;
  /** Meeting interactions (paths) credited to the campaign. */
  meetings: Map<string, Set<string>>;
  /** Deals credited to the campaign. */
  deals: Map<string, Map<string, CrmRecord>>;
}

/** Every campaign message per contact, oldest first. */
function sendsByContact(interactions: readonly CrmRecord[]): Map<string, Send[]> {
  const out = new Map<string, Send[]>();
  for (const i of interactions) {
    const campaign = normalizeRef(i.data.campaign);
    const moment = momentOf(i.data.date);
    if (!campaign || !moment) continue;
    for (const c of new Set(interactionContacts(i))) out.set(c, [...(out.get(c) ?? []), { campaign, moment }]);
  }
  for (const list of out.values()) list.sort((a, b) => compareMoments(a.moment, b.moment));
  return out;
}

/** The latest send to one of `contacts` before `event`, when `event` is within its window. */
function creditedSend(sends: Map<string, Send[]>, contacts: readonly string[], event: Moment, windowDays: number): Send | undefined {
  let best: Send | undefined;
  for (const c of contacts) {
    const list = sends.get(c) ?? [];
    for (let k = list.length - 1; k >= 0; k--) {
      if (!isAfter(event, list[k].moment)) continue;
      if (!best || compareMoments(list[k].moment, best.moment) > 0) best = list[k];
      break;
    }
  }
  return best && withinDays(event, best.moment, windowDays) ? best : undefined;
}

function add<V>(map: Map<string, Set<V>>, key: string, value: V): void {
  const set = map.get(key) ?? new Set<V>();
  set.add(value);
  map.set(key, set);
}

/** Credits replies, meetings and deals to campaigns (see the module comment). */
export function creditCampaigns(input: { interactions: readonly CrmRecord[]; deals: readonly CrmRecord[] }, windowDays: number): CampaignCredit {
  const sends = sendsByContact(input.interactions);
  const credit: CampaignCredit = { replies: new Map(), meetings: new Map(), deals: new Map() };
  for (const i of input.interactions) {
    const moment = momentOf(i.data.date);
    if (normalizeRef(i.data.campaign) || !moment) continue;
    const contacts = [...new Set(interactionContacts(i))].filter((c) => sends.has(c));
    if (!contacts.length) continue;
    if (asString(i.data.direction) === 'in') {
      for (const c of contacts) {
        const send = creditedSend(sends, [c], moment, windowDays);
        if (send) add(credit.replies, send.campaign, c);
      }
    }
    if (asString(i.data.channel) === 'meeting') {
      const send = creditedSend(sends, contacts, moment, windowDays);
      if (send) add(credit.meetings, send.campaign, i.path);
    }
  }
  for (const d of input.deals) {
    const moment = momentOf(asString(d.data.created) ?? dealCreated(d));
    const send = moment && creditedSend(sends, [...new Set(dealContacts(d))], moment, windowDays);
    if (!send) continue;
    const map = credit.deals.get(send.campaign) ?? new Map<string, CrmRecord>();
    map.set(d.id, d);
    credit.deals.set(send.campaign, map);
  }
  return credit;
}
