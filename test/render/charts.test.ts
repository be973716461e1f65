import { describe, expect, it } from 'vitest';
import { barChart, formatMoney, sparkline } from '../../src/render/charts.js';

describe('barChart', () => {
  it('scales the largest value to the full width and aligns labels and values', () => {
    expect(barChart([{ label: 'lead', value: 10 }, { label: 'proposal', value: 5 }, { label: 'won', value: 0 }], { width: 4 })).toEqual([
      'lead     ████ 10',
      'proposal ██   5',
      'won           0',
    ]);
  });

  it('uses eighth blocks for fractions', () => {
    // 3/8 of one cell, 11/16 of two cells = 11 eighths = 1 full + 3 eighths.
    expect(barChart([{ label: 'a', value: 16 }, { label: 'b', value: 11 }, { label: 'c', value: 1.5 }], { width: 2 })).toEqual([
      'a ██ 16',
      'b █▍ 11',
      'c ▎  1.5',
    ]);
  });

  it('gives a tiny positive value a visible sliver, negatives none', () => {
    const lines = barChart([{ label: 'big', value: 1000 }, { label: 'tiny', value: 1 }, { label: 'neg', value: -5 }], { width: 3 });
    expect(lines[1]).toBe('tiny ▏   1');
    expect(lines[2]).toBe('neg      -5');
  });

  it('formats values with the given formatter', () => {
    expect(barChart([{ label: 'x', value: 12500 }], { width: 1, format: (n) => formatMoney(n, 'EUR', { pretty: true }) })).toEqual(['x █ EUR 12,500']);
  });

  it('draws nothing for no rows and no bars when all are zero', () => {
    expect(barChart([], { width: 10 })).toEqual([]);
    expect(barChart([{ label: 'a', value: 0 }], { width: 2 })).toEqual(['a    0']);
  });
});

describe('sparkline', () => {
  it.each([
    [[0, 1, 2, 3, 4, 5, 6, 7], '▁▂▃▄▅▆▇█'],
    [[0, 7], '▁█'],
    [[5, 5, 5], '███'],
    [[0, 0], '▁▁'],
    [[-2, 0, 2], '▁▅█'],
    [[1, 2], '▅█'],
    [[], ''],
    [[1, Number.NaN, 0], '█ ▁'],
  ])('sparkline(%o) = %s', (values, expected) => {
    expect(sparkline(values)).toBe(expected);
  });
});

describe('formatMoney', () => {
  it.each([
    [12500, 'EUR', true, 'EUR 12,500'],
    [1234567.5, 'USD', true, 'USD 1,234,567.50'],
    [999, 'EUR', true, 'EUR 999'],
    [-1200, 'EUR', true, 'EUR -1,200'],
    [0, 'GBP', true, 'GBP 0'],
    [0.1 + 0.2, 'EUR', true, 'EUR 0.30'],
    [12500, 'EUR', false, '12500'],
    [1234.5, 'EUR', false, '1234.5'],
    [0.1 + 0.2, 'EUR', false, '0.3'],
    [-0.001, 'EUR', false, '0'],
  ])('formatMoney(%s, %s, pretty %s) = %s', (n, currency, pretty, expected) => {
    expect(formatMoney(n, currency, { pretty })).toBe(expected);
  });
});
