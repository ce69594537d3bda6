import { describe, expect, it } from 'vitest';
import { visibleWidth, wrapLine, wrapText } from '../../../src/render/wrap.js';
import { formatDoctorCheck } from '../../../src/render/doctor-messages.js';

const plain = { green: (s: string) => s, red: (s: string) => s, dim: (s: string) => s, bold: (s: string) => s };

describe('wrapping on words (issue 24.9)', () => {
  it('breaks between words, never inside one, and indents the continuation', () => {
    expect(wrapLine('  check the network connection and --api-host', 20)).toBe('  check the network\n  connection and\n  --api-host');
    for (const row of wrapLine('  check the network connection and --api-host', 20).split('\n')) expect(row.length).toBeLessThanOrEqual(20);
  });
  it('keeps a word longer than the row whole, and the spacing of aligned columns', () => {
    expect(wrapLine('see https://www.assemblyai.com/dashboard/api-keys now', 20)).toBe('see\nhttps://www.assemblyai.com/dashboard/api-keys\nnow');
    expect(wrapLine('ok     DNS    a b', 80)).toBe('ok     DNS    a b');
  });
  it('colour codes take no columns', () => {
    expect(visibleWidth('\u001b[33mwarning:\u001b[39m x')).toBe(10);
    expect(wrapText('\u001b[33mwarning:\u001b[39m one two', 16, '  ')).toBe('\u001b[33mwarning:\u001b[39m one two');
    expect(wrapText('\u001b[33mwarning:\u001b[39m one two', 14, '  ')).toBe('\u001b[33mwarning:\u001b[39m one\n  two');
  });
  it('leaves text alone without a terminal width', () => {
    expect(wrapText('a b c', undefined)).toBe('a b c');
  });
  it("doctor's rows continue under their detail and their fix", () => {
    const out = formatDoctorCheck(
      {
        id: 'api-key',
        name: 'API key',
        status: 'problem',
        detail: 'the service refused the key given in ASSEMBLYAI_API_KEY (HTTP 401)',
        fix: 'copy the key again from the dashboard, the whole key and nothing around it',
      },
      plain,
      60,
    );
    const rows = out.trimEnd().split('\n');
    for (const r of rows) expect(r.length).toBeLessThanOrEqual(60);
    expect(rows[0]).toBe('  problem  API key      the service refused the key given in');
    expect(rows[1]).toBe(`${' '.repeat(24)}ASSEMBLYAI_API_KEY (HTTP 401)`);
    expect(rows.slice(2).join('\n')).toBe(
      `${' '.repeat(24)}fix: copy the key again from the\n${' '.repeat(29)}dashboard, the whole key and\n${' '.repeat(29)}nothing around it`,
    );
  });
});
