/**
 * An iCalendar text cut into its top-level components (VEVENT, VTIMEZONE …), each parsed on its
 * own, so one broken event is one reported problem and the rest of the file imports. Lines after
 * END:VCALENDAR that do not start another VCALENDAR are ignored with a note. Pure.
 */
import ICAL from 'ical.js';

export interface IcsBlock {
  /** Lower-case component name: `vevent`, `vtimezone` … */
  name: string;
  /** 1-based line of its BEGIN. */
  line: number;
  lines: string[];
}

export interface IcsSplit {
  blocks: IcsBlock[];
  /** METHOD of the (first) VCALENDAR, upper-case: `PUBLISH`, `REQUEST`, `CANCEL` … */
  method?: string;
  notes: Array<{ line: number; message: string }>;
  issues: Array<{ line: number; message: string }>;
}

/** Splits an iCalendar text (which starts with BEGIN:VCALENDAR, see isICalendar) into blocks. */
export function splitCalendar(text: string): IcsSplit {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const out: IcsSplit = { blocks: [], notes: [], issues: [] };
  let inCalendar = false;
  let block: IcsBlock | undefined;
  let depth = 0;
  let strayAfter: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const begin = /^BEGIN:([A-Za-z0-9-]+)\s*$/i.exec(line)?.[1]?.toLowerCase();
    const end = /^END:([A-Za-z0-9-]+)\s*$/i.exec(line)?.[1]?.toLowerCase();
    if (!inCalendar) {
      if (begin === 'vcalendar') inCalendar = true;
      else if (line.trim() !== '' && strayAfter === undefined) strayAfter = i + 1;
      continue;
    }
    if (block) {
      block.lines.push(line);
      if (begin) depth++;
      if (end) depth--;
      if (depth === 0) {
        out.blocks.push(block);
        block = undefined;
      }
      continue;
    }
    if (begin) {
      block = { name: begin, line: i + 1, lines: [line] };
      depth = 1;
    } else if (end === 'vcalendar') inCalendar = false;
    else if (/^METHOD:/i.test(line) && out.method === undefined) out.method = line.slice(7).trim().toUpperCase();
  }
  if (block) out.issues.push({ line: block.line, message: `BEGIN:${block.name.toUpperCase()} has no END:${block.name.toUpperCase()} (the file is cut short); skipped` });
  if (strayAfter !== undefined) out.notes.push({ line: strayAfter, message: 'text after END:VCALENDAR is not part of the calendar; ignored' });
  return out;
}

/**
 * The component of a block, parsed alone inside an empty VCALENDAR. Throws an Error whose
 * message says what is wrong (never a JavaScript internal message).
 */
export function parseBlock(block: IcsBlock): ICAL.Component {
  let root: ICAL.Component;
  try {
    const jcal = ICAL.parse(`BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${block.lines.join('\r\n')}\r\nEND:VCALENDAR\r\n`);
    root = new ICAL.Component(jcal as unknown as unknown[]);
  } catch (err) {
    throw new Error(readableParseError(err));
  }
  const comp = root.getFirstSubcomponent(block.name);
  if (!comp) throw new Error(`BEGIN:${block.name.toUpperCase()} cannot be read`);
  return comp;
}

/** ical.js's parser errors name the bad line; JavaScript's own (TypeError …) say nothing useful. */
export function readableParseError(err: unknown): string {
  if (err instanceof Error && err.constructor === Error && err.message) return err.message.replace(/\s+/g, ' ').slice(0, 200);
  if (err instanceof Error && err.name === 'ParserError') return err.message.replace(/\s+/g, ' ').slice(0, 200);
  return 'it is not valid iCalendar';
}
