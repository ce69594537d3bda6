import { describe, expect, it } from 'vitest';
import { isSamePress, startedByNpm } from '../../../src/system/stop-signals.js';

describe('a second stop signal (issue 24.9)', () => {
  it('run directly, a second press counts however quick', () => {
    expect(isSamePress(1_010, 1_000, false)).toBe(false);
    expect(isSamePress(1_300, 1_000, false)).toBe(false);
  });
  it('under npm, a repeat within a few ms is the same press; a human double press is not', () => {
    expect(isSamePress(1_005, 1_000, true)).toBe(true);
    expect(isSamePress(1_150, 1_000, true)).toBe(false);
  });
  it('npm is told by its environment', () => {
    expect(startedByNpm({ npm_execpath: '/usr/lib/node_modules/npm/bin/npx-cli.js' })).toBe(true);
    expect(startedByNpm({ PATH: '/bin' })).toBe(false);
  });
});
