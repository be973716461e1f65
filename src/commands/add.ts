import { describeClash, identityClash } from '../core/identity.js';
import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, assertWritable, collect, parseRecordType, recordTypeWord } from './common.js';
import { DataError, UsageError } from '../errors.js';
import type { CrmRecord, Dataset, FrontMatter, RecordType } from '../core/types.js';
import { FOLDER_OF } from '../core/types.js';
import { REQUIRED_FIELDS } from '../core/schema.js';
import { ordered } from '../core/records.js';
import { asString } from '../core/fields.js';
import { parseAssignment, parseNumberOption } from '../core/values.js';
import { parseWhen } from '../core/dates.js';
import { resolveRefOrExplain } from '../core/resolve.js';
import { slugify } from '../core/slug.js';
import { didYouMean } from '../core/suggest.js';
import { createRecord } from '../store/write.js';
import { recordExistsAnywhere } from '../store/lookup.js';
import { printCreated } from './output.js';

interface AddOptions {
  email?: string[];
  phone?: string[];
  tag?: string[];
  link?: string[];
  contact?: string[];
  set?: string[];
  company?: string;
  title?: string;
  stage?: string;
  owner?: string;
  source?: string;
  channel?: string;
  cadence?: string;
  birthday?: string;
  location?: string;
  domain?: string;
  industry?: string;
  size?: string;
  value?: string;
  currency?: string;
  probability?: string;
  expectedClose?: string;
  created?: string;
  body?: string;
  segment?: string;
  subject?: string;
  bodyFile?: string;
  from?: string;
  allowDuplicate?: boolean;
  /** Set by the interview when "(none)" was chosen as the owner. */
  noOwner?: boolean;
}

/** What `tb add` knows of one type: the words the data is made from, in the type's own builder. */
interface AddInput {
  app: App;
  ds: Dataset;
  name: string;
  opts: AddOptions;
  owner: string | undefined;
  company: string | undefined;
  custom: FrontMatter;
  date: (v: string | undefined, what: string) => string | undefined;
}

/**
 * The types `tb add` makes and how it builds each one's front matter; undefined: not made by tb add.
 * Typed over every RecordType, so a new type must say. A campaign is made by tb campaign new.
 */
const ADD_BUILDERS: Readonly<Record<RecordType, ((input: AddInput) => FrontMatter) | 'campaign new' | undefined>> = {
  contact: contactData,
  company: companyData,
  deal: dealData,
  campaign: 'campaign new',
  interaction: undefined, // tb log
  reminder: undefined, // tb remind
  case: undefined, // tb case open
};

const ADDABLE = (Object.keys(ADD_BUILDERS) as RecordType[]).filter((t) => typeof ADD_BUILDERS[t] === 'function');

/** The type words `tb add` takes; shell completion offers them. */
export const ADD_TYPES: readonly RecordType[] = (Object.keys(ADD_BUILDERS) as RecordType[]).filter((t) => ADD_BUILDERS[t] !== undefined);

export function register(program: Command, getApp: GetApp): void {
  program
    .command('add')
    .description('add a contact, company, deal or campaign (prompts for missing details on a terminal)')
    .argument('<type>', 'contact, company, deal or campaign')
    .argument('[name]', 'the name (title for a deal)')
    .option('--email <email>', 'email address (repeatable)', collect)
    .option('--phone <phone>', 'phone number (repeatable)', collect)
    .option('--tag <tag>', 'tag (repeatable)', collect)
    .option('--link <url>', 'a link (repeatable)', collect)
    .option('--company <ref>', 'company (id, name or prefix)')
    .option('--contact <ref>', 'deal: a contact involved (repeatable)', collect)
    .option('--title <title>', 'contact: job title')
    .option('--stage <stage>', 'contact: lifecycle stage; deal: pipeline stage')
    .option('--owner <owner>', 'owner (default: me, when me is a configured owner)')
    .option('--source <source>', 'contact: where they came from')
    .option('--channel <channel>', 'contact: preferred channel')
    .option('--cadence <interval>', 'contact: keep-in-touch interval, e.g. 30d')
    .option('--birthday <date>', 'contact: birthday YYYY-MM-DD')
    .option('--location <place>', 'contact: location')
    .option('--domain <domain>', 'company: web domain')
    .option('--industry <industry>', 'company: industry')
    .option('--size <size>', 'company: size')
    .option('--value <amount>', 'deal: value')
    .option('--currency <code>', 'deal: currency (default from config)')
    .option('--probability <p>', 'deal: probability 0..1 overriding the stage')
    .option('--expected-close <date>', 'deal: expected close date')
    .option('--created <date>', 'creation date (default today)')
    .option('--set <key=value>', 'any other field (repeatable)', collect)
    .option('--allow-duplicate', 'contact: add it even when another contact has the same email or profile URL')
    .option('--body <text>', 'Markdown notes for the body')
    .option('--segment <query>', 'campaign: who it goes to (a query or @segment)')
    .option('--subject <text>', 'campaign: the subject line')
    .option('--body-file <file>', 'campaign: the Markdown message template')
    .option('--from <address>', 'campaign: the From: address')
    .addHelpText('after', `
Examples:
  $ tb add contact "Ada Lovelace" --email ada@example.com --company acme --tag vip --stage customer
  $ tb add company "Acme Corp" --domain acme.com --industry fintech
  $ tb add deal "Acme renewal 2027" --company acme --contact ada --value 24000 --stage proposal
  $ tb add contact "José Müller" --set nps=9 --json
  $ tb add campaign "Winter update" --segment stage:customer --subject "Hello {{first_name|there}}" --body-file winter.md
`)
    .action(action(getApp, addCommand));
}

async function addCommand(app: App, typeWord: string, nameArg: string | undefined, opts: AddOptions): Promise<void> {
  // Check the output format before writing anything: a usage error must leave no file behind.
  app.format(['text', 'json'], 'text');
  // A campaign is made by `tb campaign new` (docs/campaigns.md); `tb add campaign` is the same.
  if (recordTypeWord(typeWord) === 'campaign') return (await import('./campaign-new.js')).newCampaign(app, nameArg, opts);
  const type = parseRecordType(typeWord, ADDABLE);
  let name = nameArg?.trim();
  const interview = !name;
  if (interview && !app.interactive) throw new UsageError(`missing the ${REQUIRED_FIELDS[type][0]}: tb add ${type} "<name>"`, 'prompts only appear on a terminal; pass the name as an argument');
  const ds = await app.load({ types: type === 'company' ? ['company'] : ['contact', 'company'] });
  let equivalent: string | undefined;
  if (interview) {
    // Ask for every field that matters for this type (those not given as flags), then show the flags.
    const { interviewAdd, equivalentCommand } = await import('../prompts/add-interview.js');
    const { terminalPrompter } = await import('../prompts/index.js');
    const answers = await interviewAdd(terminalPrompter((t) => app.sys.writeErr(t)), {
      type: type as 'contact' | 'company' | 'deal', config: ds.config, companies: ds.companies, contacts: ds.contacts, today: app.today, given: opts,
    });
    name = answers.name;
    Object.assign(opts, answers);
    equivalent = equivalentCommand(type, answers);
  }
  if (!name) throw new UsageError('the name cannot be empty');
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new UsageError('the name cannot contain line breaks or control characters');
  const data = buildData(app, ds, type, name, opts);
  const base = slugify(name) || type;
  assertWritable(ds, { type, id: base, path: `${FOLDER_OF[type]}/${base}.md`, data });
  const rec = createRecord(app.root, { type, baseId: base, data, body: opts.body ? `${opts.body.trim()}\n` : undefined }, (id) => recordExistsAnywhere(app.root, id, type));
  app.wrote(rec.path, `add: ${type} ${name}`);
  printCreated(app, rec, `Added ${type} ${rec.id}`);
  if (equivalent && app.format(['text', 'json'], 'text') === 'text') app.say(`The same in one line: ${equivalent}`);
}

/** Two people may share a name, so a second one is added, but never without a word: it may be the same one. */
function warnSameName(app: App, records: readonly CrmRecord[], type: 'contact' | 'company', name: string): void {
  const same = records.find((r) => asString(r.data.name)?.trim().toLowerCase() === name.trim().toLowerCase());
  if (same) app.warn(`a ${type} named '${name}' already exists (${same.id}); this one is added as another record (tb merge ${same.id} <new id> if they are the same)`);
}

function buildData(app: App, ds: Dataset, type: RecordType, name: string, opts: AddOptions): FrontMatter {
  const today = app.today;
  const date = (v: string | undefined, what: string) => (v === undefined ? undefined : parseWhen(v, today, what));
  // "(none)" in the interview means no owner, not the default (me).
  const owner = opts.noOwner ? undefined : app.defaultOwner(opts.owner);
  const company = opts.company ? resolveRefOrExplain(ds.companies, opts.company, 'company', ds.problems).id : undefined;
  const build = ADD_BUILDERS[type];
  if (typeof build !== 'function') throw new Error(`tb add cannot make a ${type}`);
  return build({ app, ds, name, opts, owner, company, custom: customFields(type, opts), date });
}

/** The `--set key=value` pairs; the name (a deal's title) and the id come from elsewhere. */
function customFields(type: RecordType, opts: AddOptions): FrontMatter {
  const custom: FrontMatter = {};
  for (const s of opts.set ?? []) {
    const { key, value } = parseAssignment(s);
    if (key === 'id' || key === 'type') throw new UsageError(`'${key}' comes from the file name and cannot be set`);
    if (key === 'name' || key === 'title') throw new UsageError(`give the ${key} as the argument, not with --set`, `tb add ${type} "<${key}>"`);
    custom[key] = value;
  }
  return custom;
}

function contactData({ app, ds, name, opts, owner, company, custom, date }: AddInput): FrontMatter {
  const config = ds.config;
  if (opts.stage && !config.lifecycle.includes(opts.stage)) {
    throw new UsageError(`unknown lifecycle stage '${opts.stage}'`, didYouMean(opts.stage, config.lifecycle) ?? `use one of: ${config.lifecycle.join(', ')}`);
  }
  const clash = identityClash(ds.contacts, opts.email ?? [], opts.link ?? []);
  if (clash && !opts.allowDuplicate) {
    throw new DataError(`${describeClash(clash)}; nothing was added`, { path: clash.holder.path }, `add to that contact instead (tb set ${clash.holder.id} …, tb log ${clash.holder.id} …), or --allow-duplicate to add a second record anyway`);
  }
  if (clash) app.warn(`${describeClash(clash)} (--allow-duplicate)`);
  else warnSameName(app, ds.contacts, 'contact', name);
  return ordered('contact', {
    name, emails: opts.email, phones: opts.phone, company, title: opts.title, tags: opts.tag, owner,
    stage: opts.stage, source: opts.source, channel: opts.channel, cadence: opts.cadence,
    birthday: date(opts.birthday, '--birthday'), location: opts.location, links: opts.link,
    created: date(opts.created, '--created') ?? app.today, ...custom,
  });
}

function companyData({ app, ds, name, opts, owner, custom, date }: AddInput): FrontMatter {
  warnSameName(app, ds.companies, 'company', name);
  return ordered('company', {
    name, domain: opts.domain, industry: opts.industry, size: opts.size, tags: opts.tag, owner,
    created: date(opts.created, '--created') ?? app.today, links: opts.link, ...custom,
  });
}

function dealData({ app, ds, name, opts, owner, company, custom, date }: AddInput): FrontMatter {
  const config = ds.config;
  const stage = opts.stage ?? config.pipeline[0].id;
  if (!config.pipeline.some((s) => s.id === stage)) {
    throw new UsageError(`unknown pipeline stage '${stage}'`, `use one of: ${config.pipeline.map((s) => s.id).join(', ')}`);
  }
  const contacts = (opts.contact ?? []).map((c) => resolveRefOrExplain(ds.contacts, c, 'contact', ds.problems).id);
  const created = date(opts.created, '--created') ?? app.today;
  const probability = opts.probability === undefined ? undefined : parseNumberOption(opts.probability, '--probability');
  if (probability !== undefined && (probability < 0 || probability > 1)) throw new UsageError('--probability must be between 0 and 1');
  const closed = config.pipeline.find((s) => s.id === stage)?.closed ? created : undefined;
  return ordered('deal', {
    title: name, company, contacts, stage,
    value: opts.value === undefined ? undefined : parseNumberOption(opts.value, '--value'),
    currency: opts.currency?.toUpperCase(), probability, owner,
    expected_close: date(opts.expectedClose, '--expected-close'), created, closed, tags: opts.tag,
    history: [{ date: created, stage }], ...custom,
  });
}
