/**
 * `tb help <topic>`: a page of docs/ as plain text (see docs/commands.md, "tb help"). Commands keep
 * commander's own help (`tb help list` is `tb list --help`); this module answers everything else.
 */
import { COMMANDS } from './registry.js';
import { didYouMean } from '../core/suggest.js';
import { helpTopics, readTopic, topicTitle } from '../store/docs.js';
import { markdownToPlain } from '../render/markdown.js';

export interface HelpOutput {
  write: (text: string) => void;
  writeErr: (text: string) => void;
  /** Terminal width, or undefined for a pipe (pages are then wrapped at 80). */
  columns?: number;
}

/** Prints the topic's page; returns the exit code (2 for an unknown topic, with did-you-mean). */
export function printHelpTopic(topic: string, out: HelpOutput): number {
  const page = readTopic(topic.toLowerCase());
  if (page !== undefined) {
    out.write(markdownToPlain(page, Math.min(100, Math.max(40, (out.columns ?? 81) - 1))));
    return 0;
  }
  const names = [...COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]), ...helpTopics()];
  const hint = didYouMean(topic, names) ?? 'tb help lists the commands and topics';
  out.writeErr(`tb: no command or help topic '${topic}'\ntb: hint: ${hint}\n`);
  return 2;
}

/** Whether a docs page has this name (some are also command names: check, vdir). */
export function hasTopic(name: string): boolean {
  return helpTopics().includes(name);
}

/** The "Help topics" section of `tb --help`: every docs page with its title. */
export function topicsHelpText(): string {
  const topics = helpTopics();
  if (!topics.length) return '';
  const width = Math.max(...topics.map((t) => t.length));
  const lines = topics.map((t) => `  ${t.padEnd(width)}  ${topicTitle(readTopic(t) ?? '')}`);
  return `\nHelp topics (tb help <topic>, also in man tb):\n${lines.join('\n')}\n`;
}
