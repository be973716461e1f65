import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/render/progress.js';

describe('progressBar', () => {
  it.each([
    [0, 2279, '[------------------------]   0% 0/2279'],
    [940, 2279, '[##########--------------]  41% 940/2279'],
    [2279, 2279, '[########################] 100% 2279/2279'],
    [0, 0, '[########################] 100% 0/0'],
  ])('%i of %i', (done, total, bar) => {
    expect(progressBar(done, total)).toBe(bar);
  });
});
