import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseMessage } from '../../src/interop/mail.js';
import { joinChunks } from '../../src/interop/mime-join.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/mail/', import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('joining the decoded lines of a MIME part without a Blob', () => {
  it('gives the bytes a Blob of the same chunks gives: text as UTF-8, buffers, views into larger buffers', async () => {
    const backing = new Uint8Array([9, 9, 0x41, 0xc3, 0xa9, 0x42, 9]);
    const chunks = ['Grüße ', new Uint8Array([0x68, 0x69]).buffer, '\n', backing.subarray(2, 6), '', '€\n', new Uint8Array(0)];
    const viaBlob = new Uint8Array(await new Blob(chunks).arrayBuffer());
    const joined = new Uint8Array(joinChunks(chunks));
    expect([...joined]).toEqual([...viaBlob]);
    expect(joined.byteLength).toBe(viaBlob.byteLength);
  });

  it('parses base64, quoted-printable and 8-bit parts without building a Blob, with their text and sizes intact', async () => {
    const blob = vi.spyOn(globalThis, 'Blob');
    const attached = await parseMessage(fixture('gmail-attachment.eml'));
    const latin1 = await parseMessage(fixture('outlook-latin1.eml'));
    const forward = await parseMessage(fixture('applemail-forward.eml'));
    expect(blob).not.toHaveBeenCalled();
    expect(attached.text).toMatch(/¿Podemos hablar el jueves\?/);
    expect(attached.attachments.length).toBeGreaterThan(0);
    for (const a of attached.attachments) expect(a.size).toBeGreaterThan(0);
    expect(latin1.text).toMatch(/l'étude pilote – nous pouvons commencer dès lundi\./);
    expect(forward.text).toMatch(/can you check the € amount\?/);
  });
});
