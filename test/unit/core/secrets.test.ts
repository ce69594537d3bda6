import { describe, expect, it } from 'vitest';
import { createSecrets, REDACTED, scrubSecrets } from '../../../src/core/secrets.js';

describe('scrubSecrets', () => {
  it('replaces a secret wherever it appears, also JSON-escaped and URL-encoded', () => {
    const key = 'k"e/y+9&x';
    const text = `a ${key} b ${JSON.stringify({ k: key })} c ?token=${encodeURIComponent(key)}`;
    const out = scrubSecrets(text, [key]);
    expect(out).not.toContain(key);
    expect(out).not.toContain(JSON.stringify(key).slice(1, -1));
    expect(out).not.toContain(encodeURIComponent(key));
    expect(out.split(REDACTED)).toHaveLength(4);
  });

  it('leaves short strings alone (they are not secrets, and would blank ordinary words)', () => {
    expect(scrubSecrets('the cat', ['cat'])).toBe('the cat');
  });
});

describe('createSecrets', () => {
  it('scrubs what was added later too (a minted token), through guard', () => {
    const written: string[] = [];
    const s = createSecrets(['key-abcdef', undefined]);
    const write = s.guard((t: string) => written.push(t));
    write('key-abcdef and tok-123456');
    s.add('  tok-123456\n');
    write('key-abcdef and tok-123456');
    expect(written).toEqual([`${REDACTED} and tok-123456`, `${REDACTED} and ${REDACTED}`]);
  });

  it('a secret containing another is replaced whole', () => {
    const s = createSecrets(['abcd', 'abcdefgh']);
    expect(s.scrub('xabcdefghx')).toBe(`x${REDACTED}x`);
  });
});
