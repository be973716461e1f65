/** Creating a new touchbase directory. */
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from './package-root.js';
import { CONFIG_FILE } from '../core/config.js';
import { FOLDER_OF, RECORD_TYPES } from '../core/types.js';
import { DataError } from '../errors.js';
import { autocommitFiles, gitInit, isInsideWorkTree } from './git.js';
import { editYamlEntry } from './roundtrip.js';
import { writeFileAtomic } from './atomic.js';

/** The package's own folder (templates/, examples/). */
export function packageDir(): string {
  return packageRoot();
}

// `.touchbase` without a trailing slash: it matches a file or symbolic link of that name too, which
// `.touchbase/` would not (docs/reliability.md).
/** Whether a .gitignore's text keeps `.touchbase` out of git in any form (folder, file or link). */
export function ignoresIndexDir(gitignore: string): boolean {
  return /^\/?\.touchbase\s*$/m.test(gitignore);
}

export const GITIGNORE = '# touchbase: the local index cache is derived data, never committed\n.touchbase\n';

/**
 * Merge rules for concurrent edits. Interactions and reminders are new files per event (random
 * suffix), so they never conflict. Nothing is union-merged: `merge=union` keeps both sides' lines
 * of a conflicting hunk, so two clones moving the same deal would leave two `stage:` keys (invalid
 * YAML) or two half-lists — data silently wrong instead of a visible conflict. `eol=lf` keeps every
 * clone byte-identical whatever core.autocrlf says, so line-ending churn never causes a conflict.
 * See docs/teams-and-git.md.
 */
export const GITATTRIBUTES = `# touchbase: records are Markdown text with LF line endings on every platform, so line-ending
# settings never make whole files differ between clones. No merge=union: a union merge of YAML can
# silently produce duplicate keys; a real conflict is stopped and shown by tb sync instead.
*.md text eol=lf diff=markdown
*.yaml text eol=lf
`;

export interface InitResult {
  root: string;
  created: string[];
  gitInitialised: boolean;
}

function copyTree(from: string, to: string, created: string[], rel = ''): void {
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    // The sample's local index (made when someone ran tb on it) is derived data: never copied.
    if (e.name === '.touchbase') continue;
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      fs.mkdirSync(dst, { recursive: true });
      copyTree(src, dst, created, r);
    } else if (e.isFile() && e.name !== 'README.md') {
      fs.copyFileSync(src, dst, fs.constants.COPYFILE_EXCL);
      created.push(r);
    }
  }
}

export function initDirectory(dir: string, opts: { example: boolean; git: boolean }): InitResult {
  const root = path.resolve(dir);
  if (fs.existsSync(path.join(root, CONFIG_FILE))) {
    throw new DataError(`${root} is already a touchbase directory`, { path: CONFIG_FILE });
  }
  const source = opts.example ? path.join(packageDir(), 'examples', 'consultancy') : path.join(packageDir(), 'templates', CONFIG_FILE);
  // Checked before anything is made, so a broken installation leaves no empty folder behind.
  if (!fs.existsSync(source)) throw new DataError(`the touchbase installation has no ${path.relative(packageDir(), source)}; reinstall it`);
  fs.mkdirSync(root, { recursive: true });
  const created: string[] = [];
  if (opts.example) {
    copyTree(source, root, created);
  } else {
    fs.copyFileSync(source, path.join(root, CONFIG_FILE), fs.constants.COPYFILE_EXCL);
    created.push(CONFIG_FILE);
  }
  for (const t of RECORD_TYPES) fs.mkdirSync(path.join(root, FOLDER_OF[t]), { recursive: true });
  const writeIfMissing = (name: string, text: string) => {
    const p = path.join(root, name);
    if (fs.existsSync(p)) {
      const cur = fs.readFileSync(p, 'utf8');
      if (name === '.gitignore' && !ignoresIndexDir(cur)) fs.appendFileSync(p, `${cur.endsWith('\n') ? '' : '\n'}${text}`);
      return;
    }
    fs.writeFileSync(p, text);
    created.push(name);
  };
  writeIfMissing('.gitignore', GITIGNORE);
  writeIfMissing('.gitattributes', GITATTRIBUTES);
  let gitInitialised = false;
  if (opts.git && !isInsideWorkTree(root)) gitInitialised = gitInit(root);
  return { root, created, gitInitialised };
}

/** Sets `git.autocommit: true` in a new directory's touchbase.yaml (only that entry's text changes). */
export function enableAutocommit(root: string): void {
  const file = path.join(root, CONFIG_FILE);
  writeFileAtomic(file, editYamlEntry(fs.readFileSync(file, 'utf8'), CONFIG_FILE, 'git', 'autocommit', true));
}

/**
 * The first commit of a new directory: what `tb init` created, so history and status start from
 * it. Fails (with git's reason) e.g. when no git identity is configured.
 */
export function firstCommit(root: string, created: string[]): { ok: boolean; error?: string } {
  const r = autocommitFiles(root, created, 'tb: init');
  return r.ok ? { ok: true } : { ok: false, error: (r.stderr || r.stdout).trim().split('\n')[0] };
}

/** Adds one owner under `owners:` of a new directory's touchbase.yaml (only that entry changes). */
export function addOwner(root: string, id: string, def: { name?: string; email?: string }): void {
  const file = path.join(root, CONFIG_FILE);
  const value = Object.fromEntries(Object.entries(def).filter(([, v]) => v !== undefined && v !== ''));
  const text = fs.readFileSync(file, 'utf8');
  // The template's empty `owners: {}` becomes a block, so its commented sample owner below can be
  // uncommented as it is (a flow mapping followed by an indented line is not YAML).
  const empty = /^owners: \{\}[ \t]*$/m;
  if (empty.test(text) && /^[a-z0-9-]+$/.test(id)) {
    const fields = Object.entries(value).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ');
    writeFileAtomic(file, text.replace(empty, `owners:\n  ${id}: { ${fields} }`));
    return;
  }
  writeFileAtomic(file, editYamlEntry(text, CONFIG_FILE, 'owners', id, value));
}
