/**
 * Numbers and dates as spreadsheets write them in different locales, for the typed columns of a
 * CSV import (a deal's value and probability, dates). Excel in a German or French locale writes
 * `4.800,50` or `4 800,50` and `23.11.2026`; in a US one `4,800.50` and `11/23/2026`.
 *
 * The convention is decided per file, not per cell: `4.800` alone is 4800 in one and 4.8 in the
 * other, so only the file's unambiguous values can tell. Each axis (decimal separator, day or month
 * first) is decided by its own values; an axis without evidence follows the other, and without
 * any evidence a semicolon-separated file is read as European (docs/import-export.md).
 */
import type { Delimiter } from './csv-table.js';

export type DecimalSeparator = ',' | '.';
export type DateOrder = 'DMY' | 'MDY';

export interface CsvConventions {
  decimal: DecimalSeparator;
  dateOrder: DateOrder;
  /** Per axis: decided by the file's values, or assumed for want of any. */
  decimalFrom: 'values' | 'assumed';
  dateOrderFrom: 'values' | 'assumed';
}

// Spaces of every kind group thousands (`4 800,50`, French Excel writes U+202F or U+00A0).
const GROUPING_SPACE = /[\s\u00a0\u202f']/g;
const CURRENCY = /[$€£¥]|\b(?:EUR|USD|GBP|CHF)\b/gi;

/** The bare digits and separators of a number cell, or undefined when it is not one. */
function numberCore(value: string): string | undefined {
  const t = value.replace(CURRENCY, '').replace(/%$/, '').replace(GROUPING_SPACE, '');
  return /^[-+]?\d[\d.,]*$/.test(t) && !/[.,]$/.test(t) ? t : undefined;
}

/** Which decimal separator a number cell proves: `,` (`4.800,50`, `4,5`), `.` (`4,800.50`, `4.5`), or none (`4800`, `4.800`). */
export function decimalEvidence(value: string): DecimalSeparator | undefined {
  const t = numberCore(value);
  if (!t) return undefined;
  const dots = t.split('.').length - 1;
  const commas = t.split(',').length - 1;
  if (dots && commas) return t.lastIndexOf(',') > t.lastIndexOf('.') ? ',' : '.';
  if (dots > 1) return ',';
  if (commas > 1) return '.';
  const sep = dots ? '.' : commas ? ',' : undefined;
  // One separator followed by exactly three digits is a thousands group in either convention.
  if (!sep || t.length - t.lastIndexOf(sep) - 1 === 3) return undefined;
  return sep;
}

/** A number cell read with the file's decimal separator; undefined when it does not fit it. */
export function parseLocaleNumber(value: string, decimal: DecimalSeparator): number | undefined {
  const t = numberCore(value);
  if (!t) return undefined;
  const group = decimal === ',' ? '.' : ',';
  const [whole, fraction, more] = t.split(decimal);
  if (more !== undefined) return undefined;
  const grouped = whole.replace(/^[-+]/, '');
  if (grouped.includes(group) && !new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(grouped)) return undefined;
  if (fraction !== undefined && !/^\d+$/.test(fraction)) return undefined;
  const n = Number(`${whole.split(group).join('')}${fraction !== undefined ? `.${fraction}` : ''}`);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A cell of a column tb knows nothing about (a custom field) read as a number, strictly: digits
 * grouped in threes by the other separator or a space, an optional fraction after `decimal`, no
 * currency, unit or leading zero (`01067` is a postcode, `+49 30 1234` a phone number). Undefined
 * when it is not such a number.
 */
export function parsePlainNumber(value: string, decimal: DecimalSeparator): number | undefined {
  const t = value.trim();
  const group = `[${decimal === ',' ? '.' : ','} \u00a0\u202f]`;
  const shape = new RegExp(`^-?(?:0|[1-9]\\d{0,2}(?:${group}\\d{3})+|[1-9]\\d{0,14})(?:\\${decimal}\\d+)?$`);
  if (!shape.test(t)) return undefined;
  return parseLocaleNumber(t, decimal);
}

const DATE = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::\d{2})?)?$/;

/** Which order a date cell proves: dotted dates and a first part over 12 are day first, a second part over 12 month first. */
export function dateEvidence(value: string): DateOrder | undefined {
  const m = DATE.exec(value.trim());
  if (!m) return undefined;
  if (m[2] === '.' || Number(m[1]) > 12) return 'DMY';
  if (Number(m[3]) > 12) return 'MDY';
  return undefined;
}

/** `23.11.2026` → `2026-11-23` (with `14:30` → `2026-11-23T14:30`) in the file's order; undefined when it is not such a date. */
export function parseLocaleDate(value: string, order: DateOrder): string | undefined {
  const m = DATE.exec(value.trim());
  if (!m) return undefined;
  // A dotted date is day first in every locale that writes one.
  const [day, month] = m[2] === '.' || order === 'DMY' ? [m[1], m[3]] : [m[3], m[1]];
  const iso = `${m[4]}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) return undefined;
  return m[5] ? `${iso}T${m[5].padStart(2, '0')}:${m[6]}` : iso;
}

/** The majority of the evidence, or undefined when there is none or it is tied. */
function majority<T extends string>(votes: Array<T | undefined>): T | undefined {
  const counts = new Map<T, number>();
  for (const v of votes) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  return sorted.length && (sorted.length === 1 || sorted[0][1] > sorted[1][1]) ? sorted[0][0] : undefined;
}

/** Decides the file's conventions from the cells of its number-typed and date-typed columns. */
export function decideConventions(numbers: string[], dates: string[], delimiter: Delimiter): CsvConventions {
  const decimal = majority(numbers.map(decimalEvidence));
  const order = majority(dates.map(dateEvidence));
  const european = decimal === ',' || order === 'DMY' || (decimal === undefined && order === undefined && delimiter === ';');
  return {
    decimal: decimal ?? (european ? ',' : '.'),
    dateOrder: order ?? (european ? 'DMY' : 'MDY'),
    decimalFrom: decimal ? 'values' : 'assumed',
    dateOrderFrom: order ? 'values' : 'assumed',
  };
}
