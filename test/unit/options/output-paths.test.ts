import { describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../../src/options/config-toml.js';
import { fileLayers, mergeLayers } from '../../../src/options/layers.js';
import { resolveOutputPaths } from '../../../src/options/output-paths.js';
import { UsageError } from '../../../src/core/errors.js';

const PATH = '/home/ann/.config/live-transcribe/config.toml';
const NOW = new Date(2026, 11, 6, 14, 30, 9);

function settings(text: string, profile: string | undefined, flags: Record<string, string | boolean> = {}) {
  const file = parseConfigFile(text, PATH);
  return mergeLayers([
    ...fileLayers(file, profile === undefined ? undefined : { name: profile, chosenBy: 'flag' }),
    { source: 'flag', options: flags },
  ]);
}

describe('resolveOutputPaths (issue 24.2)', () => {
  it("expands output and save-audio, a counter when the minute's name is taken", () => {
    const s = settings('[profiles.meeting]\noutput = "m-{date}-{time}.srt"\nsave-audio = "m-{datetime}.wav"\n', 'meeting');
    const taken = new Set(['m-2026-12-06-1430.srt']);
    const options = resolveOutputPaths(s, { now: NOW, exists: (p) => taken.has(p) });
    expect(options.output).toBe('m-2026-12-06-1430-2.srt');
    expect(options.saveAudio).toBe('m-2026-12-06-1430.wav');
  });

  it("with append = true the minute's file is kept (appended to), no counter", () => {
    const s = settings('[profiles.log]\noutput = "log-{date}.txt"\nappend = true\n', 'log');
    expect(resolveOutputPaths(s, { now: NOW, exists: () => true }).output).toBe('log-2026-12-06.txt');
  });

  it('a fixed name from a profile that exists: refused, naming the profile, the file and the line', () => {
    const s = settings('# x\n[profiles.meeting]\noutput = "meeting.srt"\n', 'meeting');
    let err: unknown;
    try {
      resolveOutputPaths(s, { now: NOW, exists: (p) => p === 'meeting.srt' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe(`meeting.srt (output, from profile meeting in ${PATH} line 3) already exists`);
    expect((err as UsageError).hint).toContain('output = "meeting-{date}-{time}.srt"');
    expect((err as UsageError).hint).toContain('append = true');
  });

  it('a fixed name from a flag is left to the run (its own refusal); --force keeps the name', () => {
    const s = settings('', undefined, { output: 'meeting.srt' });
    expect(resolveOutputPaths(s, { now: NOW, exists: () => true }).output).toBe('meeting.srt');
    const forced = settings('output = "meeting.srt"\n', undefined, { force: true });
    expect(resolveOutputPaths(forced, { now: NOW, exists: () => true }).output).toBe('meeting.srt');
  });
});
