/**
 * Issue 24.8, through the real binary: errors that name the right thing. A server without TLS given as a
 * bare host, a closed port, a device that does not exist, a folder or a non-WAV name, a refused token, a
 * failing token command, a bare word in the config file, and a flag given twice.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { cleanEnv, keyEnv, runCli } from '../support/cli.js';
import { makeSpeechFixtures, useTempDir } from '../support/e2e-files.js';

const pulseServer = inject('pulseServer');
let server: FakeServer | undefined;
let plain: Server | undefined;
const tmp = useTempDir('lt-names-', (t) => makeSpeechFixtures(t, { 'hello.wav': 'hello world' }));
const { f } = tmp;
const env = keyEnv;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await new Promise<void>((done) => (plain === undefined ? done() : plain.close(() => done())));
  plain = undefined;
});

describe('the service host (issue 24.8)', () => {
  it('a plain-HTTP server named without a scheme: "does not speak TLS", ws:// suggested, no retries, exit 2', async () => {
    let requests = 0;
    plain = createServer((_req, res) => {
      requests++;
      res.end('hello');
    });
    // Count connections, not requests: a TLS ClientHello on a plain server is not an HTTP request.
    let connections = 0;
    plain.on('connection', () => connections++);
    await new Promise<void>((done) => plain?.listen(0, '127.0.0.1', done));
    const port = (plain.address() as AddressInfo).port;
    const cli = runCli(['--api-host', `127.0.0.1:${port}`, '-i', f('hello.wav')], env());
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toBe(
      `error: 127.0.0.1:${port} does not speak TLS (it answered in plain text to a wss:// connection)\n` +
        `  for a local server without TLS use --api-host ws://127.0.0.1:${port}; the AssemblyAI service is wss:// only\n`,
    );
    expect(connections).toBe(1);
    expect(requests).toBe(0);
  });

  it('a closed port: the host and the cause', async () => {
    const cli = runCli(['--api-host', 'ws://127.0.0.1:1', '-i', f('hello.wav')], env());
    expect(await cli.exit(20_000)).toBe(1);
    expect(cli.stderr()).toContain('error: cannot connect to 127.0.0.1:1: connection refused');
    expect(cli.stderr()).not.toContain('the service refused');
  });
});

describe('credentials (issue 24.8)', () => {
  it('--token garbage: the token is named, not ASSEMBLYAI_API_KEY', async () => {
    server = await startFakeServer({ tokens: ['tok-real'] });
    const cli = runCli(['--api-host', server.url, '-i', f('hello.wav'), '--token', 'garbage'], cleanEnv());
    expect(await cli.exit(20_000)).toBe(4);
    expect(cli.stderr()).toContain('error: the service rejected the temporary token');
    expect(cli.stderr()).toContain('GET /v3/token');
    expect(cli.stderr()).not.toContain('ASSEMBLYAI_API_KEY');
  });

  it('--token-command false: the command failed, no session was opened, nothing about a rejection', async () => {
    server = await startFakeServer({ tokens: ['tok-real'] });
    const cli = runCli(['--api-host', server.url, '-i', f('hello.wav'), '--token-command', 'false'], cleanEnv());
    expect(await cli.exit(20_000)).toBe(4);
    expect(cli.stderr()).toMatch(/^error: --token-command failed: it exited with code 1\n/);
    expect(cli.stderr()).not.toMatch(/reject/);
    expect(server.sessions).toHaveLength(0);
  });
});

describe('files and devices (issue 24.8)', () => {
  it('--device nosuchmic: no such device, and where the names are', async () => {
    server = await startFakeServer({});
    const cli = runCli(['--api-host', server.url, '--device', 'nosuchmic'], env({ PULSE_SERVER: pulseServer }));
    expect(await cli.exit(20_000)).toBe(3);
    expect(cli.stderr()).toContain('error: no such recording device: nosuchmic');
    expect(cli.stderr()).toContain('live-transcribe --list-devices');
    expect(cli.stderr()).not.toContain('no usable microphone');
  });

  it.each([
    ['.', 'error: --output . is a folder, not a file\n  name a file in it, e.g. -o ./transcript.txt\n'],
    ['..', 'error: --output .. is a folder, not a file\n  name a file in it, e.g. -o ../transcript.txt\n'],
  ])('-o %s is a folder', async (out, expected) => {
    const cli = runCli(['-i', f('hello.wav'), '-o', out, '--api-host', 'ws://127.0.0.1:1'], env(), { cwd: tmp.dir });
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toBe(expected);
  });

  it('--save-audio out.mp3 is refused before anything is written', async () => {
    const cli = runCli(['-i', f('hello.wav'), '--save-audio', f('out.mp3'), '--api-host', 'ws://127.0.0.1:1'], env());
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toContain(`error: --save-audio writes WAV only, and ${f('out.mp3')} is not a .wav name`);
    expect(cli.stderr()).toContain(`name it ${f('out')}.wav`);
    expect(existsSync(f('out.mp3'))).toBe(false);
  });

  it('format = srt unquoted in the config file: "strings need quotes"', async () => {
    await writeFile(f('bare.toml'), 'format = srt\n');
    const cli = runCli(['-i', f('hello.wav'), '--config', f('bare.toml')], env());
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toContain(`error: ${f('bare.toml')} line 1 column 10: invalid value (strings need quotes: format = "srt")`);
  });
});

describe('a flag given twice (issue 24.8)', () => {
  it.each([
    [['--format', 'srt', '--format', 'vtt'], '--format was given twice (srt, then vtt): give it once'],
    [['-o', 'a.txt', '--output=b.srt'], '--output was given twice (a.txt, then b.srt): give it once'],
  ])('%j is refused', async (args, message) => {
    const cli = runCli(['-i', f('hello.wav'), ...args, '--api-host', 'ws://127.0.0.1:1'], env(), { cwd: tmp.dir });
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toContain(`error: ${message}\n`);
    expect(existsSync(f('a.txt')) || existsSync(f('b.srt'))).toBe(false);
  });
});

describe('a file as the argument (issue 24.3)', () => {
  it('live-transcribe FILE transcribes it like -i FILE', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const cli = runCli(['--api-host', server.url, f('hello.wav')], env());
    expect(await cli.exit(30_000)).toBe(0);
    expect(cli.stdout()).toBe('Hello world.\n');
    expect(server.sessions).toHaveLength(1);
  });

  it('a file given twice (argument and -i) is refused', async () => {
    const cli = runCli([f('hello.wav'), '-i', f('hello.wav')], env());
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toContain(`error: two inputs: ${f('hello.wav')} (the argument) and ${f('hello.wav')} (-i)`);
  });

  it.each([['-i'], []])('a URL (%j) says that URLs are not read, and how to get the file', async (...flag) => {
    const cli = runCli([...flag, 'https://example.com/rec/talk.wav?x=1'], env());
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toBe(
      "error: --input https://example.com/rec/talk.wav?x=1 is a URL, and URLs are not read\n  download it first, then: curl -L -o talk.wav 'https://example.com/rec/talk.wav?x=1' && live-transcribe -i talk.wav\n",
    );
  });
});
