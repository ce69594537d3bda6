import { describe, expect, it } from 'vitest';
import { createStdoutSink } from '../../../src/render/sinks.js';
import type { Terminal } from '../../../src/render/terminal.js';
import type { TurnRecord } from '../../../src/transcript/records.js';

const turn: TurnRecord = { index: 0, sessionId: 's', turnOrder: 0, text: 'Hi.', startMs: 0, endMs: 1, words: [], endOfTurnConfidence: 1, speaker: 'B', time: new Date(0) };
const paint = (t: string): string => `<${t}>`;
const theme = { cyan: paint, magenta: (t: string) => `<m:${t}>`, yellow: paint, green: paint, blue: paint, cyanBright: paint, dim: paint };

function written(isTTY: boolean): string {
  let out = '';
  const terminal = { out: (t: string) => void (out += t), partial: () => {} } as unknown as Terminal;
  createStdoutSink({ format: 'text', timestamps: false, partials: false }, terminal, isTTY, theme).write({ type: 'turn', turn });
  return out;
}

describe('createStdoutSink: speaker colours', () => {
  it('on a terminal, each speaker in its colour', () => {
    expect(written(true)).toBe('<m:B>: Hi.\n');
  });
  it('in a pipe, plain', () => {
    expect(written(false)).toBe('B: Hi.\n');
  });
});
