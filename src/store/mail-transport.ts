/**
 * Where campaign messages go (docs/campaigns.md, "Sending"): one .eml file per recipient, one
 * mbox file, or a sendmail-compatible command per message (`sendmail -t -i`, msmtp, any MTA).
 * The only code that writes these files or starts that process.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DataError, UsageError } from '../errors.js';
import { FOLDER_OF } from '../core/types.js';
import { createFileExclusive } from './atomic.js';

export interface Transport {
  /** What `tb` says it sent to, e.g. `out/` or `sendmail -t -i`. */
  readonly describe: string;
  /**
   * Whether a message leaves this machine when delivered (sendmail). Then each recipient's record
   * is flushed to disk before the next message: after a power cut it must still say "sent". Local
   * files (.eml, mbox) are as volatile as the records, so neither is flushed one by one.
   */
  readonly leavesMachine: boolean;
  /** Hands one message over; throws DataError when the transport refuses it. */
  deliver(message: Buffer, name: string): void;
}

/** The standard interface of every MTA: recipients from the headers (-t), a lone dot is not the end (-i). */
export const DEFAULT_SENDMAIL = 'sendmail -t -i';

/** sendmail and mbox want local (LF) line ends; an .eml file keeps RFC 5322's CRLF. */
function toLf(message: Buffer): Buffer {
  return Buffer.from(message.toString('utf8').replace(/\r\n/g, '\n'), 'utf8');
}

/**
 * Refuses output inside the CRM's own folders (record folders, `.touchbase/`, `.git`) and over
 * touchbase.yaml: messages are not records.
 */
function refuseInsideCrm(root: string, abs: string, what: string): void {
  const rel = path.relative(fs.realpathSync(root), abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return;
  const top = rel.split(path.sep)[0];
  if ([...Object.values(FOLDER_OF), '.touchbase', '.git', 'touchbase.yaml'].includes(top) || rel === '') {
    throw new UsageError(`refusing to write the ${what} into ${rel || 'the CRM directory itself'}`, 'choose a folder outside the record folders, e.g. --out outbox');
  }
}

function realPathOf(abs: string): string {
  try {
    return path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
  } catch {
    return abs;
  }
}

/** `--out DIR`: `<name>.eml` per recipient, created exclusively (an existing file is never overwritten). */
export function emlDirTransport(root: string, dir: string, shown: string): Transport {
  const abs = realPathOf(path.resolve(dir));
  refuseInsideCrm(root, abs, 'messages');
  fs.mkdirSync(abs, { recursive: true });
  return {
    describe: `${shown.replace(/\/?$/, '/')}`,
    leavesMachine: false,
    deliver(message, name) {
      const file = path.join(abs, `${name}.eml`);
      if (!createFileExclusive(file, message.toString('utf8'), { durable: false })) throw new DataError(`${path.join(shown, `${name}.eml`)} already exists; not overwritten`, undefined, 'remove it or choose another --out folder');
    },
  };
}

/** `--mbox FILE`: messages appended in mboxrd format (a `From ` separator line, `>`-quoted `From ` lines in bodies). */
export function mboxTransport(root: string, file: string, shown: string, now: Date): Transport {
  const abs = realPathOf(path.resolve(file));
  refuseInsideCrm(root, abs, 'mbox');
  if (fs.existsSync(abs) && fs.statSync(abs).isFile() && fs.statSync(abs).size > 0) {
    const head = fs.readFileSync(abs, { encoding: 'utf8' }).slice(0, 5);
    if (head !== 'From ') throw new UsageError(`refusing to append to ${shown}: it exists and is not an mbox file`);
  }
  const separator = `From MAILER-DAEMON ${now.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 $4')}\n`;
  return {
    describe: shown,
    leavesMachine: false,
    deliver(message) {
      const text = toLf(message).toString('utf8').replace(/^(>*From )/gm, '>$1');
      fs.appendFileSync(abs, `${separator}${text.replace(/\n*$/, '\n')}\n`);
    },
  };
}

/**
 * `--sendmail [COMMAND]`: runs COMMAND (through /bin/sh, so `msmtp -a work -t` works) once per
 * message with the message on stdin; a non-zero exit status is a failure.
 */
export function sendmailTransport(command: string, cwd: string, env: Record<string, string | undefined>): Transport {
  return {
    describe: command,
    leavesMachine: true,
    deliver(message, name) {
      const r = spawnSync('/bin/sh', ['-c', command], { input: toLf(message), cwd, env: env as NodeJS.ProcessEnv, encoding: 'utf8', maxBuffer: 1 << 20 });
      if (r.error) throw new DataError(`could not run '${command}': ${r.error.message}`);
      if (r.status !== 0) {
        const why = (r.stderr || r.stdout || '').trim().split('\n')[0];
        throw new DataError(`'${command}' failed for ${name} (exit ${r.status ?? r.signal})${why ? `: ${why}` : ''}`);
      }
    },
  };
}
