/**
 * Display width (src/render/width.ts) as a terminal draws it: combining accents take no column,
 * an emoji ZWJ sequence two, East Asian wide characters two each.
 */
import { describe, expect, it } from 'vitest';
import { displayWidth, truncateToWidth } from '../../src/render/width.js';

// Decomposed on purpose: e + U+0301 and u + U+0308, as macOS file names and some vCards write them.
const JOSE = 'Jose\u0301 Mu\u0308ller';
const DEV = '\u{1F469}\u200D\u{1F4BB} dev';

describe('displayWidth', () => {
  it.each([
    [JOSE, 11],
    ['José Müller', 11],
    [DEV, 6],
    ['日本語', 6],
    ['🇩🇪 Berlin', 9],
    ['plain', 5],
    ['', 0],
  ])('%s takes %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe('truncateToWidth', () => {
  it('keeps text that fits', () => {
    expect(truncateToWidth(JOSE, 11)).toBe(JOSE);
  });

  it('never cuts a combining mark from its letter or a ZWJ sequence apart', () => {
    expect(truncateToWidth(JOSE, 5)).toBe('Jose\u0301…');
    expect(truncateToWidth(`${DEV} team`, 4)).toBe('\u{1F469}\u200D\u{1F4BB} …');
  });

  it('counts wide characters as two columns', () => {
    expect(truncateToWidth('日本語テキスト', 7)).toBe('日本語…');
  });
});
