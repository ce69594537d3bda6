/**
 * The spool under SIGKILL: a child appends audio to a spool file as fast as it can and is killed at an
 * arbitrary moment; the file on disk must be a valid WAV that real SoX (and Python's strict `wave`, where
 * installed) reads without a warning, declaring exactly a prefix of what was written.
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
  work = await mkdtemp(path.join(testTmpRoot(), 'lt-spool-int-'));
  compiled = await transpileToTemp([
    'src/audio/spool.ts',
    'src/audio/interleave.ts',
    'src/audio/framer.ts',
    'src/core/types.ts',
    'src/core/errors.ts',
  ]);
  await writeFile(
    path.join(compiled, 'spool-child.js'),
    `import { SpoolFile } from './src/audio/spool.js';
const [dir] = process.argv.slice(2);
const f = SpoolFile.create(dir, 'killed.wav', { sampleRateHz: 16000, encoding: 'pcm_s16le' });
const chunk = (n) => { const b = Buffer.alloc(1600); for (let i = 0; i < 1600; i++) b[i] = (n * 1600 + i) % 251; return b; };
let n = 0;
const tick = () => { for (let k = 0; k < 20; k++) f.append(chunk(n++)); console.log('written ' + n * 1600); setImmediate(tick); };
tick();
`,
  );
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(compiled, { recursive: true, force: true });
});

const run = (file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) =>
    execFile(file, args, { timeout: 10_000, encoding: 'utf8' }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    ),
  );

describe('spool file killed with SIGKILL', () => {
  it('is a valid WAV declaring a prefix of what was written', async () => {
    const child = spawn(process.execPath, [path.join(compiled, 'spool-child.js'), work], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('close', (_c, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the child wrote too little')), 15_000);
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (Number([...out.matchAll(/written (\d+)/g)].at(-1)?.[1] ?? 0) >= 10 * 32_000) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const file = path.join(work, 'killed.wav');
    const bytes = await readFile(file);
    const parsed = parseWavHeader(bytes);
    if (!parsed.ok) throw new Error(parsed.reason);
    const declared = bytes.readUInt32LE(40);
    expect(parsed.info).toMatchObject({ format: 'pcm', channels: 1, sampleRateHz: 16000, dataOffset: 44 });
    expect(bytes.readUInt32LE(4)).toBe(36 + declared);
    expect(declared).toBeGreaterThanOrEqual(10 * 32_000);
    expect(declared).toBeLessThanOrEqual(bytes.length - 44);
    expect(bytes.length - 44 - declared).toBeLessThanOrEqual(1600); // at most the one append cut short
    for (let i = 0; i < declared; i += 997) expect(bytes[44 + i]).toBe(i % 251);
    const info = await run('sox', ['--i', '-s', file]);
    expect(info).toMatchObject({ code: 0, stderr: '' });
    expect(Number(info.stdout.trim())).toBe(declared / 2);
    const py = await run('python3', ['-c', 'import sys, wave; w = wave.open(sys.argv[1]); print(w.getnframes())', file]);
    if (py.code !== -1 && !/No such file|not found/.test(py.stderr)) expect(py.stdout.trim()).toBe(String(declared / 2));
  });
});
