/** What `show` puts around a record: its company, contacts, deals, reminders and timeline. Pure. */
import type { CrmRecord, Dataset } from './types.js';
import { reminderContacts, dealContacts, interactionContacts, normalizeRef, reminderStatus } from './fields.js';
import { interactionDate } from './derived.js';
import { caseThread } from './cases.js';

export interface Related {
  company?: CrmRecord;
  contacts: CrmRecord[];
  deals: CrmRecord[];
  reminders: CrmRecord[];
  /** Newest first; for a case, its thread oldest first. */
  interactions: CrmRecord[];
  /** Service cases of the contact, company or deal, newest first (docs/cases.md). */
  cases: CrmRecord[];
}

function newestOpenedFirst(list: CrmRecord[]): CrmRecord[] {
  return [...list].sort((a, b) => String(b.data.opened ?? '').localeCompare(String(a.data.opened ?? '')) || a.id.localeCompare(b.id));
}

function newestFirst(list: CrmRecord[]): CrmRecord[] {
  return [...list].sort((a, b) => {
    const da = String(a.data.date ?? '');
    const db = String(b.data.date ?? '');
    return da < db ? 1 : da > db ? -1 : a.id.localeCompare(b.id);
  });
}

function byDue(list: CrmRecord[]): CrmRecord[] {
  return [...list].sort((a, b) => String(a.data.due ?? '').localeCompare(String(b.data.due ?? '')));
}

/** Related records; `today` hides interactions dated after it (consistent with --as-of). */
export function relatedTo(ds: Dataset, rec: CrmRecord, today: string): Related {
  const companyById = new Map(ds.companies.map((c) => [c.id, c]));
  const openReminders = ds.reminders.filter((r) => reminderStatus(r) === 'open');
  const pastInteractions = ds.interactions.filter((i) => (interactionDate(i) ?? '') <= today);
  const rel: Related = { contacts: [], deals: [], reminders: [], interactions: [], cases: [] };
  const cases = ds.cases ?? [];
  switch (rec.type) {
    case 'contact': {
      const cid = normalizeRef(rec.data.company);
      rel.company = cid ? companyById.get(cid) : undefined;
      rel.deals = ds.deals.filter((d) => dealContacts(d).includes(rec.id));
      rel.reminders = byDue(openReminders.filter((r) => reminderContacts(r).includes(rec.id)));
      rel.interactions = newestFirst(pastInteractions.filter((i) => interactionContacts(i).includes(rec.id)));
      rel.cases = newestOpenedFirst(cases.filter((c) => normalizeRef(c.data.contact) === rec.id));
      break;
    }
    case 'company': {
      rel.contacts = ds.contacts.filter((c) => normalizeRef(c.data.company) === rec.id);
      const ids = new Set(rel.contacts.map((c) => c.id));
      rel.deals = ds.deals.filter((d) => normalizeRef(d.data.company) === rec.id);
      const dealIds = new Set(rel.deals.map((d) => d.id));
      rel.reminders = byDue(openReminders.filter((r) => reminderContacts(r).some((c) => ids.has(c)) || dealIds.has(normalizeRef(r.data.deal) ?? '')));
      rel.interactions = newestFirst(pastInteractions.filter((i) => interactionContacts(i).some((c) => ids.has(c))));
      rel.cases = newestOpenedFirst(cases.filter((c) => normalizeRef(c.data.company) === rec.id));
      break;
    }
    case 'deal': {
      const cid = normalizeRef(rec.data.company);
      rel.company = cid ? companyById.get(cid) : undefined;
      const ids = new Set(dealContacts(rec));
      rel.contacts = ds.contacts.filter((c) => ids.has(c.id));
      rel.reminders = byDue(openReminders.filter((r) => normalizeRef(r.data.deal) === rec.id));
      rel.interactions = newestFirst(pastInteractions.filter((i) => normalizeRef(i.data.deal) === rec.id));
      rel.cases = newestOpenedFirst(cases.filter((c) => normalizeRef(c.data.deal) === rec.id));
      break;
    }
    case 'case': {
      const cid = normalizeRef(rec.data.company);
      rel.company = cid ? companyById.get(cid) : undefined;
      const contact = normalizeRef(rec.data.contact);
      rel.contacts = ds.contacts.filter((c) => c.id === contact);
      const did = normalizeRef(rec.data.deal);
      rel.deals = did ? ds.deals.filter((d) => d.id === did) : [];
      // The whole thread, oldest first: a case reads as a conversation.
      rel.interactions = caseThread(rec.id, pastInteractions);
      break;
    }
    case 'interaction': {
      const ids = new Set(interactionContacts(rec));
      rel.contacts = ds.contacts.filter((c) => ids.has(c.id));
      const did = normalizeRef(rec.data.deal);
      rel.deals = did ? ds.deals.filter((d) => d.id === did) : [];
      break;
    }
    case 'reminder': {
      const ids = new Set(reminderContacts(rec));
      rel.contacts = ds.contacts.filter((c) => ids.has(c.id));
      const did = normalizeRef(rec.data.deal);
      rel.deals = did ? ds.deals.filter((d) => d.id === did) : [];
      break;
    }
  }
  return rel;
}
