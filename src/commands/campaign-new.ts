/** `tb campaign new` and `tb add campaign` (docs/campaigns.md): a draft with its segment, subject and body. */
import path from 'node:path';
import type { App } from '../app.js';
import { hasControlChars } from '../core/control-chars.js';
import { assertWritable } from './common.js';
import { UsageError } from '../errors.js';
import type { FrontMatter } from '../core/types.js';
import { displayName } from '../core/fields.js';
import { ordered } from '../core/records.js';
import { slugify } from '../core/slug.js';
import { foldText } from '../core/text.js';
import { didYouMean } from '../core/suggest.js';
import { parseTemplate } from '../core/template.js';
import { createRecord } from '../store/write.js';
import { recordExistsAnywhere } from '../store/lookup.js';
import { readTemplateFile } from '../store/campaign-send.js';
import { printCreated } from './output.js';
import { segmentPredicate } from './campaign-common.js';

export interface NewCampaignOptions {
  segment?: string;
  subject?: string;
  bodyFile?: string;
  body?: string;
  owner?: string;
  from?: string;
  channel?: string;
}

/** `tb campaign new` and `tb add campaign`. */
export async function newCampaign(app: App, nameArg: string | undefined, opts: NewCampaignOptions): Promise<void> {
  app.format(['text', 'json'], 'text');
  const name = nameArg?.trim();
  if (!name) throw new UsageError('missing the name: tb campaign new "<name>" --segment QUERY --subject TEXT');
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new UsageError('the name cannot contain line breaks or control characters');
  if (!opts.segment?.trim()) throw new UsageError('missing --segment: who the campaign goes to', 'e.g. --segment "stage:customer" or --segment @at-risk');
  if (!opts.subject?.trim()) throw new UsageError('missing --subject', 'e.g. --subject "News from {{owner.name}}"');
  // A header line: CR, LF or other control characters would be rewritten or break the message.
  if (hasControlChars(opts.subject) || /[\r\n]/.test(opts.subject)) throw new UsageError('--subject must be one line of text without control characters (CR, LF, ESC …)');
  if (opts.body !== undefined && opts.bodyFile !== undefined) throw new UsageError('give --body or --body-file, not both');
  const body = opts.bodyFile !== undefined ? readBodyFile(app, opts.bodyFile) : opts.body ?? '';
  for (const [what, text] of [['--subject', opts.subject], ['the body', body]] as const) {
    const { errors } = parseTemplate(text);
    if (errors.length) throw new UsageError(`${what}: ${errors[0].message} (line ${errors[0].line}, column ${errors[0].column})`);
  }
  const ds = await app.load({ types: ['contact', 'company', 'deal', 'interaction', 'reminder', 'campaign'] });
  // The segment must be a query that works on contacts, checked now rather than at send time.
  segmentPredicate(app, ds, opts.segment);
  const channel = opts.channel ?? 'email';
  if (!ds.config.channels.includes(channel)) throw new UsageError(`unknown channel '${channel}'`, didYouMean(channel, ds.config.channels) ?? `use one of: ${ds.config.channels.join(', ')}`);
  const data: FrontMatter = ordered('campaign', {
    name, subject: opts.subject.trim(), segment: opts.segment.trim(), channel, status: 'draft',
    owner: app.defaultOwner(opts.owner), from: opts.from?.trim(), created: app.today,
  });
  const base = slugify(name) || 'campaign';
  assertWritable(ds, { type: 'campaign', id: base, path: `campaigns/${base}.md`, data });
  const rec = createRecord(app.root, { type: 'campaign', baseId: base, data, body: body.trim() ? `${body.trim()}\n` : undefined }, (id) => recordExistsAnywhere(app.root, id, 'campaign'));
  app.wrote(rec.path, `campaign: new ${name}`);
  // A second campaign of the same name is allowed (a newsletter sent again) but likely a slip.
  const same = ds.campaigns.filter((c) => foldText(displayName(c)).trim() === foldText(name).trim());
  if (same.length) app.warn(`a campaign named '${name}' already exists: ${same.map((c) => c.id).join(', ')}; this one is ${rec.id} (tb rm ${rec.id} if it was a slip)`);
  printCreated(app, rec, `Added campaign ${rec.id}`);
}

function readBodyFile(app: App, file: string): string {
  return readTemplateFile(path.resolve(app.sys.cwd, file), file, app.config().max_file_size);
}
