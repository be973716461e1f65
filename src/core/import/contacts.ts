/**
 * Planning a contacts import (CSV rows and vCards): each row is matched (./match.ts) and either
 * fills what a matched contact lacks, is skipped as ambiguous, or becomes a new contact — reported
 * as a possible duplicate when it shares a name or phone with a conflicting contact.
 */
import type { FrontMatter } from '../types.js';
import { ordered } from '../records.js';
import { asString, normalizeRef } from '../fields.js';
import { UNSTORABLE_FIELDS } from '../schema.js';
import type { ContactDraft } from '../import-shapes.js';
import { ContactIndex, isEmpty, matchContact } from './match.js';
import type { SameCompany } from './match.js';
import { addTag, Planner } from './plan.js';
import type { ImportContext, ImportPlan, Working } from './plan.js';

/**
 * The draft fields that become front matter (or the body: `notes`), typed over ContactDraft so a
 * new draft field must be listed. An `extra` column with one of these names, or `body`, is not used.
 */
const DRAFT_FIELDS: Readonly<Record<Exclude<keyof ContactDraft, 'ref' | 'extra' | 'source'>, true>> = {
  name: true, emails: true, phones: true, company: true, title: true, tags: true, birthday: true, location: true, links: true, addresses: true, notes: true,
};
const DRAFT_KEYS = new Set([...Object.keys(DRAFT_FIELDS), 'body']);
const NEVER_IMPORTED = new Set(['id', 'type', 'path', 'derived', 'front_matter', 'uid', ...UNSTORABLE_FIELDS.contact]);

/** `Straße geschäftlich` → `strasse_geschaftlich`: accents folded, not dropped (`gesch_ftlich`). */
function snakeKey(text: string): string {
  const folded = text.trim().toLowerCase().replace(/ß/g, 'ss').normalize('NFD').replace(/\p{M}/gu, '');
  return folded.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * Numbers and booleans from text cells; everything else (postal codes with a leading zero, phone
 * numbers, dates) stays text.
 */
function scalarOf(text: string): unknown {
  const t = text.trim();
  // tb's own CSV writes lists of mappings (and other structured values) as JSON.
  if (/^[[{]/.test(t)) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return t;
    }
  }
  if (/^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  return t;
}

/** The front matter a draft brings (without owner/created, which only new records get). */
export function draftData(draft: ContactDraft, companyId: string | undefined): FrontMatter {
  const extras: FrontMatter = {};
  for (const [raw, value] of Object.entries(draft.extra)) {
    const key = snakeKey(raw);
    if (key === '' || DRAFT_KEYS.has(key) || NEVER_IMPORTED.has(key) || key in extras) continue;
    extras[key] = typeof value === 'string' ? scalarOf(value) : value;
  }
  return ordered('contact', {
    name: draft.name, emails: draft.emails, phones: draft.phones, company: companyId, title: draft.title,
    tags: draft.tags, birthday: draft.birthday, location: draft.location, links: draft.links, ...extras,
    addresses: draft.addresses.length ? draft.addresses.map((a) => ({ ...a })) : undefined,
  });
}

/** Git's conflict markers at a line start make the whole file unreadable; a backslash keeps the text. */
function safeBody(notes: string): string {
  const text = notes.replace(/\r\n?/g, '\n').trim().replace(/^(<{7}|>{7}|={7})/gm, '\\$1');
  return `\n${text}\n`;
}

/** One contacts import in progress: the plan, the index of contacts so far, and where each new one came from. */
interface ContactRun {
  p: Planner;
  ctx: ImportContext;
  index: ContactIndex;
  sameCompany: SameCompany;
  originLine: Map<Working, number>;
}

export function planContactImport(drafts: ContactDraft[], ctx: ImportContext): ImportPlan {
  const p = new Planner(ctx);
  const index = new ContactIndex();
  for (const c of ctx.contacts) index.add({ type: 'contact', id: c.id, path: c.path, data: c.data, original: c.data, changed: new Set() });
  const sameCompany: SameCompany = (a, b) => p.findCompany(String(normalizeRef(a) ?? a)) === (normalizeRef(b) ?? String(b));
  const run: ContactRun = { p, ctx, index, sameCompany, originLine: new Map() };
  for (const draft of drafts) importDraft(run, draft);
  return p.finish();
}

function importDraft(run: ContactRun, draft: ContactDraft): void {
  const { p } = run;
  const line = draft.source.line;
  const name = draft.name ?? draft.emails[0] ?? draft.phones[0] ?? 'contact';
  // The draft's fields with its company as the id it would link to (for comparing, not creating).
  const probe = draftData(draft, draft.company ? p.findCompany(draft.company) ?? `?${draft.company}` : undefined);
  const match = matchContact(run.index, probe, draft.ref, run.sameCompany);
  if (match.kind === 'ambiguous') {
    p.issue(line, `'${name}' matches ${match.ids.length} contacts by ${match.by} (${match.ids.join(', ')}); skipped, see tb dedupe`);
    p.row({ line, action: 'skipped', reason: `matches ${match.ids.join(', ')}` });
    p.counts.skipped++;
  } else if (match.kind === 'match') {
    fillMatch(run, draft, match.target, match.by);
  } else {
    createContact(run, draft, name, match.duplicateOf);
  }
}

/** A matched contact gains what it lacks from the row. */
function fillMatch(run: ContactRun, draft: ContactDraft, target: Working, by: string): void {
  const { p } = run;
  const line = draft.source.line;
  const company = draft.company && isEmpty(target.data.company) ? p.companyId(draft.company) : undefined;
  const changed = p.fill(target, draftData(draft, company));
  run.index.add(target);
  const from = run.originLine.get(target);
  if (changed.length) {
    p.counts.updated++;
    p.row({ line, action: 'updated', id: target.id, matched_by: by, fields: changed, ...(from ? { merged_into_line: from } : {}) });
  } else {
    p.counts.skipped++;
    p.row({ line, action: 'unchanged', id: target.id, matched_by: by });
  }
}

function createContact(run: ContactRun, draft: ContactDraft, name: string, duplicateOf: { w: Working; why: string } | undefined): void {
  const { p, ctx } = run;
  const line = draft.source.line;
  const data = draftData({ ...draft, name }, draft.company ? p.companyId(normalizeRef(draft.company) ?? draft.company) : undefined);
  addTag(data, ctx.tag);
  const full = ordered('contact', { ...data, owner: data.owner ?? ctx.owner, created: data.created ?? ctx.today });
  const w = p.create('contact', p.newId(name, 'contact'), full, { body: draft.notes ? safeBody(draft.notes) : undefined });
  run.index.add(w);
  run.originLine.set(w, line);
  p.counts.created++;
  if (!duplicateOf) {
    p.row({ line, action: 'created', id: w.id });
    return;
  }
  const other = duplicateOf.w;
  const otherName = asString(other.data.name) ?? other.id;
  const where = run.originLine.has(other) ? `${other.id} (line ${run.originLine.get(other)})` : other.id;
  p.counts.duplicates++;
  p.issue(line, `possible duplicate: '${name}' imported as ${w.id}, not merged into ${where} '${otherName}': ${duplicateOf.why}; see tb dedupe / tb merge`);
  p.row({ line, action: 'created', id: w.id, possible_duplicate_of: other.id, reason: duplicateOf.why });
}
