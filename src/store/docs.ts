/** The help topics: the package's docs/*.md, one topic per page, named after the file. */
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from './package-root.js';

export function docsDir(): string {
  return path.join(packageRoot(), 'docs');
}

/** Every topic, sorted: a page added to docs/ is a topic with no other change. */
export function helpTopics(): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(docsDir());
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.md')).map((n) => n.slice(0, -3)).sort();
}

/** The page's Markdown, or undefined when there is no such topic. */
export function readTopic(topic: string): string | undefined {
  if (!helpTopics().includes(topic)) return undefined;
  return fs.readFileSync(path.join(docsDir(), `${topic}.md`), 'utf8');
}

/** A topic's one-line description: the page's first heading. */
export function topicTitle(markdown: string): string {
  const m = /^#\s+(.*)$/m.exec(markdown);
  return m ? m[1].replace(/`/g, '').trim() : '';
}
