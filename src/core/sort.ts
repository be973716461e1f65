/** `--sort -value,title`: multi-key sorting with missing values last. Pure. */
export interface SortKey {
  field: string;
  descending: boolean;
}

export function parseSortSpec(spec: string): SortKey[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.startsWith('-') ? { field: s.slice(1), descending: true } : { field: s.replace(/^\+/, ''), descending: false }));
}

function comparable(v: unknown): string | number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v)) return v.length ? String(v[0]).toLowerCase() : undefined;
  return String(v).toLowerCase();
}

export function sortRecords<T extends { id: string }>(rows: T[], keys: SortKey[], value: (row: T, field: string) => unknown): T[] {
  const decorated = rows.map((row) => ({ row, values: keys.map((k) => comparable(value(row, k.field))) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.values[i];
      const y = b.values[i];
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      let c: number;
      if (typeof x === 'number' && typeof y === 'number') c = x - y;
      else c = String(x).localeCompare(String(y), 'en');
      if (c !== 0) return keys[i].descending ? -c : c;
    }
    return a.row.id.localeCompare(b.row.id);
  });
  return decorated.map((d) => d.row);
}
