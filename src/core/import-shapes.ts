/**
 * What the importer (core/importer.ts) is given: records read from other programs' files by the
 * converters in src/interop/. Declared here so core never imports interop (docs/architecture.md).
 */

/** One contact read from an external file, not yet matched against the store. */
export interface ContactDraft {
  name?: string;
  emails: string[];
  phones: string[];
  /** The company NAME as written in the source; resolving it to an id is the importer's job. */
  company?: string;
  title?: string;
  tags: string[];
  /** `YYYY-MM-DD`, or `--MM-DD` when the source knows the day but not the year. */
  birthday?: string;
  location?: string;
  links: string[];
  notes?: string;
  /** Source fields with no touchbase equivalent, keyed by their source name (e.g. a CSV header). */
  extra: Record<string, unknown>;
  /** 1-based physical line where the row or card starts. */
  source: { line: number };
}

/** A problem found while reading: the row or card it names was skipped unless the message says otherwise. */
export interface ImportIssue {
  line: number;
  message: string;
}

/** One element of a `tb export json` file. */
export interface JsonRecord {
  type: string;
  id: string;
  data: Record<string, unknown>;
  body?: string;
  /** Where the element starts in the file (set by parseJsonExport). */
  line?: number;
}

/** One row of a CSV sheet of companies, deals or interactions, keyed by touchbase field. */
export interface RecordRow {
  fields: Record<string, unknown>;
  line: number;
}

