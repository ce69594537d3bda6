import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMicMonitor, LONG_SILENCE_MS, type MicMonitorOptions } from '../../../src/app/mic-monitor.js';
import { levelDbfs } from '../../../src/audio/level.js';
import type { Exec, ExecResult } from '../../../src/system/exec.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'devices');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const YETI = 'alsa_input.usb-Blue_Microphones_Yeti_Stereo_Microphone_REV8-00.analog-stereo';

const FRAME_MS = 50;
/** 50 ms of 16 kHz 16-bit mono, every sample `value` (0: digital silence). */
const frame = (value: number): Buffer => {
  const b = Buffer.alloc(1600);
  for (let i = 0; i < b.length; i += 2) b.writeInt16LE(value, i);
  return b;
};
const SILENT = frame(0);
const QUIET = frame(10); // about -70 dBFS: under the -60 dBFS threshold
const LOUD = frame(1000); // about -30 dBFS

/** Answers like the machine of the pactl fixtures; anything else is not installed. */
const pactlExec: Exec = async (command, args) => {
  const line = [command, ...args].join(' ');
  const out: Record<string, string> = { 'pactl info': fixture('pactl-info.txt'), 'pactl list sources': fixture('pactl-list-sources.txt') };
  const stdout = out[line];
  const r: ExecResult =
    stdout === undefined
      ? { code: null, stdout: '', stderr: '', errorCode: 'ENOENT', errorMessage: `${command} is not installed` }
      : { code: 0, stdout, stderr: '' };
  return r;
};
const neverAnswers: Exec = () => new Promise<ExecResult>(() => {});

function setUp(o: Partial<MicMonitorOptions> & { live?: boolean } = {}) {
  const lines: { kind: 'warn' | 'info'; text: string }[] = [];
  let clock = 0;
  const calls: string[] = [];
  const exec = o.exec ?? neverAnswers;
  const monitor = createMicMonitor({
    source: { live: o.live ?? true, format: { sampleRateHz: 16_000, encoding: 'pcm_s16le' } },
    deviceName: undefined,
    lookUpDevice: false,
    platform: 'linux',
    env: {},
    warn: (text) => void lines.push({ kind: 'warn', text }),
    info: (text) => void lines.push({ kind: 'info', text }),
    now: () => clock,
    ...o,
    exec: (command, args, options) => {
      calls.push([command, ...args].join(' '));
      return exec(command, args, options);
    },
  });
  const push = (f: Buffer, times = 1): void => {
    for (let i = 0; i < times; i += 1) {
      monitor.push(f, FRAME_MS);
      clock += FRAME_MS;
    }
  };
  const advance = (ms: number): void => {
    clock += ms;
  };
  return { monitor, lines, calls, push, advance };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('mic monitor: the level meter', () => {
  it('rises at once and falls at most 20 dB a second', () => {
    const t = setUp();
    expect(t.monitor.meterDbfs).toBe(-Infinity);
    t.monitor.push(LOUD, FRAME_MS);
    expect(t.monitor.meterDbfs).toBe(levelDbfs(LOUD));
    t.advance(500);
    t.monitor.push(QUIET, FRAME_MS);
    expect(t.monitor.meterDbfs).toBeCloseTo(levelDbfs(LOUD) - 10, 6);
    t.advance(5000);
    t.monitor.push(QUIET, FRAME_MS);
    expect(t.monitor.meterDbfs).toBe(levelDbfs(QUIET));
    t.monitor.push(LOUD, FRAME_MS);
    expect(t.monitor.meterDbfs).toBe(levelDbfs(LOUD));
  });

  it('follows a recorded source too', () => {
    const t = setUp({ live: false });
    t.monitor.push(LOUD, FRAME_MS);
    expect(t.monitor.meterDbfs).toBe(levelDbfs(LOUD));
  });
});

describe('mic monitor: the silent-microphone warning', () => {
  it('warns once after 4 s below -60 dBFS on a live source, and says when sound is back', () => {
    const t = setUp();
    t.push(LOUD, 3);
    t.push(QUIET, 79);
    expect(t.lines).toEqual([]);
    expect(t.monitor.noSound).toBe(false);
    t.push(QUIET);
    expect(t.monitor.noSound).toBe(true);
    t.push(SILENT, 200);
    expect(t.lines).toHaveLength(1);
    expect(t.lines[0]?.kind).toBe('warn');
    expect(t.lines[0]?.text).toMatchInlineSnapshot(`
      "no sound from the default microphone for 4 s
        - the source is muted or its volume is 0: check pavucontrol (Input Devices) or  pactl list sources
        - PulseAudio/PipeWire records from another default source: pick the microphone with --device (see --list-devices), or  pactl set-default-source <name>
        - a hardware mute switch or key is on"
    `);
    t.push(LOUD, 5);
    expect(t.monitor.noSound).toBe(false);
    expect(t.lines).toHaveLength(2);
    expect(t.lines[1]).toEqual({ kind: 'info', text: 'Sound is arriving from the default microphone again.' });
  });

  it('never warns for a recorded source', () => {
    const t = setUp({ live: false });
    t.push(SILENT, 400);
    expect(t.lines).toEqual([]);
    expect(t.monitor.noSound).toBe(false);
  });

  it('reset() forgets the silence counted so far', () => {
    const t = setUp();
    t.push(SILENT, 60);
    t.monitor.reset();
    t.push(SILENT, 79);
    expect(t.lines).toEqual([]);
    t.push(SILENT);
    expect(t.lines.map((l) => l.kind)).toEqual(['warn']);
  });

  it('names the device looked up, with its causes (a muted monitor)', async () => {
    const t = setUp({ lookUpDevice: true, deviceName: 'usbspk.monitor', exec: pactlExec });
    expect(await t.monitor.label()).toBe('"Monitor of USB_Speaker" (usbspk.monitor)');
    t.push(SILENT, 80);
    expect(t.lines[0]?.text).toMatchInlineSnapshot(`
      "no sound from "Monitor of USB_Speaker" (usbspk.monitor) for 4 s
        - it is muted: unmute it with  pactl set-source-mute usbspk.monitor 0  (or in the sound settings)
        - it is a monitor: it records what an output plays, not a microphone; choose a microphone with --device (see --list-devices)
        - a hardware mute switch or key is on"
    `);
    t.push(LOUD, 5);
    expect(t.lines[1]?.text).toBe('Sound is arriving from "Monitor of USB_Speaker" (usbspk.monitor) again.');
  });
});

describe('mic monitor: label()', () => {
  it('answers within its bound when the device lookup never answers', async () => {
    vi.useFakeTimers();
    const t = setUp({ lookUpDevice: true, exec: neverAnswers });
    let label: string | undefined;
    const pending = t.monitor.label().then((l) => {
      label = l;
    });
    await vi.advanceTimersByTimeAsync(499);
    expect(label).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(label).toBe('the default microphone');
    expect(t.calls.length).toBeGreaterThan(0);
  });

  it('names the --device given when the lookup never answers', async () => {
    vi.useFakeTimers();
    const t = setUp({ lookUpDevice: true, deviceName: 'my-mic', exec: neverAnswers });
    const pending = t.monitor.label();
    await vi.advanceTimersByTimeAsync(500);
    expect(await pending).toBe('"my-mic"');
  });

  it('names the default source from pactl (Linux)', async () => {
    const t = setUp({ lookUpDevice: true, exec: pactlExec });
    expect(await t.monitor.label()).toBe(`"Yeti Stereo Microphone Analog Stereo" (${YETI})`);
    expect(t.calls).toEqual(['pactl info', 'arecord -L', 'pactl list sources']);
  });

  it('looks the device up at the first captured frame, not when it is made (before connecting)', async () => {
    const t = setUp({ lookUpDevice: true, exec: pactlExec });
    expect(t.calls).toEqual([]);
    t.push(SILENT);
    await vi.waitFor(() => expect(t.calls).toEqual(['pactl info', 'arecord -L', 'pactl list sources']));
    expect(await t.monitor.label()).toBe(`"Yeti Stereo Microphone Analog Stereo" (${YETI})`);
    expect(t.calls).toHaveLength(3);
  });

  it('does not look anything up for a file or standard input', async () => {
    const t = setUp({ lookUpDevice: false, exec: pactlExec });
    expect(await t.monitor.label()).toBe('the default microphone');
    expect(t.calls).toEqual([]);
  });
});

describe('mic monitor: pauses of a microphone that was heard (issue 11.8)', () => {
  it('no warning at pauses shorter than LONG_SILENCE_MS once sound was heard', () => {
    const t = setUp();
    for (let phrase = 0; phrase < 5; phrase += 1) {
      t.push(LOUD, 20); // 1 s of speech
      t.push(SILENT, 200); // 10 s of digital silence
    }
    expect(t.lines).toEqual([]);
    expect(t.monitor.noSound).toBe(false);
  });

  it('after a long silence: one line, then the line when sound is back', () => {
    const t = setUp();
    t.push(LOUD, 20);
    t.push(SILENT, LONG_SILENCE_MS / FRAME_MS - 1);
    expect(t.lines).toEqual([]);
    t.push(SILENT);
    expect(t.lines).toEqual([{ kind: 'warn', text: 'no sound from the default microphone for 1 min; is it still on? (transcription goes on)' }]);
    expect(t.monitor.noSound).toBe(true);
    t.push(LOUD, 5);
    expect(t.lines[1]).toEqual({ kind: 'info', text: 'Sound is arriving from the default microphone again.' });
  });

  it('a microphone warned about at the start and heard later gets the long bound from then on', () => {
    const t = setUp();
    t.push(SILENT, 80);
    expect(t.lines.map((l) => l.kind)).toEqual(['warn']);
    t.push(LOUD, 20);
    expect(t.lines.map((l) => l.kind)).toEqual(['warn', 'info']);
    t.push(SILENT, 200);
    expect(t.lines).toHaveLength(2);
  });
});
