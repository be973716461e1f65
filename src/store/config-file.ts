/** Reading and editing touchbase.yaml in place, for commands that change settings (segments). */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE } from '../core/config.js';
import { withRecordLock } from './lock.js';
import { parseYaml } from './frontmatter.js';
import { editYamlEntry } from './roundtrip.js';
import { writeDirFile } from './write.js';

function configPath(root: string): string {
  return path.join(root, CONFIG_FILE);
}

/** The first 1-based line of touchbase.yaml matching `re` (1 when none does). */
export function configLine(root: string, re: RegExp): number {
  const lines = fs.readFileSync(configPath(root), 'utf8').split('\n');
  const i = lines.findIndex((l) => re.test(l));
  return i >= 0 ? i + 1 : 1;
}

/** What a settings edit found: whether the entry was there before, and whether the file changed. */
export interface ConfigEdit {
  existed: boolean;
  changed: boolean;
}

/**
 * Sets (or, with `value` undefined, removes) `name` in the top-level mapping `section`, keeping
 * the rest of the file as written. Read, edit and write happen under the file's lock, planned from
 * the file as it is then, so ten parallel `tb segment save` keep all ten; the write is atomic and
 * never goes through a link (writeDirFile), so a reader never sees half a file.
 */
export function setConfigEntry(root: string, section: string, name: string, value: unknown): ConfigEdit {
  return withRecordLock(root, CONFIG_FILE, () => {
    const before = fs.readFileSync(configPath(root), 'utf8');
    const after = editYamlEntry(before, CONFIG_FILE, section, name, value);
    const existed = hasEntry(before, section, name);
    if (after !== before) writeDirFile(root, CONFIG_FILE, after);
    return { existed, changed: after !== before };
  });
}

function hasEntry(text: string, section: string, name: string): boolean {
  const raw = parseYaml(text, CONFIG_FILE, 1) as Record<string, unknown> | null;
  const map = raw?.[section];
  return typeof map === 'object' && map !== null && Object.hasOwn(map, name);
}
