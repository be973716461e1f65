import { describe, expect, it } from 'vitest';
import { afterCommandWords, negationsAsNot, type OptionShape } from '../../src/args.js';

describe('negationsAsNot', () => {
  const options: OptionShape[] = [
    { flags: ['--sort'], takesValue: true },
    { flags: ['-o', '--output'], takesValue: true },
    { flags: ['--as-of'], takesValue: true },
    { flags: ['--ids'], takesValue: false },
  ];
  const rewrite = (args: string[], words = 1) => negationsAsNot(args, afterCommandWords(args, words), options);

  it('spells a leading-dash query word NOT …', () => {
    expect(rewrite(['list', 'contacts', '-tag:churned', '-vip', '-(a OR b)', '-@segment'])).toEqual(['list', 'contacts', 'NOT tag:churned', 'NOT vip', 'NOT (a OR b)', 'NOT @segment']);
  });

  it('leaves options, their values (even with a dash), a lone -x and everything after --', () => {
    expect(rewrite(['--as-of', '-3d', 'list', '--sort', '-name', '--ids', '-x', '--', '-tag:vip'])).toEqual(['--as-of', '-3d', 'list', '--sort', '-name', '--ids', '-x', '--', '-tag:vip']);
    expect(rewrite(['export', 'csv', '-ofile.csv'], 2)).toEqual(['export', 'csv', '-ofile.csv']);
    expect(rewrite(['export', 'csv', '-owner:sam', '-o', 'x.csv'], 2)).toEqual(['export', 'csv', 'NOT owner:sam', '-o', 'x.csv']);
    expect(rewrite(['list', '--sort=-name', '-5'])).toEqual(['list', '--sort=-name', '-5']);
  });
});
