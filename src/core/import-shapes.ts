/**
 * What the importer (core/import/) is given: records read from other programs' files by the
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
  /** Postal addresses, in the shape stored under a contact's `addresses` (docs/import-export.md). */
  addresses: PostalAddress[];
  notes?: string;
  /**
   * An explicit identifier the source gives for this person: a touchbase id (the `id` column of
   * `tb export csv`, the UID `urn:touchbase:contact:<id>` of `tb export vcard`).
   */
  ref?: string;
  /** Source fields with no touchbase equivalent, keyed by their source name (e.g. a CSV header). */
  extra: Record<string, unknown>;
  /** 1-based physical line where the row or card starts. */
  source: { line: number };
}

/**
 * One postal address as stored in a contact's `addresses` list: vCard ADR's components with
 * readable names, plus its label. Every key is optional; empty ones are left out.
 */
export interface PostalAddress {
  /** `home`, `work`, `other` or the exporter's own label, lower-cased. */
  type?: string;
  street?: string;
  /** Apartment, suite, floor (vCard's "extended address"). */
  extended?: string;
  pobox?: string;
  city?: string;
  region?: string;
  postcode?: string;
  country?: string;
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

