/**
 * The rest of the first minutes (issue 11, items 4, 9, 12, 14), through the real binary: no empty -o file
 * left by a failed run and unknown extensions refused, a mistyped or `help` subcommand, the whole
 * --api-host value in its refusal, doctor's key check, and the WebSocket through an HTTP proxy.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { makeSpeechWav } from '../support/audio.js';
import { cleanEnv, runCli, SECOND_TEST_KEY, TEST_KEY } from '../support/cli.js';
import { makeNoSoxPath } from '../support/fake-sox.js';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js';

let dir: string;
let hello: string;
let server: FakeServer | undefined;
let proxy: ConnectProxy | undefined;
const f = (name: string): string => path.join(dir, name);
const env = (extra: Record<string, string> = {}): Record<string, string> => cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, ...extra });
const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-first2-'));
  hello = f('hello.wav');
  await makeSpeechWav('hello world', hello);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await proxy?.close();
  proxy = undefined;
});

describe('proxies: HTTPS_PROXY and NO_PROXY for the WebSocket (item 14)', () => {
  it('with HTTPS_PROXY the session goes through the proxy and the transcript arrives', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    proxy = await startConnectProxy();
    const cli = runCli(['--api-host', server.url, '-i', hello], env({ HTTPS_PROXY: proxy.url }));
    expect(await cli.exit(30_000)).toBe(0);
    expect(cli.stdout()).toBe('Hello world.\n');
    const port = new URL(server.url).port;
    expect(proxy.targets).toEqual([`127.0.0.1:${port}`]);
    expect(server.sessions).toHaveLength(1);
  });

  it('with NO_PROXY covering the host the proxy is not used', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    proxy = await startConnectProxy();
    const cli = runCli(['--api-host', server.url, '-i', hello], env({ https_proxy: proxy.url, NO_PROXY: 'example.com,127.0.0.1' }));
    expect(await cli.exit(30_000)).toBe(0);
    expect(cli.stdout()).toBe('Hello world.\n');
    expect(proxy.targets).toEqual([]);
  });

  it('a proxy that wants credentials (407): a clear error, exit 1, not retried, the credentials never shown', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    proxy = await startConnectProxy({ refuse: 407 });
    const proxyUrl = `http://alice:pw-never-shown@127.0.0.1:${proxy.port}`;
    const cli = runCli(['--api-host', server.url, '-i', hello], env({ HTTPS_PROXY: proxyUrl }));
    expect(await cli.exit(30_000)).toBe(1);
    const err = cli.stderr();
    expect(err).toContain(`the proxy http://127.0.0.1:${proxy.port} refused to connect to 127.0.0.1:${new URL(server.url).port}: 407 Proxy Authentication Required`);
    expect(err).toContain('did not accept the user name and password in HTTPS_PROXY');
    expect(err + cli.stdout()).not.toMatch(/alice|pw-never-shown/);
    expect(proxy.authorizations).toEqual([`Basic ${Buffer.from('alice:pw-never-shown').toString('base64')}`]);
    expect(server.sessions).toHaveLength(0);
  });

  it('a proxy that forbids the tunnel (403) is not taken for the service refusing the key', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    proxy = await startConnectProxy({ refuse: 403 });
    const cli = runCli(['--api-host', server.url, '-i', hello, '--format', 'json'], env({ HTTPS_PROXY: proxy.url }));
    expect(await cli.exit(30_000)).toBe(1);
    expect(cli.stderr()).toMatch(/the proxy http:\/\/127\.0\.0\.1:\d+ refused to connect to .*: 403 Forbidden/);
    expect(cli.stderr()).not.toMatch(/API key/i);
    expect(cli.stdout()).toMatch(/"code":"E_PROXY"/);
    expect(proxy.targets).toHaveLength(1);
  });

  it('a socks ALL_PROXY is refused with exit 2, before any connection', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const cli = runCli(['--api-host', server.url, '-i', hello], env({ ALL_PROXY: 'socks5://127.0.0.1:1080' }));
    expect(await cli.exit(30_000)).toBe(2);
    expect(cli.stderr()).toContain('ALL_PROXY names a socks5:// proxy: only http:// and https:// proxies are supported');
    expect(server.sessions).toHaveLength(0);
  });
});

describe('-o FILE: nothing left behind by a failed run, unknown extensions refused (item 4)', () => {
  it('a run refused by the service leaves no file, so the retry is not refused', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const file = f('notes.txt');
    const failed = runCli(['--api-host', server.url, '-i', hello, '-o', file], env({ ASSEMBLYAI_API_KEY: SECOND_TEST_KEY }));
    expect(await failed.exit(30_000)).toBe(4);
    expect(await exists(file)).toBe(false);
    const retry = runCli(['--api-host', server.url, '-i', hello, '-o', file], env());
    expect(await retry.exit(30_000)).toBe(0);
    expect(await readFile(file, 'utf8')).toBe('Hello world.\n');
  });

  it('--force keeps the old file when the run fails before writing', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const file = f('kept.srt');
    await writeFile(file, 'old\n');
    const cli = runCli(['--api-host', server.url, '-i', hello, '-o', file, '--force'], env({ ASSEMBLYAI_API_KEY: SECOND_TEST_KEY }));
    expect(await cli.exit(30_000)).toBe(4);
    expect(await readFile(file, 'utf8')).toBe('old\n');
  });

  it('.docx or no extension: refused (exit 2) with the known ones, before connecting, and no file', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    for (const name of ['out.docx', 'out']) {
      const cli = runCli(['--api-host', server.url, '-i', hello, '-o', f(name)], env());
      expect(await cli.exit(30_000)).toBe(2);
      expect(cli.stderr()).toMatch(name === 'out' ? /has no extension to tell the format from/ : /unknown extension \.docx/);
      expect(cli.stderr()).toContain('.txt, .jsonl (or .ndjson), .srt or .vtt, or say the format with --format');
      expect(await exists(f(name))).toBe(false);
    }
    expect(server.sessions).toHaveLength(0);
  });

  it('with --format the unknown extension is written in that format, and stderr says so', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const file = f('captions.out');
    const cli = runCli(['--api-host', server.url, '-i', hello, '-o', file, '--format', 'srt'], env());
    expect(await cli.exit(30_000)).toBe(0);
    expect(cli.stderr()).toContain(`writing ${file} as srt (--format): its extension does not tell the format`);
    expect(await readFile(file, 'utf8')).toMatch(/^1\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}\nHello world\.\n/);
  });
});

describe('small messages (item 12)', () => {
  it.each([['doctr', 'doctor'], ['hlep', 'help'], ['docter', 'doctor']])('`live-transcribe %s` suggests %s, exit 2', async (word, suggestion) => {
    const cli = runCli([word], env());
    expect(await cli.exit()).toBe(2);
    expect(cli.stderr()).toBe(`error: unknown command '${word}'\n(Did you mean ${suggestion}?)\n  run live-transcribe --help for usage\n`);
  });

  it('`help all` and `help doctor` print the help, exit 0', async () => {
    const main = runCli(['help', 'all'], env());
    expect(await main.exit()).toBe(0);
    expect(main.stdout()).toMatch(/^Usage: live-transcribe \[options\]/);
    expect(main.stdout()).toMatch(/--api-host <host>/);
    expect(main.stderr()).toBe('');
    const doctor = runCli(['help', 'doctor'], env());
    expect(await doctor.exit()).toBe(0);
    expect(doctor.stdout()).toMatch(/^Usage: live-transcribe doctor/);
  });

  it('--api-host http://... shows the whole value, why, and the ws:// / wss:// alternative', async () => {
    const cli = runCli(['--api-host', 'http://127.0.0.1:1'], env());
    expect(await cli.exit()).toBe(2);
    expect(cli.stderr()).toContain('--api-host must be a host name or a ws:// or wss:// URL, got "http://127.0.0.1:1"');
    expect(cli.stderr()).toContain('http:// is not a WebSocket URL: try --api-host wss://127.0.0.1:1 (or ws://127.0.0.1:1 for a local server without TLS)');
  });
});

describe('doctor tries the key at the token endpoint, without a session (item 9)', () => {
  const doctor = async (extra: Record<string, string>, args: string[] = []) => {
    const cli = runCli(['doctor', '--api-host', server!.url, ...args], env({ PATH: await makeNoSoxPath(), ...extra }));
    await cli.exit(30_000);
    return cli;
  };

  it('accepted, refused; no session opened, never the key, no recording notice without SoX', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const good = await doctor({});
    expect(good.stdout()).toMatch(/ok +API key +set in ASSEMBLYAI_API_KEY, 13 characters \(not shown\).*; accepted by the service/);
    expect(good.stdout()).toMatch(/ok +proxy +none \(HTTPS_PROXY is not set\)/);
    expect(good.stderr()).not.toMatch(/Recording 1 s/);
    const bad = await doctor({ ASSEMBLYAI_API_KEY: SECOND_TEST_KEY });
    expect(bad.stdout()).toMatch(/problem +API key +set in ASSEMBLYAI_API_KEY, \d+ characters \(not shown\).*; refused by the service \(HTTP 401: Invalid API key\)/);
    expect(bad.stdout()).toMatch(/problems: .*API key/);
    expect(server.sessions).toHaveLength(0);
  });

  it('a --token: says what doctor can tell, and does not use it', async () => {
    server = await startFakeServer({ script: ['hello world'], tokens: ['AQI-doctor-test-token'] });
    const cli = await doctor({ ASSEMBLYAI_API_KEY: '' }, ['--token', 'AQI-doctor-test-token']);
    expect(cli.stdout()).toMatch(/ok +API key +given with --token, 21 characters \(not shown\), the usual form; not tried/);
    expect(cli.stdout()).not.toContain('AQI-doctor-test-token');
    expect(server.sessions).toHaveLength(0);
  });

  it('through HTTPS_PROXY: names the proxy and asks for the token through it; a 407 proxy is the problem', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    proxy = await startConnectProxy();
    const through = await doctor({ HTTPS_PROXY: proxy.url });
    expect(through.stdout()).toMatch(new RegExp(`ok +proxy +http://127\\.0\\.0\\.1:${proxy.port} \\(from HTTPS_PROXY\\) for 127\\.0\\.0\\.1: the checks below go through it`));
    expect(through.stdout()).toMatch(/ok +API key .*accepted by the service/);
    expect(proxy.targets).toEqual([`127.0.0.1:${new URL(server.url).port}`]);
    await proxy.close();
    proxy = await startConnectProxy({ refuse: 407 });
    const refused = await doctor({ HTTPS_PROXY: proxy.url });
    expect(refused.stdout()).toMatch(/problem +API key .*could not reach http:\/\/127\.0\.0\.1:\d+\/v3\/token to check it: the proxy http:\/\/127\.0\.0\.1:\d+ refused to connect to .*407 Proxy Authentication Required/);
    expect(refused.stdout()).toMatch(/fix: the proxy wants a user name and password: put them in HTTPS_PROXY/);
  });
});
