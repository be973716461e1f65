/** Reading and editing touchbase.yaml in place, for commands that change settings (segments). */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE } from '../core/config.js';
import { editYamlEntry } from './roundtrip.js';
import { writeFileAtomic } from './write.js';

function configPath(root: string): string {
  return path.join(root, CONFIG_FILE);
}

/** The first 1-based line of touchbase.yaml matching `re` (1 when none does). */
export function configLine(root: string, re: RegExp): number {
  const lines = fs.readFileSync(configPath(root), 'utf8').split('\n');
  const i = lines.findIndex((l) => re.test(l));
  return i >= 0 ? i + 1 : 1;
}

/**
 * Sets (or, with `value` undefined, removes) `name` in the top-level mapping `section`, keeping
 * the rest of the file as written. Atomic: a reader never sees half a file.
 */
export function setConfigEntry(root: string, section: string, name: string, value: string | undefined): void {
  const file = configPath(root);
  writeFileAtomic(file, editYamlEntry(fs.readFileSync(file, 'utf8'), CONFIG_FILE, section, name, value));
}
