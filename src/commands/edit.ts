import type { Command } from 'commander';
import path from 'node:path';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, assertWritable } from './common.js';
import { DataError, TbError } from '../errors.js';
import { resolveAny } from '../core/resolve.js';
import { readRecordText } from '../store/load.js';
import { parseRecordText } from '../store/frontmatter.js';
import { editText, saveRescueCopy } from '../store/terminal.js';
import { assertRecordSize, replaceRecordText } from '../store/write.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('edit')
    .description('open a record in $VISUAL/$EDITOR; the result is validated before it is saved')
    .argument('<ref>', 'id, unique id prefix, email or name')
    .addHelpText('after', `
The file is edited as a copy; if the front matter no longer parses, nothing is saved (on a
terminal you can edit again). If the file changed on disk meanwhile, nothing is saved either.

Examples:
  $ tb edit ada
  $ EDITOR=nano tb edit acme-renewal
`)
    .action(action(getApp, editCommand));
}

async function editCommand(app: App, ref: string): Promise<void> {
  const ds = await app.load();
  const rec = resolveAny(ds, ref);
  const original = readRecordText(app.root, rec.path);
  parseRecordText(original, rec.path);
  let text = original;
  for (;;) {
    text = editText(text, app.env, path.basename(rec.path));
    try {
      const edited = parseRecordText(text, rec.path);
      assertWritable(ds, { ...rec, data: edited.data }, rec);
      assertRecordSize(app.root, rec.path, text);
      break;
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      if (!app.interactive) {
        const copy = saveRescueCopy(text, path.basename(rec.path));
        throw new DataError(`your edit was not saved: ${err.message}`, { line: err.line }, `${rec.path} is unchanged; your version is in ${copy}`);
      }
      app.warn(`your edit${err.line ? ` (line ${err.line})` : ''}: ${err.message}`);
      const { askConfirm } = await import('../prompts/index.js');
      if (!(await askConfirm('Edit again? (no discards your changes)', true))) throw new TbError('edit discarded; the file is unchanged', 1);
    }
  }
  if (text === original) {
    app.say(`No changes to ${rec.path}`);
    return;
  }
  try {
    replaceRecordText(app.root, rec.path, original, text);
  } catch (err) {
    if (!(err instanceof DataError) || !/changed on disk/.test(err.message)) throw err;
    const copy = saveRescueCopy(text, path.basename(rec.path));
    throw new TbError(`${rec.path} changed on disk while you were editing; nothing saved`, 1, `run tb edit again; your version is in ${copy}`);
  }
  app.wrote(rec.path, `edit: ${rec.id}`);
  app.say(`Saved ${rec.path}`);
}
