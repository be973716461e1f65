import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAIL_LIMITS, MailParseError, messageIds, parseMessage, trimReply } from '../../src/interop/mail.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/mail/', import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

describe('parseMessage on messages as real clients write them', () => {
  const cases: Array<{ file: string; from: string; subject: string; text: RegExp; notText?: RegExp; sent?: string; thread?: string; messageId?: string }> = [
    {
      file: 'thunderbird-reply.eml', from: 'sam@kestrelfinch.eu', subject: 'Re: Kassensystem: nächste Schritte',
      text: /danke für die Rückmeldung\. Ich schicke Ihnen bis Freitag den überarbeiteten Zeitplan\.$/, notText: /Guten Abend|Kestrel & Finch Consulting/,
      sent: '2026-11-17T09:42:13.000Z', thread: 'CAF3x9Qm=root@mail.gmail.com', messageId: '5f1c2a3b-8d7e-4c1a-9b2f-0a1b2c3d4e5f@kestrelfinch.eu',
    },
    {
      file: 'gmail-attachment.eml', from: 'carmen.vidal@mercadoverde.es', subject: 'Propuesta revisada – Mercado Verde',
      text: /¿Podemos hablar el jueves\?\n\nSaludos,\nCarmen$/, notText: /could you send/, sent: '2026-11-18T13:03:27.000Z', thread: '0a1b2c3d@kestrelfinch.eu',
    },
    {
      file: 'outlook-latin1.eml', from: 'e.moreau@lumenhealth.eu', subject: 'Réunion de suivi – données cliniques',
      text: /l'étude pilote – nous pouvons commencer dès lundi\.\n\nCordialement,\nÉlodie$/, notText: /pouvez-vous|Sent:/, sent: '2026-11-19T08:15:01.000Z', thread: '7c2e9f10@kestrelfinch.eu',
    },
    {
      file: 'applemail-forward.eml', from: 'sam@kestrelfinch.eu', subject: 'Fwd: Invoice question',
      text: /Hi José,\n\nforwarding the question from accounting – can you check the € amount\?[\s\S]*Invoice 7781 shows EUR 1,200/, sent: '2026-11-20T15:20:45.000Z',
    },
    { file: 'mutt-shiftjis.eml', from: 'mei.tanaka@paylane.io', subject: '打ち合わせの件', text: /来週の打ち合わせ、火曜日の午後はいかがでしょうか。/ },
  ];
  for (const c of cases) {
    it(c.file, async () => {
      const m = await parseMessage(fixture(c.file));
      expect(m.from[0].address).toBe(c.from);
      expect(m.subject).toBe(c.subject);
      expect(m.text).toMatch(c.text);
      if (c.notText) expect(m.text).not.toMatch(c.notText);
      expect(m.sent === undefined ? undefined : new Date(m.sent).toISOString()).toBe(c.sent);
      expect(m.thread).toBe(c.thread);
      if (c.messageId) expect(m.messageId).toBe(c.messageId);
      expect(m.warnings).toEqual([]);
    });
  }

  it('decodes RFC 2047 display names in any charset and unfolds address headers', async () => {
    const outlook = await parseMessage(fixture('outlook-latin1.eml'));
    expect(outlook.from[0].name).toBe('Élodie Moreau');
    expect(outlook.to.map((a) => a.address)).toEqual(['sam@kestrelfinch.eu', 'ria@kestrelfinch.eu']);
    expect((await parseMessage(fixture('mutt-shiftjis.eml'))).from[0].name).toBe('田中 芽衣');
    expect((await parseMessage(fixture('gmail-attachment.eml'))).from[0].name).toBe('Carmen Vidal García');
  });

  it('lists attachments by name and decoded size, never inline text parts', async () => {
    const m = await parseMessage(fixture('gmail-attachment.eml'));
    expect(m.attachments).toEqual([{ name: 'Propuesta 2027.pdf', size: 2179 }]);
    expect((await parseMessage(fixture('thunderbird-reply.eml'))).attachments).toEqual([]);
  });

  it('keeps the malformed Date as written and gives no instant', async () => {
    const m = await parseMessage(fixture('mutt-shiftjis.eml'));
    expect(m.sent).toBeUndefined();
    expect(m.badDate).toBe('Dienstag, 17. November 2026');
    expect(m.messageId).toBeUndefined();
    expect(m.headerHash).toMatch(/^hash:[0-9a-f]{16}$/);
  });

  it('gives the same header hash for the same headers, another for another message', async () => {
    const a = await parseMessage(fixture('mutt-shiftjis.eml'));
    const b = await parseMessage(Buffer.concat([Buffer.from('Received: from x by y; Tue, 17 Nov 2026 10:00:00 +0000\n'), fixture('mutt-shiftjis.eml')]));
    const c = await parseMessage(fixture('outlook-latin1.eml'));
    expect(b.headerHash).toBe(a.headerHash);
    expect(c.headerHash).not.toBe(a.headerHash);
  });
});

describe('hostile messages: one clear problem each', () => {
  const head = 'From: a@example.org\nTo: b@example.org\nSubject: x\nDate: Tue, 17 Nov 2026 10:00:00 +0000\n';
  const problems: Array<[string, () => Buffer, RegExp]> = [
    ['a header of 1 MB', () => Buffer.from(`${head}X-Junk: ${'a'.repeat(1024 * 1024)}\n\nbody\n`), /header is over 256 KB/],
    ['a MIME bomb of nested multiparts', () => {
      let body = 'leaf\n';
      for (let i = 200; i > 0; i--) body = `Content-Type: multipart/mixed; boundary="b${i}"\n\n--b${i}\n${body}\n--b${i}--\n`;
      return Buffer.from(`${head}${body}`);
    }, /nesting depth|MIME parts/],
    ['a MIME bomb of many parts', () => {
      const parts = Array.from({ length: 5000 }, () => '--b\nContent-Type: text/plain\n\nx\n').join('');
      return Buffer.from(`${head}Content-Type: multipart/mixed; boundary="b"\n\n${parts}--b--\n`);
    }, /5001 MIME parts, over the limit of 1000/],
    ['no header at all', () => Buffer.from('just some text\nwithout headers\n'), /not an e-mail message/],
  ];
  for (const [what, make, message] of problems) {
    it(what, async () => {
      const err = await parseMessage(make()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MailParseError);
      expect((err as Error).message).toMatch(message);
    });
  }

  it('a message over the size limit', async () => {
    const err = await parseMessage(Buffer.alloc(2048, 'a'), { ...DEFAULT_MAIL_LIMITS, maxMessageBytes: 1024 }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('the message is 0.0 MB, over the 0.0 MB limit');
  });

  it('an invalid charset name is a warning; the text is still read', async () => {
    const m = await parseMessage(Buffer.from(`${head}Content-Type: text/plain; charset="x-no-such-charset"\n\nplain ascii text\n`));
    expect(m.warnings).toEqual(["unknown charset 'x-no-such-charset'; its text was read as windows-1252"]);
    expect(m.text).toBe('plain ascii text');
  });

  it('cuts a huge body at maxTextChars and says so', async () => {
    const m = await parseMessage(Buffer.from(`${head}\n${'word '.repeat(1000)}\n`), { ...DEFAULT_MAIL_LIMITS, maxTextChars: 100 });
    expect(m.text.length).toBeLessThan(200);
    expect(m.text).toMatch(/\[… cut at 100 characters\]$/);
    expect(m.warnings).toEqual(['body text cut at 100 characters']);
  });
});

describe('trimReply', () => {
  const cases: Array<[string, string, string]> = [
    ['Gmail attribution and quote', 'Thanks!\n\nOn Mon, Nov 16, 2026 at 9:12 AM Sam <sam@x.eu> wrote:\n\n> question\n> more', 'Thanks!'],
    ['wrapped Gmail attribution', 'Yes.\n\nOn Mon, 16 Nov 2026 at 09:12, Sam Lee <\nsam@x.eu> wrote:\n> q', 'Yes.'],
    ['signature', 'Body\n-- \nSam Lee\nPhone', 'Body'],
    ['Outlook rule and header block', 'Oui.\n\n________________________________\nFrom: Sam\nSent: today\n\nold text', 'Oui.'],
    ['Outlook original message', 'Ok\n-----Original Message-----\nFrom: Sam\nold', 'Ok'],
    ['trailing quote without attribution', 'New\n\n> old\n> older\n', 'New'],
    ['inline reply keeps the quotes', '> question one\nanswer one\n> question two\nanswer two', '> question one\nanswer one\n> question two\nanswer two'],
    ['a forward is not cut', 'FYI\n\n---------- Forwarded message ---------\nFrom: X\n\ntext', 'FYI\n\n---------- Forwarded message ---------\nFrom: X\n\ntext'],
    ['"wrote:" in running text stays', 'On Monday Ada wrote: the plan is fine.\nSee you', 'On Monday Ada wrote: the plan is fine.\nSee you'],
  ];
  for (const [what, input, want] of cases) it(what, () => expect(trimReply(input)).toBe(want));
});

describe('messageIds', () => {
  const cases: Array<[string | undefined, string[]]> = [
    ['<a@x> <b@y>', ['a@x', 'b@y']],
    [' <a@x>\n\t<b@y>', ['a@x', 'b@y']],
    ['bare@id', ['bare@id']],
    ['', []],
    [undefined, []],
    ['two words', []],
  ];
  for (const [input, want] of cases) it(String(input), () => expect(messageIds(input)).toEqual(want));
});
