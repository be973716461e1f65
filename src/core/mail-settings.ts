/**
 * The `mail:` section of touchbase.yaml (docs/config.md, docs/mail.md "Selective import"):
 *
 *   mail:
 *     legacy_charset: windows-1251   # 8-bit text that is neither UTF-8 nor what it declares
 *     ignore: [example-shop.com, alerts@bank.example]   # domains or addresses never logged
 *     skip_folders: [Spam, Junk, Trash]                  # Maildir folders `tb import maildir` skips
 *     include_bulk: false            # true: log list, bulk and automated mail too
 */
import type { FrontMatter } from './types.js';

export interface MailSettings {
  legacyCharset: string;
  /** Lower-cased domains (`example.com`, also its subdomains) and addresses. */
  ignore: string[];
  /** Folder names, compared case-insensitively with each component of the folder's path. */
  skipFolders: string[];
  includeBulk: boolean;
}

export const DEFAULT_LEGACY_CHARSET = 'windows-1252';

export function readMailSettings(raw: FrontMatter): { settings: MailSettings; problems: { message: string; key: string }[] } {
  const settings: MailSettings = { legacyCharset: DEFAULT_LEGACY_CHARSET, ignore: [], skipFolders: [], includeBulk: false };
  const problems: { message: string; key: string }[] = [];
  const mail = raw.mail;
  if (mail === undefined || mail === null) return { settings, problems };
  if (typeof mail !== 'object' || Array.isArray(mail)) return { settings, problems: [{ message: 'mail must be a mapping (legacy_charset, ignore, skip_folders, include_bulk)', key: 'mail' }] };
  const m = mail as Record<string, unknown>;
  for (const key of Object.keys(m)) {
    if (!['legacy_charset', 'ignore', 'skip_folders', 'include_bulk'].includes(key)) problems.push({ message: `mail: unknown setting '${key}' (legacy_charset, ignore, skip_folders, include_bulk)`, key: 'mail' });
  }
  if (m.legacy_charset !== undefined) {
    const label = typeof m.legacy_charset === 'string' ? knownEncoding(m.legacy_charset) : undefined;
    if (label) settings.legacyCharset = label;
    else problems.push({ message: `mail: legacy_charset '${String(m.legacy_charset)}' is not a charset tb knows (e.g. windows-1252, windows-1251, iso-8859-2, koi8-r, shift_jis)`, key: 'mail' });
  }
  const list = (key: 'ignore' | 'skip_folders'): string[] => {
    const v = m[key];
    if (v === undefined || v === null) return [];
    const items = Array.isArray(v) ? v : [v];
    if (items.some((x) => typeof x !== 'string' || !x.trim())) problems.push({ message: `mail: ${key} must be a list of ${key === 'ignore' ? 'domains or addresses' : 'folder names'}`, key: 'mail' });
    return items.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim().toLowerCase());
  };
  settings.ignore = list('ignore').map((x) => x.replace(/^@/, ''));
  settings.skipFolders = list('skip_folders');
  if (m.include_bulk !== undefined) {
    if (typeof m.include_bulk === 'boolean') settings.includeBulk = m.include_bulk;
    else problems.push({ message: 'mail: include_bulk must be true or false', key: 'mail' });
  }
  return { settings, problems };
}

function knownEncoding(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim().toLowerCase()).encoding;
  } catch {
    return undefined;
  }
}

/** Whether an address is ignored: listed itself, or at a listed domain or one of its subdomains. */
export function isIgnoredAddress(address: string, ignore: readonly string[]): boolean {
  const a = address.toLowerCase();
  const domain = a.slice(a.lastIndexOf('@') + 1);
  return ignore.some((x) => (x.includes('@') ? x === a : domain === x || domain.endsWith(`.${x}`)));
}
