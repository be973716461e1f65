import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/lib/args.js';

describe('bench arguments', () => {
  it('defaults to scale S, 5 runs, every row, the tree under bench/.data', () => {
    expect(parseBenchArgs([])).toEqual({ scale: 'S', runs: 5, only: undefined, data: undefined, maildir: true });
  });

  it('runs only the mailbox rows at scale mailbox', () => {
    expect(parseBenchArgs(['--scale', 'mailbox']).only).toBe('mailbox');
  });

  it('--data names a tree to reuse, resolved against the working directory', () => {
    expect(parseBenchArgs(['--scale', 'mailbox', '--data', 'big/tree'], '/work').data).toBe('/work/big/tree');
    expect(parseBenchArgs(['--data', '/abs/tree'], '/work').data).toBe('/abs/tree');
  });

  it('--no-maildir leaves out the Maildir rows', () => {
    expect(parseBenchArgs(['--no-maildir']).maildir).toBe(false);
  });

  it('--help asks for the usage', () => {
    expect(parseBenchArgs(['--runs', '3', '--help']).help).toBe(true);
  });

  it.each([
    [['--data'], '--data needs a value'],
    [['--data', '--runs', '3'], '--data needs a value'],
    [['--scale', 'XL'], "unknown scale 'XL'"],
    [['--runs', '0'], '--runs must be a positive whole number'],
    [['--only', 'S'], "--only takes mailbox, got 'S'"],
    [['--reuse'], "unknown option '--reuse'"],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
