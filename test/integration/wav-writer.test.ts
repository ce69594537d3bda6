/**
 * --save-audio's file under real failures: the writing process killed with SIGKILL mid-stream, and a
 * write error (RLIMIT_FSIZE, i.e. "file too large", as a full disk would give). The files are then read
 * by real SoX, Python's `wave` module when python3 is installed, and a strict parser.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWavHeader } from '../../src/audio/wav.js';
import { testTmpRoot } from '../support/fake-sox.js';
import { transpileToTemp } from '../support/transpile.js';

let work: string;
let compiled: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(testTmpRoot(), 'lt-wav-int-'));
  compiled = await transpileToTemp(['src/audio/wav-writer.ts', 'src/audio/interleave.ts', 'src/audio/framer.ts', 'src/core/errors.ts']);
  // The child: writes 50 ms chunks of a known pattern as fast as the writer takes them (faster than real
  // time, so the test is short), and prints how much it has handed over.
  await writeFile(
    path.join(compiled, 'writer-child.js'),
    `import { openWavWriter } from './src/audio/wav-writer.js';
const [file, maxBytes] = process.argv.slice(2);
const w = await openWavWriter(file, { sampleRateHz: 16000, onError: (e) => console.log('onError ' + (e.code ?? e.message)) });
const chunk = (n) => { const b = Buffer.alloc(1600); for (let i = 0; i < 1600; i++) b[i] = (n * 1600 + i) % 251; return b; };
let n = 0;
const tick = async () => {
  w.write(chunk(n++));
  console.log('queued ' + w.bytesQueued);
  // Count chunks handed over, not bytes taken: after an error the writer takes nothing more.
  if (maxBytes !== undefined && n * 1600 >= Number(maxBytes)) {
    const r = await w.close();
    console.log('closed ' + JSON.stringify({ dataBytes: r.dataBytes, error: r.error?.code ?? null }));
    return;
  }
  setTimeout(tick, 2);
};
tick();
`,
  );
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(compiled, { recursive: true, force: true });
});

function expectedPcm(bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) b[i] = i % 251;
  return b;
}

function run(file: string, args: string[], timeoutMs = 10_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Starts the child; resolves once it has queued `bytes`; rejects after timeoutMs or if it exits first. */
function startWriter(cmd: string, args: string[], waitBytes: number, timeoutMs = 15_000) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const reached = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`writer did not queue ${waitBytes} bytes in ${timeoutMs} ms\n${out}\n${err}`)), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const last = [...out.matchAll(/queued (\d+)/g)].at(-1);
      if (last !== undefined && Number(last[1]) >= waitBytes) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`writer exited early\n${out}\n${err}`));
    });
  });
  return { child, reached, exited, output: () => out };
}

describe('WAV writer under real failures', () => {
  it('leaves a valid file, at most ~1 s short, when the process is killed with SIGKILL', async () => {
    const file = path.join(work, 'killed.wav');
    const w = startWriter(process.execPath, [path.join(compiled, 'writer-child.js'), file], 5 * 32_000);
    await w.reached;
    w.child.kill('SIGKILL');
    expect((await w.exited).signal).toBe('SIGKILL');

    const bytes = await readFile(file);
    const parsed = parseWavHeader(bytes);
    if (!parsed.ok) throw new Error(parsed.reason);
    const declared = bytes.readUInt32LE(40);
    expect(parsed.info).toMatchObject({ format: 'pcm', channels: 1, sampleRateHz: 16000, bitsPerSample: 16, dataOffset: 44 });
    expect(bytes.readUInt32LE(4)).toBe(36 + declared);
    expect(declared % 2).toBe(0);
    const onDisk = bytes.length - 44;
    expect(declared).toBeLessThanOrEqual(onDisk);
    expect(onDisk - declared).toBeLessThan(32_000 + 1600); // header interval (1 s) + one chunk
    expect(declared).toBeGreaterThanOrEqual(4 * 32_000);
    // What is declared is exactly the start of what was written.
    expect(Buffer.compare(bytes.subarray(44, 44 + declared), expectedPcm(declared))).toBe(0);

    // Real SoX reads it without a warning, with the declared length.
    const info = await run('sox', ['--i', '-s', file]);
    expect(info).toMatchObject({ code: 0, stderr: '' });
    expect(Number(info.stdout.trim())).toBe(declared / 2);
    const raw = path.join(work, 'killed.raw');
    const convert = await run('sox', ['-V2', file, '-t', 'raw', raw]);
    expect(convert).toMatchObject({ code: 0, stderr: '' });
    expect(Buffer.compare(await readFile(raw), expectedPcm(declared))).toBe(0);

    // Python's wave module (strict about RIFF sizes), where installed.
    const py = await run('python3', ['-c', 'import sys, wave; w = wave.open(sys.argv[1]); print(w.getnframes(), len(w.readframes(10**9)))', file]);
    if (py.code !== -1 && !/No such file|not found/.test(py.stderr)) {
      expect(py.code).toBe(0);
      expect(py.stdout.trim()).toBe(`${declared / 2} ${declared}`);
    }
  });

  it('reports a write error once (file too large), keeps running, and leaves a valid file', async () => {
    const file = path.join(work, 'efbig.wav');
    // ulimit -f counts 512-byte blocks in dash (1024 in bash): 64 blocks = 32 or 64 KiB; the child tries 128 KB.
    const w = startWriter(
      '/bin/sh',
      ['-c', `ulimit -f 64; exec "$0" "$@"`, process.execPath, path.join(compiled, 'writer-child.js'), file, '128000'],
      0,
    );
    void w.reached.catch(() => {});
    const exit = await Promise.race([w.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no exit')), 10_000))]);
    expect(exit).toEqual({ code: 0, signal: null });
    const out = w.output();
    expect(out.match(/onError/g)).toHaveLength(1);
    expect(out).toMatch(/onError EFBIG/);
    const closed = /closed (.*)/.exec(out)?.[1];
    const result = JSON.parse(closed ?? '{}') as { dataBytes: number; error: string };
    expect(result.error).toBe('EFBIG');

    const bytes = await readFile(file);
    expect(bytes.length).toBeLessThanOrEqual(64 * 1024);
    expect(result.dataBytes).toBeLessThan(128_000);
    const declared = bytes.readUInt32LE(40);
    expect(declared).toBe(result.dataBytes);
    expect(declared).toBeLessThanOrEqual(bytes.length - 44);
    expect(bytes.readUInt32LE(4)).toBe(36 + declared);
    expect(Buffer.compare(bytes.subarray(44, 44 + declared), expectedPcm(declared))).toBe(0);
    const info = await run('sox', ['--i', '-s', file]);
    expect(info).toMatchObject({ code: 0, stderr: '' });
    expect(Number(info.stdout.trim())).toBe(declared / 2);
  });
});
