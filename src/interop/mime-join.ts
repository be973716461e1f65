/**
 * postal-mime joins the decoded lines of each MIME part through a Blob (`new Blob(chunks)` then
 * `arrayBuffer()`): in Node that round trip costs more than the rest of parsing a short message
 * (half the parse time of a 10,000-message Maildir import). Here each of its content decoders
 * gets a `finalize` that does the same join at once, in memory, with the same bytes out.
 *
 * Reached into, as mail-mime.ts does for the charsets: a part's node (`contentDecoder`, its
 * prototype's `finalize`) and each decoder's `chunks` and flush step. A decoder is replaced only
 * when its `finalize` has the known shape (an optional flush, then the Blob of `this.chunks`);
 * any other version of the library keeps its own.
 */

type Chunk = string | ArrayBuffer | ArrayBufferView;

interface Decoder {
  chunks: Chunk[];
  finalize(): Promise<ArrayBuffer>;
  [flush: string]: unknown;
}

interface PartNode {
  contentDecoder: Decoder | null;
  finalize(): Promise<void>;
}

const patchedNodes = new WeakSet<object>();
const seenDecoders = new WeakSet<object>();

/** Gives the parts of `root`'s kind (postal-mime's MIME node) decoders that join without a Blob. */
export function joinPartsDirectly(root: unknown): void {
  const proto = root && typeof root === 'object' ? (Object.getPrototypeOf(root) as PartNode | null) : null;
  if (!proto || typeof proto.finalize !== 'function' || patchedNodes.has(proto)) return;
  patchedNodes.add(proto);
  const original = proto.finalize;
  proto.finalize = function (this: PartNode) {
    const decoder = this.contentDecoder;
    if (decoder) replaceFinalize(Object.getPrototypeOf(decoder) as Decoder);
    return original.call(this);
  };
}

/** The flush steps a known `finalize` may call before the join. */
const FLUSHES = new Set(['flushRemainder', 'flushBuffer']);

function replaceFinalize(proto: Decoder): void {
  if (seenDecoders.has(proto)) return;
  seenDecoders.add(proto);
  const source = typeof proto.finalize === 'function' ? proto.finalize.toString() : '';
  if (!/new Blob\(\s*this\.chunks\b/.test(source)) return;
  const calls = [...source.matchAll(/this\.(\w+)\(/g)].map((m) => m[1]);
  if (!calls.every((c) => FLUSHES.has(c))) return;
  proto.finalize = function (this: Decoder) {
    for (const c of calls) (this[c] as () => void).call(this);
    return Promise.resolve(joinChunks(this.chunks));
  };
}

/** What `new Blob(chunks).arrayBuffer()` gives: the bytes of each chunk in turn, text as UTF-8. */
export function joinChunks(chunks: readonly Chunk[]): ArrayBuffer {
  const parts = chunks.map((c) =>
    typeof c === 'string' ? Buffer.from(c, 'utf8') : c instanceof ArrayBuffer ? new Uint8Array(c) : new Uint8Array(c.buffer, c.byteOffset, c.byteLength),
  );
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out.buffer;
}
