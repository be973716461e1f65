/** The values an enum field of the schema (src/core/schema.ts) may take, and what they are called. Pure. */
import type { Config } from './types.js';
import type { EnumSource, FieldDeclaration } from './schema.js';
import { caseSettingsOf } from './cases.js';

/** What an enum's values are called in messages, by where they come from. */
export const ENUM_LABEL: Readonly<Record<EnumSource, string>> = {
  pipeline: 'stage', lifecycle: 'lifecycle stage', channels: 'channel', owners: 'owner',
  case_statuses: 'case status', case_categories: 'case category', case_priorities: 'priority',
};

/** The allowed values of an enum field: its config list (`from`) or its fixed `values`. */
export function enumValues(f: Pick<FieldDeclaration, 'from' | 'values'>, config: Config): readonly string[] {
  switch (f.from) {
    case 'pipeline':
      return config.pipeline.map((s) => s.id);
    case 'lifecycle':
      return config.lifecycle;
    case 'channels':
      return config.channels;
    case 'owners':
      return Object.keys(config.owners);
    case 'case_statuses':
      return caseSettingsOf(config).statuses.map((st) => st.id);
    case 'case_categories':
      return caseSettingsOf(config).categories;
    case 'case_priorities':
      return caseSettingsOf(config).priorities;
    default:
      return f.values ?? [];
  }
}
