/** Colour only when the App says so (TTY, no NO_COLOR, no --no-color). */
import { Chalk } from 'chalk';
import type { ChalkInstance } from 'chalk';

export function makeStyle(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}
