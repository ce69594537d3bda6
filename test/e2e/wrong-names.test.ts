/**
 * Issue 24.8, through the real binary: errors that name the right thing. A server without TLS given as a
 * bare host, a closed port, a device that does not exist, a folder or a non-WAV name, a refused token, a
 * failing token command, a bare word in the config file, and a flag given twice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { makeSpeechWav } from '../support/audio.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';

const pulseServer = inject('pulseServer');
let dir: string;
let hello: string;
let server: FakeServer | undefined;
let plain: Server | undefined;
const env = (extra: Record<string, string> = {}): Record<string, string> => cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, ...extra });
const f = (name: string): string => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-names-'));
  hello = f('hello.wav');
  await makeSpeechWav('hello world', hello);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
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
    const cli = runCli(['--api-host', `127.0.0.1:${port}`, '-i', hello], env());
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toBe(
      `error: 127.0.0.1:${port} does not speak TLS (it answered in plain text to a wss:// connection)\n` +
        `  for a local server without TLS use --api-host ws://127.0.0.1:${port}; the AssemblyAI service is wss:// only\n`,
    );
    expect(connections).toBe(1);
    expect(requests).toBe(0);
  });

  it('a closed port: the host and the cause', async () => {
    const cli = runCli(['--api-host', 'ws://127.0.0.1:1', '-i', hello], env());
    expect(await cli.exit(20_000)).toBe(1);
    expect(cli.stderr()).toContain('error: cannot connect to 127.0.0.1:1: connection refused');
    expect(cli.stderr()).not.toContain('the service refused');
  });
});

describe('credentials (issue 24.8)', () => {
  it('--token garbage: the token is named, not ASSEMBLYAI_API_KEY', async () => {
    server = await startFakeServer({ tokens: ['tok-real'] });
    const cli = runCli(['--api-host', server.url, '-i', hello, '--token', 'garbage'], cleanEnv());
    expect(await cli.exit(20_000)).toBe(4);
    expect(cli.stderr()).toContain('error: the service rejected the temporary token');
    expect(cli.stderr()).toContain('GET /v3/token');
    expect(cli.stderr()).not.toContain('ASSEMBLYAI_API_KEY');
  });

  it('--token-command false: the command failed, no session was opened, nothing about a rejection', async () => {
    server = await startFakeServer({ tokens: ['tok-real'] });
    const cli = runCli(['--api-host', server.url, '-i', hello, '--token-command', 'false'], cleanEnv());
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
    const cli = runCli(['-i', hello, '-o', out, '--api-host', 'ws://127.0.0.1:1'], env(), { cwd: dir });
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toBe(expected);
  });

  it('--save-audio out.mp3 is refused before anything is written', async () => {
    const cli = runCli(['-i', hello, '--save-audio', f('out.mp3'), '--api-host', 'ws://127.0.0.1:1'], env());
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toContain(`error: --save-audio writes WAV only, and ${f('out.mp3')} is not a .wav name`);
    expect(cli.stderr()).toContain(`name it ${f('out')}.wav`);
    expect(existsSync(f('out.mp3'))).toBe(false);
  });

  it('format = srt unquoted in the config file: "strings need quotes"', async () => {
    await writeFile(f('bare.toml'), 'format = srt\n');
    const cli = runCli(['-i', hello, '--config', f('bare.toml')], env());
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toContain(`error: ${f('bare.toml')} line 1 column 10: invalid value (strings need quotes: format = "srt")`);
  });
});

describe('a flag given twice (issue 24.8)', () => {
  it.each([
    [['--format', 'srt', '--format', 'vtt'], '--format was given twice (srt, then vtt): give it once'],
    [['-o', 'a.txt', '--output=b.srt'], '--output was given twice (a.txt, then b.srt): give it once'],
  ])('%j is refused', async (args, message) => {
    const cli = runCli(['-i', hello, ...args, '--api-host', 'ws://127.0.0.1:1'], env(), { cwd: dir });
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toContain(`error: ${message}\n`);
    expect(existsSync(f('a.txt')) || existsSync(f('b.srt'))).toBe(false);
  });
});

describe('a file as the argument (issue 24.3)', () => {
  it('live-transcribe FILE transcribes it like -i FILE', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const cli = runCli(['--api-host', server.url, hello], env());
    expect(await cli.exit(30_000)).toBe(0);
    expect(cli.stdout()).toBe('Hello world.\n');
    expect(server.sessions).toHaveLength(1);
  });

  it('a file given twice (argument and -i) is refused', async () => {
    const cli = runCli([hello, '-i', hello], env());
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toContain(`error: two inputs: ${hello} (the argument) and ${hello} (-i)`);
  });

  it.each([['-i'], []])('a URL (%j) says that URLs are not read, and how to get the file', async (...flag) => {
    const cli = runCli([...flag, 'https://example.com/rec/talk.wav?x=1'], env());
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toBe(
      "error: --input https://example.com/rec/talk.wav?x=1 is a URL, and URLs are not read\n  download it first, then: curl -L -o talk.wav 'https://example.com/rec/talk.wav?x=1' && live-transcribe -i talk.wav\n",
    );
  });
});
