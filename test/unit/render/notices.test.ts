import { describe, expect, it } from 'vitest';
import { formatNotice } from '../../../src/render/notices.js';

const theme = { yellow: (t: string) => `<y>${t}</y>`, dim: (t: string) => `<d>${t}</d>` };

describe('formatNotice', () => {
  it('a warning in yellow, a note dim, control characters removed', () => {
    expect(formatNotice({ kind: 'warning', text: 'u3-rt-pro is a legacy model' }, theme)).toBe('<y>warning:</y> u3-rt-pro is a legacy model\n');
    expect(formatNotice({ kind: 'note', text: 'sent as given\u001b[2J' }, theme)).toMatch(/^<d>note:<\/d> sent as given[^\u001b]*\n$/);
  });
});
