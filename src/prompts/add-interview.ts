/**
 * The questions `tb add` asks on a terminal, per record type (docs/commands.md, "tb add"). Only
 * fields not given as flags are asked; choices come from the config and the data; an invalid
 * answer is explained and asked again; the answers end as the one-line command they amount to.
 * The prompter is passed in, so tests answer with a list instead of a terminal.
 */
import { isEmailAddress } from '../core/email-address.js';
import type { Config, CrmRecord } from '../core/types.js';
import { resolveRef } from '../core/resolve.js';
import { tryParseWhen } from '../core/dates.js';
import { displayName } from '../core/fields.js';

export interface Prompter {
  /** Free text; '' when the user just presses Enter. */
  text(message: string, def?: string): Promise<string>;
  /** One of `choices` (values); `def` is preselected. */
  select(message: string, choices: Array<{ value: string; name: string }>, def?: string): Promise<string>;
  /** Explains why an answer was not taken, before the question is asked again. */
  note(message: string): void;
}

/** The flags the interview fills in (the subset of `tb add`'s options it asks about). */
export interface AddAnswers {
  name: string;
  email?: string[];
  phone?: string[];
  company?: string;
  title?: string;
  stage?: string;
  tag?: string[];
  owner?: string;
  /** "(none)" was chosen for the owner: write none (not the default, me). */
  noOwner?: boolean;
  contact?: string[];
  value?: string;
  expectedClose?: string;
}

export interface InterviewContext {
  type: 'contact' | 'company' | 'deal';
  config: Config;
  companies: readonly CrmRecord[];
  contacts: readonly CrmRecord[];
  today: string;
  /** What the flags already say; those fields are not asked. */
  given: Partial<AddAnswers>;
}

const PHONE = /^\+?[0-9][0-9 ()./-]{3,}$/;
const NONE = '';
/** Selects with more choices than this become text answers checked against the list. */
const MAX_SELECT = 15;

/** Asks until `check` accepts the answer (returns the value to keep, or an error message). */
async function ask<T>(p: Prompter, question: () => Promise<string>, check: (answer: string) => { value: T } | { error: string }): Promise<T> {
  for (;;) {
    const answer = (await question()).trim();
    const r = check(answer);
    if ('value' in r) return r.value;
    p.note(r.error);
  }
}

function optional<T>(answer: string, parse: (a: string) => { value: T } | { error: string }): { value: T | undefined } | { error: string } {
  return answer === '' ? { value: undefined } : parse(answer);
}

function list(answer: string): string[] {
  return answer.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A company (or contacts) by id, name or prefix; the error names what exists. */
function pick(records: readonly CrmRecord[], answer: string, what: string): { value: string } | { error: string } {
  try {
    return { value: resolveRef(records, answer, what).id };
  } catch (err) {
    const hint = (err as { hint?: string }).hint;
    return { error: `${(err as Error).message}${hint ? `; ${hint}` : ''} (add it first, or leave this empty)` };
  }
}

async function choose(p: Prompter, message: string, values: readonly string[], def: string | undefined, allowNone: boolean, labels: (v: string) => string = (v) => v): Promise<string | undefined> {
  const choices = [...(allowNone ? [{ value: NONE, name: '(none)' }] : []), ...values.map((v) => ({ value: v, name: labels(v) }))];
  if (values.length <= MAX_SELECT) {
    const v = await p.select(message, choices, def ?? (allowNone ? NONE : values[0]));
    return v === NONE ? undefined : v;
  }
  return ask(p, () => p.text(`${message} (${values.slice(0, 8).join(', ')}, …)`, def), (a) =>
    a === '' && allowNone ? { value: undefined } : values.includes(a) ? { value: a } : { error: `'${a}' is not one of: ${values.join(', ')}` },
  );
}

async function companyQuestion(p: Prompter, ctx: InterviewContext): Promise<string | undefined> {
  const ids = ctx.companies.map((c) => c.id);
  if (ids.length && ids.length <= MAX_SELECT) {
    const byId = new Map(ctx.companies.map((c) => [c.id, c]));
    return choose(p, 'Company:', ids, undefined, true, (id) => `${displayName(byId.get(id)!)} (${id})`);
  }
  return ask(p, () => p.text('Company (id or name, empty for none):'), (a) => optional(a, (x) => pick(ctx.companies, x, 'company')));
}

async function ownerQuestion(p: Prompter, ctx: InterviewContext): Promise<string | undefined> {
  const owners = Object.keys(ctx.config.owners);
  if (!owners.length || ctx.given.owner) return ctx.given.owner;
  return choose(p, 'Owner:', owners, undefined, true, (id) => (ctx.config.owners[id]?.name ? `${ctx.config.owners[id].name} (${id})` : id));
}

/** Asks what the flags left open; returns every answer, flags included. */
export async function interviewAdd(p: Prompter, ctx: InterviewContext): Promise<AddAnswers> {
  const g = ctx.given;
  const label = ctx.type === 'deal' ? 'Title' : 'Name';
  const name = g.name ?? (await ask<string>(p, () => p.text(`${label}:`), (a) => (a ? { value: a } : { error: `the ${label.toLowerCase()} cannot be empty` })));
  const out: AddAnswers = { ...g, name };
  if (ctx.type === 'contact') {
    if (!g.email?.length) {
      const email = await ask(p, () => p.text('Email (empty for none):'), (a) => optional(a, (x) => (isEmailAddress(x) ? { value: x } : { error: `'${x}' does not look like an email address, e.g. ada@example.com` })));
      if (email) out.email = [email];
    }
    if (!g.phone?.length) {
      const phone = await ask(p, () => p.text('Phone (empty for none):'), (a) => optional(a, (x) => (PHONE.test(x) ? { value: x } : { error: `'${x}' does not look like a phone number, e.g. +44 20 7946 0958` })));
      if (phone) out.phone = [phone];
    }
    if (g.company === undefined) out.company = await companyQuestion(p, ctx);
    if (g.title === undefined) out.title = (await p.text('Title (empty for none):')).trim() || undefined;
    if (g.stage === undefined) out.stage = await choose(p, 'Lifecycle stage:', ctx.config.lifecycle, undefined, true);
    if (!g.tag?.length) {
      const tags = list(await p.text('Tags (comma-separated, empty for none):'));
      if (tags.length) out.tag = tags;
    }
  } else if (ctx.type === 'company') {
    // Companies need only a name; the rest is rarely known at once (flags: --domain, --industry).
  } else {
    if (g.company === undefined) out.company = await companyQuestion(p, ctx);
    if (!g.contact?.length) {
      const contacts = await ask(p, () => p.text('Contacts (ids or names, comma-separated, empty for none):'), (a) => {
        const ids: string[] = [];
        for (const ref of list(a)) {
          const r = pick(ctx.contacts, ref, 'contact');
          if ('error' in r) return r;
          ids.push(r.value);
        }
        return { value: ids };
      });
      if (contacts.length) out.contact = contacts;
    }
    if (g.value === undefined) {
      out.value = await ask(p, () => p.text('Value (a number, empty for none):'), (a) => optional(a, (x) => {
        const n = x.replace(/[\s,_']/g, '');
        return /^\d+(\.\d+)?$/.test(n) ? { value: n } : { error: `'${x}' is not a number, e.g. 12000` };
      }));
    }
    if (g.stage === undefined) out.stage = await choose(p, 'Pipeline stage:', ctx.config.pipeline.filter((s) => !s.closed).map((s) => s.id), undefined, false);
    if (g.expectedClose === undefined) {
      out.expectedClose = await ask(p, () => p.text('Expected close (a date or e.g. "end of month", empty for none):'), (a) => optional(a, (x) => {
        const d = tryParseWhen(x, ctx.today);
        return d ? { value: d } : { error: `'${x}' is not a date I understand, e.g. 2027-01-31, +3m, end of month` };
      }));
    }
  }
  if (ctx.type !== 'company') {
    const asked = Object.keys(ctx.config.owners).length > 0 && !ctx.given.owner;
    out.owner = await ownerQuestion(p, ctx);
    if (asked && out.owner === undefined) out.noOwner = true;
  }
  return out;
}

/** Quotes a word for a POSIX shell only when it needs it. */
function shellWord(w: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** The one-line `tb add` command the answers amount to, so the flags can be learnt. */
export function equivalentCommand(type: string, a: AddAnswers): string {
  const words = ['tb', 'add', type, a.name];
  const flag = (name: string, v: string | undefined) => {
    if (v !== undefined && v !== '') words.push(`--${name}`, v);
  };
  for (const e of a.email ?? []) flag('email', e);
  for (const ph of a.phone ?? []) flag('phone', ph);
  flag('company', a.company);
  for (const c of a.contact ?? []) flag('contact', c);
  flag('title', a.title);
  flag('value', a.value);
  flag('stage', a.stage);
  flag('expected-close', a.expectedClose);
  for (const t of a.tag ?? []) flag('tag', t);
  flag('owner', a.owner);
  return words.map(shellWord).join(' ');
}
