/**
 * Where campaign messages go (docs/campaigns.md, "Sending"): one .eml file per recipient, one
 * mbox file, or a sendmail-compatible command per message (`sendmail -t -i`, msmtp, any MTA).
 * The only code that writes these files or starts that process.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DataError } from '../errors.js';
import { createFileExclusive, sweepDeadTemps } from './atomic.js';
import { pidGone } from './lock.js';
import { makeOutputFolder, openForAppend } from './output-path.js';
import type { DeliveryTarget } from './send-journal.js';

export interface Transport {
  /** What `tb` says it sent to, e.g. `out/` or `sendmail -t -i`. */
  readonly describe: string;
  /**
   * Whether a message leaves this machine when delivered (sendmail). Then each claim and each
   * recipient's record is flushed to disk: after a power cut it must still say "sent". Local
   * files (.eml, mbox) are as volatile as the records, so neither is flushed one by one.
   */
  readonly leavesMachine: boolean;
  /** Where `message` for `name` would go, for the journal's claim (before delivering). */
  target(message: Buffer, name: string): DeliveryTarget;
  /** Hands one message over; throws DataError when the transport refuses it (nothing delivered). */
  deliver(message: Buffer, name: string, target: DeliveryTarget): Promise<void>;
  /** Forwards a signal (TERM, INT) to a delivery in progress. */
  interrupt(signal: NodeJS.Signals): void;
}

/** A delivery cut short by a signal tb forwarded: whether it arrived cannot be known. */
export class InterruptedDelivery extends DataError {}

/** The standard interface of every MTA: recipients from the headers (-t), a lone dot is not the end (-i). */
export const DEFAULT_SENDMAIL = 'sendmail -t -i';

/** sendmail and mbox want local (LF) line ends; an .eml file keeps RFC 5322's CRLF. */
function toLf(message: Buffer): Buffer {
  return Buffer.from(message.toString('utf8').replace(/\r\n/g, '\n'), 'utf8');
}

/** `--out DIR`: `<name>.eml` per recipient (`<name>-2.eml` … when taken), created exclusively (an existing file is never overwritten). */
export function emlDirTransport(abs: string, shown: string): Transport {
  makeOutputFolder(abs, shown, '--out');
  // Temp files of a run killed mid-write: its own partial output, never a message.
  sweepDeadTemps(abs, pidGone);
  return {
    describe: `${shown.replace(/\/?$/, '/')}`,
    leavesMachine: false,
    // A name another message has (an earlier campaign to the same folder) gets -2, -3 …: the
    // target is claimed in the send journal before delivery, so a re-run finds the same file.
    target: (_message, name) => ({ kind: 'eml', file: freeEmlName(abs, name) }),
    async deliver(message, name, target) {
      if (target.kind !== 'eml') throw new Error('eml transport given another target');
      // createFileExclusive links a complete temp file to the name: never through a link, never half a file.
      if (!createFileExclusive(target.file, message.toString('utf8'), { durable: false })) throw new DataError(`${path.join(shown, path.basename(target.file))} already exists; not overwritten`, undefined, 'remove it or choose another --out folder');
    },
    interrupt() {},
  };
}

function freeEmlName(abs: string, name: string): string {
  let file = path.join(abs, `${name}.eml`);
  for (let n = 2; fs.lstatSync(file, { throwIfNoEntry: false }); n++) file = path.join(abs, `${name}-${n}.eml`);
  return file;
}

function mboxSeparator(now: Date): string {
  return `From MAILER-DAEMON ${now.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 $4')}\n`;
}

/** One mboxrd entry: the `From ` separator, `>`-quoted `From ` lines in the body, a blank line after. */
function mboxEntry(message: Buffer, separator: string): Buffer {
  const text = toLf(message).toString('utf8').replace(/^(>*From )/gm, '>$1');
  return Buffer.from(`${separator}${text.replace(/\n*$/, '\n')}\n`, 'utf8');
}

function sizeOf(abs: string): number {
  try {
    return fs.lstatSync(abs).size;
  } catch {
    return 0;
  }
}

/** `--mbox FILE`: messages appended in mboxrd format, each entry in one write. */
export function mboxTransport(abs: string, shown: string, now: Date): Transport {
  const separator = mboxSeparator(now);
  return {
    describe: shown,
    leavesMachine: false,
    target(message) {
      const entry = mboxEntry(message, separator);
      return { kind: 'mbox', file: abs, offset: sizeOf(abs), length: entry.length, sha256: sha256(entry) };
    },
    async deliver(message) {
      const fd = openForAppend(abs);
      try {
        fs.writeSync(fd, mboxEntry(message, separator));
      } finally {
        fs.closeSync(fd);
      }
    },
    interrupt() {},
  };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Whether an mbox file may be appended to: empty, or starting with a `From ` line. */
export function isMboxHead(head: string): boolean {
  return head === '' || head.startsWith('From ');
}

/**
 * `--sendmail [COMMAND]`: runs COMMAND (through /bin/sh, so `msmtp -a work -t` works) once per
 * message with the message on stdin; a non-zero exit status is a failure. The child runs in its
 * own process group: a TERM or INT that tb gets is forwarded to it and awaited, never left behind.
 */
export function sendmailTransport(command: string, cwd: string, env: Record<string, string | undefined>): Transport {
  let current: ChildProcess | undefined;
  let forwarded: NodeJS.Signals | undefined;
  return {
    describe: command,
    leavesMachine: true,
    target: () => ({ kind: 'sendmail', command }),
    deliver(message, name) {
      forwarded = undefined;
      return new Promise<void>((resolve, reject) => {
        const child = spawn('/bin/sh', ['-c', command], { cwd, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        current = child;
        let said = '';
        const keep = (d: Buffer) => {
          if (said.length < 4096) said += d.toString('utf8');
        };
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        child.stdin.on('error', () => {});
        child.on('error', (err) => reject(new DataError(`could not run '${command}': ${err.message}`)));
        child.on('close', (code, signal) => {
          current = undefined;
          if (code === 0) return resolve();
          if (forwarded) return reject(new InterruptedDelivery(`'${command}' was stopped by ${forwarded} while sending to ${name}`));
          const why = said.trim().split('\n')[0];
          reject(new DataError(`'${command}' failed for ${name} (exit ${code ?? signal})${why ? `: ${why}` : ''}`));
        });
        child.stdin.end(toLf(message));
      });
    },
    interrupt(signal) {
      if (!current?.pid) return;
      forwarded = signal;
      try {
        process.kill(-current.pid, signal);
      } catch {
        /* exited meanwhile */
      }
    },
  };
}
