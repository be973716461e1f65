/**
 * postal-mime with the charset of every text part settled by the charset chain first
 * (interop/charsets.ts). postal-mime trusts a part's label, so a Latin-1 body declared UTF-8 would
 * become U+FFFD and a UTF-8 body declared us-ascii mojibake (`â€”` for an em dash). The parts are
 * relabelled just before postal-mime turns them into text: its collect step, which runs once the
 * whole message has been read.
 */
import PostalMime from 'postal-mime';
import type { Email } from 'postal-mime';
import { CharsetChain } from './charsets.js';
import { joinPartsDirectly } from './mime-join.js';

export interface MimeLimits {
  maxNestingDepth: number;
  maxHeaderBytes: number;
}

/** The part of postal-mime's parser reached into (not in its typings): the tree of parts. */
interface MimeTreeNode {
  contentType?: { parsed?: { value?: string; params: Record<string, string | undefined> } };
  content: ArrayBuffer | null;
  childNodes?: MimeTreeNode[];
}
interface PostalInternals {
  root: MimeTreeNode;
  collectNode(node: MimeTreeNode, alternative: unknown, related: boolean): Promise<void>;
}

export async function parseMime(raw: Uint8Array, limits: MimeLimits, chain: CharsetChain, guessed: string[]): Promise<Email> {
  const parser = new PostalMime({ maxNestingDepth: limits.maxNestingDepth, maxHeadersSize: limits.maxHeaderBytes, maxRfc822NestingDepth: 3 });
  const internals = parser as unknown as PostalInternals;
  joinPartsDirectly(internals.root);
  if (typeof internals.collectNode === 'function') {
    const collect = internals.collectNode.bind(parser);
    internals.collectNode = async (node, alternative, related) => {
      if (node === internals.root) settleCharsets(node, chain, guessed);
      await collect(node, alternative, related);
    };
  }
  return await parser.parse(raw);
}

/** Each text part with 8-bit bytes: decoded by the chain, handed back to postal-mime as UTF-8. */
function settleCharsets(node: MimeTreeNode, chain: CharsetChain, guessed: string[]): void {
  for (const child of node.childNodes ?? []) settleCharsets(child, chain, guessed);
  const parsed = node.contentType?.parsed;
  const type = parsed?.value?.toLowerCase() ?? 'text/plain';
  if (!parsed || !node.content || !/^text\/(plain|html)$/.test(type)) return;
  const bytes = new Uint8Array(node.content);
  if (!bytes.some((b) => b >= 0x80)) return;
  const text = chain.decode(bytes, parsed.params.charset ?? 'us-ascii', `the ${type} body`, guessed);
  node.content = new TextEncoder().encode(text).buffer as ArrayBuffer;
  parsed.params.charset = 'utf-8';
}

/** Every charset label the message declares: Content-Type parameters of its parts, then encoded words. */
export function declaredCharsets(text: string): string[] {
  const labels = new Set<string>();
  // Content-Type header lines (with their folded continuations) of the message and its parts.
  for (const h of text.matchAll(/^content-type:[^\n]*(?:\r?\n[ \t][^\n]*)*/gim)) {
    for (const m of h[0].matchAll(/charset\s*=\s*"?([^"\s;]+)/gi)) labels.add(m[1].toLowerCase());
  }
  for (const m of text.matchAll(/=\?([^?*\s]+)(?:\*[^?\s]*)?\?[bq]\?/gi)) labels.add(m[1].toLowerCase());
  return [...labels];
}
