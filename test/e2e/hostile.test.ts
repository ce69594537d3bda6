/**
 * Issue 19.5-7: inputs a user or an attacker controls that used to make the client spin, block or crash.
 * Each ends in bounded time with a clear sentence and its exit code, and every session opened is terminated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { BIN, keyEnv, recordOutput, runCli } from '../support/cli.js';
import { makeSpeechFixtures, openedPerTest, useTempDir } from '../support/e2e-files.js';

const run = promisify(execFile);

const open = openedPerTest<{ server: FakeServer }>();
const { f } = useTempDir('lt-hostile-', (t) => makeSpeechFixtures(t, { 'hello.wav': 'hello world' }));
const env = keyEnv;

/** A 16-bit mono WAV header claiming `rate`, followed by a second of silence at 16 kHz. */
function wavClaiming(rate: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + 32_000, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(Math.min(0xffffffff, rate * 2), 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(32_000, 40);
  return Buffer.concat([h, Buffer.alloc(32_000)]);
}

describe('a WAV header claiming 4 GHz (issue 19.5)', () => {
  it('is refused before connecting: exit 2, what is wrong with the file', async () => {
    open.server = await startFakeServer();
    const file = f('fast.wav');
    await writeFile(file, wavClaiming(4_000_000_000));
    const cli = runCli(['--api-host', open.server.url, '-i', file], env());
    expect(await cli.exit(15_000)).toBe(2);
    expect(cli.stderr()).toMatch(/error: .*fast\.wav is not a valid WAV file: the header says its sample rate is 4000000000 Hz, above 768000 Hz/);
    expect(open.server.sessions).toHaveLength(0);
  });
});

describe('-o naming a FIFO (issue 19.6)', () => {
  it('with no reader (and --append): a clear error, the session terminated, no hang', async () => {
    open.server = await startFakeServer();
    const fifo = f('nobody.txt');
    await run('mkfifo', [fifo]);
    const cli = runCli(['--api-host', open.server.url, '-i', f('hello.wav'), '-o', fifo, '--append'], env());
    expect(await cli.exit(20_000), cli.stderr()).toBe(2);
    expect(cli.stderr()).toMatch(/error: --output .*nobody\.txt is a FIFO that no program reads\n\s+start the program that reads it first/);
    for (let i = 0; i < open.server.sessions.length; i++) expect((await open.server.waitForSessionClosed(i)).terminated).toBe(true);
  });

  it('with a reader: the transcript goes through it', async () => {
    open.server = await startFakeServer();
    const fifo = f('reader.txt');
    await run('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let got = '';
    reader.stdout.on('data', (d: Buffer) => (got += d.toString()));
    const closed = new Promise((r) => reader.on('close', r));
    const cli = runCli(['--api-host', open.server.url, '-i', f('hello.wav'), '-o', fifo, '--append'], env());
    expect(await cli.exit(20_000), cli.stderr()).toBe(0);
    await closed;
    expect(got).toBe('Hello world.\n');
  });
});

describe('proxy credentials with a broken % escape (issue 19.7)', () => {
  let proxy: Server;
  let accepted = 0;
  beforeAll(async () => {
    proxy = createServer((s) => {
      accepted += 1;
      s.destroy();
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => proxy.close(r));
  });

  it.each([
    ['a proxy that is up', () => (proxy.address() as { port: number }).port],
    ['a proxy that is down', () => 9],
  ])('%s: a clear usage error, exit 2, no stack trace, no connection', async (_name, port) => {
    open.server = await startFakeServer();
    const cli = runCli(['--api-host', open.server.url, '-i', f('hello.wav')], env({ HTTPS_PROXY: `http://u:p%zz@127.0.0.1:${port()}` }));
    expect(await cli.exit(15_000), cli.stderr()).toBe(2);
    expect(cli.stderr()).toMatch(/error: HTTPS_PROXY has a user name or password with a broken % escape\n\s+in a proxy URL, % starts/);
    expect(cli.stderr()).not.toMatch(/Unhandled|at .*\.js:\d+|p%zz/);
    expect(accepted).toBe(0);
    expect(open.server.sessions).toHaveLength(0);
  });
});

describe('smaller faults (issue 19.8)', () => {
  it('a TLS certificate that fails verification is not retried: exit 1 at once, said', async () => {
    // A self-signed certificate (test/fixtures/tls): the client does not trust it.
    const tlsDir = fileURLToPath(new URL('../fixtures/tls/', import.meta.url));
    open.server = await startFakeServer({
      tls: { cert: await readFile(path.join(tlsDir, 'localhost-cert.pem')), key: await readFile(path.join(tlsDir, 'localhost-key.pem')) },
    });
    const cli = runCli(['--api-host', open.server.url, '-i', f('hello.wav')], env());
    expect(await cli.exit(20_000), cli.stderr()).toBe(1);
    expect(cli.stderr()).toMatch(/error: the TLS certificate of \S+ could not be verified \(/);
    expect(cli.stderr()).not.toMatch(/trying again|retrying|reconnecting/i);
  });

  it('a message over 32 MiB from the service: a clear error, exit 1, not retried, the session ended', async () => {
    open.server = await startFakeServer();
    const silence = f('silence.wav');
    await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', silence, 'trim', '0', '20']);
    const cli = runCli(['--api-host', open.server.url, '-i', silence], env());
    await open.server.waitFor((ss) => (ss[0]?.id ?? '') !== '', 15_000);
    const words = 'word '.repeat(7 * 1024 * 1024);
    open.server.sendTurn(0, {
      type: 'Turn',
      turn_order: 0,
      turn_is_formatted: false,
      end_of_turn: false,
      transcript: words,
      end_of_turn_confidence: 0,
      words: [],
      utterance: '',
    });
    expect(await cli.exit(20_000), cli.stderr()).toBe(1);
    expect(cli.stderr()).toMatch(/error: \S+ sent a message larger than 32 MiB/);
    expect(cli.stderr()).not.toMatch(/trying again|retrying|reconnecting/i);
    expect(open.server.sessions).toHaveLength(1);
    expect((await open.server.waitForSessionClosed(0)).closed).toBe(true);
  });
});

describe('refused before a session is opened (issue 19.8)', () => {
  it('-o a symbolic link to nothing: exit 2, said, no session', async () => {
    open.server = await startFakeServer();
    const link = f('dangling.txt');
    await run('ln', ['-s', f('missing/target.txt'), link]);
    const cli = runCli(['--api-host', open.server.url, '-i', f('hello.wav'), '-o', link], env());
    expect(await cli.exit(15_000)).toBe(2);
    expect(cli.stderr()).toMatch(/error: --output .*dangling\.txt is a symbolic link to a file that does not exist/);
    expect(open.server.sessions).toHaveLength(0);
  });

  it('-i <(cmd): a pipe, pointed to -i -, not "is empty"', async () => {
    open.server = await startFakeServer();
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-c', `"$NODE" "$BIN" --api-host ${open.server!.url} -i <(cat "${f('hello.wav')}")`], {
        env: { ...env(), NODE: process.execPath, BIN },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      recordOutput('stderr of -i <(cat)', () => stderr);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /error: --input \/dev\/fd\/\d+ is a pipe, not a file\n\s+send the audio to standard input instead: cmd \| live-transcribe -i -/,
    );
    expect(open.server.sessions).toHaveLength(0);
  });
});

describe('a valid WAV with over 1 MiB of metadata before its audio (issue 19.8)', () => {
  it('is read (through SoX), not refused', async () => {
    open.server = await startFakeServer();
    const plain = await readFile(f('hello.wav'));
    // The plain header is RIFF(12) + fmt (8 + 16) + data: a 2 MiB LIST chunk goes between fmt and data.
    const fmtEnd = 12 + 8 + plain.readUInt32LE(16);
    const list = Buffer.alloc(8 + 2 * 1024 * 1024);
    list.write('LIST', 0, 'latin1');
    list.writeUInt32LE(list.length - 8, 4);
    const big = Buffer.concat([plain.subarray(0, fmtEnd), list, plain.subarray(fmtEnd)]);
    big.writeUInt32LE(big.length - 8, 4);
    const file = f('tagged.wav');
    await writeFile(file, big);
    const cli = runCli(['--api-host', open.server.url, '-i', file], env());
    expect(await cli.exit(20_000), cli.stderr()).toBe(0);
    expect(cli.stdout()).toBe('Hello world.\n');
  });
});
