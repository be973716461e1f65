/**
 * The layer rules of docs/architecture.md, checked on the import graph of src/** so they stay true:
 * - its "may import" table, read from the doc itself: every folder and top-level file of src/ has a
 *   row, and every import goes where its row allows (`(types only)`: an `import type`);
 * - core/ is pure: it imports only core/ and errors.ts, no Node module, and of npm only the pure
 *   parsers in PURE_LIBRARIES (no I/O, no clock, no environment);
 * - render/ and interop/ never import commands/, app.ts or cli.ts;
 * - only store/ imports the file system and processes (node:fs, node:child_process …);
 * - store/ never imports commands/, render/ or app.ts;
 * - no import cycles among the imports that run when a module loads: `import type` is erased by
 *   the compiler, and a lazy `import('./x.js')` runs only after both modules have loaded (the
 *   command table in commands/registry.ts loads each command so), so neither can form one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

interface ImportEdge {
  /** Path under src/ (`core/types.ts`) of an import inside src, or the module name (`node:fs`). */
  target: string;
  /** `import type …` / `export type …`: erased at run time. */
  typeOnly: boolean;
  /** `import('…')`: runs when called, not when the module loads. */
  lazy: boolean;
}

function sourceFiles(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  });
}

/** Static `import … from`, `export … from`, side-effect `import '…'` and dynamic `import('…')`. */
const IMPORT_RE = /(?:^|[\s;])(import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): ImportEdge[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const edges: ImportEdge[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[3] ?? m[4];
    const typeOnly = m[2] !== undefined;
    const lazy = m[4] !== undefined;
    if (!spec.startsWith('.')) {
      edges.push({ target: spec, typeOnly, lazy });
      continue;
    }
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts');
    edges.push({ target: resolved, typeOnly, lazy });
  }
  return edges;
}

const FILES = sourceFiles();
const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));

const layerOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file.replace(/\.ts$/, ''));
const DOC = fs.readFileSync(fileURLToPath(new URL('../../docs/architecture.md', import.meta.url)), 'utf8');

/** One row of the doc's "may import" table: the layers it is about and what they may import. */
interface LayerRule {
  layers: string[];
  anything: boolean;
  /** Layer (`core/`, `errors.ts`) → whether only `import type` may reach it. */
  may: Map<string, 'all' | 'types'>;
  /** npm modules named in the row (core/'s pure libraries). */
  libraries: Set<string>;
}

function layerRules(doc: string): LayerRule[] {
  const table = doc.slice(doc.indexOf('| folder | does | may import |')).split('\n\n')[0].split('\n').slice(2);
  return table.map((line) => {
    const [who, , may] = line.split(' | ').map((cell) => cell.replace(/^\|\s*|\s*\|$/g, ''));
    const names = (cell: string) => [...cell.matchAll(/`([^`]+)`( \(types only\))?/g)];
    const rule: LayerRule = { layers: names(who).map((m) => m[1].replace(/^src\//, '')), anything: /^anything/.test(may), may: new Map(), libraries: new Set() };
    for (const [, name, typesOnly] of names(may)) {
      if (name.endsWith('/') || name.endsWith('.ts')) rule.may.set(name, typesOnly ? 'types' : 'all');
      else rule.libraries.add(name);
    }
    return rule;
  });
}

const RULES = layerRules(DOC);
const ruleOf = (layer: string): LayerRule | undefined => RULES.find((r) => r.layers.includes(layer));
/** A file's row name in the table: `core/` for a folder's file, `app.ts` for a top-level one. */
const docLayer = (file: string): string => (file.includes('/') ? `${file.slice(0, file.indexOf('/'))}/` : file);

/** npm modules core/ may use: pure functions of their input (named in core/'s row of the doc). */
const PURE_LIBRARIES = ruleOf('core/')?.libraries ?? new Set<string>();
const FILE_SYSTEM_AND_PROCESSES = /^(node:)?(fs|fs\/promises|child_process|worker_threads)$/;

function violations(test: (from: string, edge: ImportEdge) => boolean): string[] {
  return [...GRAPH].flatMap(([from, edges]) => edges.filter((e) => test(from, e)).map((e) => `${from} → ${e.target}`));
}

describe('the import graph of src/', () => {
  it('sees every source file and resolves every relative import to one', () => {
    expect(FILES.length).toBeGreaterThan(50);
    expect(violations((_from, e) => e.target.endsWith('.ts') && !GRAPH.has(e.target))).toEqual([]);
    // The parser sees every kind of import.
    expect(GRAPH.get('core/types.ts')).toContainEqual({ target: 'core/schema.ts', typeOnly: false, lazy: false });
    expect(GRAPH.get('core/types.ts')).toContainEqual({ target: 'core/derived.ts', typeOnly: true, lazy: false });
    expect(GRAPH.get('commands/registry.ts')).toContainEqual({ target: 'commands/list.ts', typeOnly: false, lazy: true });
    expect(GRAPH.get('store/load.ts')).toContainEqual({ target: 'node:fs', typeOnly: false, lazy: false });
  });

  it('the doc\'s table has a row for every folder and top-level file of src/, and no row for one gone', () => {
    const layers = new Set(FILES.map(docLayer));
    expect([...layers].filter((l) => !ruleOf(l))).toEqual([]);
    expect(RULES.flatMap((r) => r.layers).filter((l) => !layers.has(l))).toEqual([]);
    expect(PURE_LIBRARIES.has('js-yaml')).toBe(true);
  });

  it('every import inside src/ goes where the doc\'s table allows', () => {
    const allowed = (from: string, e: ImportEdge): boolean => {
      const rule = ruleOf(docLayer(from));
      if (!rule || rule.anything) return rule !== undefined;
      const may = rule.may.get(docLayer(e.target));
      return may === 'all' || (may === 'types' && e.typeOnly);
    };
    expect(violations((from, e) => e.target.endsWith('.ts') && !allowed(from, e))).toEqual([]);
  });

  it('core/ imports only core/ and errors.ts, and no Node or npm module', () => {
    const allowed = (target: string) => layerOf(target) === 'core' || target === 'errors.ts' || PURE_LIBRARIES.has(target);
    expect(violations((from, e) => layerOf(from) === 'core' && !allowed(e.target))).toEqual([]);
  });

  it('render/ and interop/ never import commands/, app.ts or cli.ts', () => {
    const upper = new Set(['commands', 'app', 'cli']);
    expect(violations((from, e) => ['render', 'interop'].includes(layerOf(from)) && upper.has(layerOf(e.target)))).toEqual([]);
  });

  it('store/ never imports commands/, render/, app.ts or cli.ts', () => {
    const upper = new Set(['commands', 'render', 'app', 'cli']);
    expect(violations((from, e) => layerOf(from) === 'store' && upper.has(layerOf(e.target)))).toEqual([]);
  });

  it('only store/ touches the file system and processes', () => {
    expect(violations((from, e) => layerOf(from) !== 'store' && FILE_SYSTEM_AND_PROCESSES.test(e.target))).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'visiting');
      stack.push(file);
      for (const e of GRAPH.get(file) ?? []) {
        if (e.typeOnly || e.lazy || !GRAPH.has(e.target)) continue;
        if (state.get(e.target) === 'visiting') cycles.push([...stack.slice(stack.indexOf(e.target)), e.target].join(' → '));
        else if (!state.has(e.target)) visit(e.target);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of FILES) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
