/** Building the front matter of new records, in the key order of core/schema.ts. Pure. */
import type { FrontMatter, RecordType } from './types.js';
import { FIELD_ORDER } from './schema.js';
import { slugify } from './slug.js';
import { normalizeBooleans } from './booleans.js';

/** Keeps the given key order, drops undefined, empty strings and empty lists. */
export function compact(data: FrontMatter): FrontMatter {
  const out: FrontMatter = {};
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out;
}

export { FIELD_ORDER };

/** Orders keys: known fields in schema order first, then the rest in the order given. */
export function ordered(type: RecordType, input: FrontMatter): FrontMatter {
  // Boolean fields are written as true/false however they were spelled (core/booleans.ts).
  const data = normalizeBooleans(type, input);
  const out: FrontMatter = {};
  for (const k of FIELD_ORDER[type]) if (k in data) out[k] = data[k];
  for (const [k, v] of Object.entries(data)) if (!(k in out)) out[k] = v;
  return compact(out);
}

/** File stem base for an interaction: `2026-11-20-ada-lovelace-call` (a random suffix is added). */
export function interactionBaseId(date: string, firstContact: string, channel: string): string {
  return [date.slice(0, 10), slugify(firstContact) || 'contact', slugify(channel) || 'note'].join('-');
}

/** `interactions/2026/11` for a date. */
export function interactionSubdir(date: string): string {
  return `${date.slice(0, 4)}/${date.slice(5, 7)}`;
}

/** File stem base for a reminder: `2026-11-27-ada-lovelace-send-proposal`. */
export function reminderBaseId(due: string, target: string, text: string): string {
  const words = slugify(text).split('-').slice(0, 5).join('-');
  return [due.slice(0, 10), slugify(target) || 'task', words || 'reminder'].join('-');
}

export interface ReminderInput {
  due: string;
  text: string;
  contact?: string;
  deal?: string;
  owner?: string;
  repeat?: string;
  repeatFrom?: 'due' | 'done';
  extra?: FrontMatter;
}

export function reminderData(r: ReminderInput): FrontMatter {
  return ordered('reminder', {
    due: r.due,
    text: r.text,
    contact: r.contact,
    deal: r.deal,
    owner: r.owner,
    status: 'open',
    repeat: r.repeat,
    repeat_from: r.repeatFrom === 'done' ? 'done' : undefined,
    ...(r.extra ?? {}),
  });
}
