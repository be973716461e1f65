/** Query words as typed: warnings for lowercase and/or/not (see docs/query.md, "Mistakes caught"). */
import type { App } from '../app.js';
import { joinQueryWords } from '../core/query/index.js';
import { lowercaseOperatorWarnings } from '../core/query/hints.js';

export function warnQueryWords(app: App, words: string | readonly string[]): void {
  const query = typeof words === 'string' ? words : joinQueryWords(words);
  for (const w of lowercaseOperatorWarnings(query)) app.warn(w);
}
