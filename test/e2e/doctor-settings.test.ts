/**
 * Issue 24.1 through the real binary: doctor checks the setup a run would use — the config file's key, host
 * and device, a --profile's host — says where each came from, and reports a bad file as a run does.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { cleanEnv, runCli } from '../support/cli.js';
import { makeNoSoxPath } from '../support/fake-sox.js';

// A key written into a config file is the user's choice; the suite's marker keys must never land in a file
// (the secret scan), so the file holds a key of its own, one the double accepts.
const FILE_KEY = 'file-key-doctor-0001';
let dir: string;
let server: FakeServer | undefined;
const f = (name: string): string => path.join(dir, name);

async function configFile(name: string, lines: string[]): Promise<string> {
  await writeFile(f(name), `${lines.join('\n')}\n`);
  await chmod(f(name), 0o600);
  return f(name);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-doctor-settings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('doctor diagnoses the setup the user runs (issue 24.1)', () => {
  // No ASSEMBLYAI_API_KEY: the key is only in the file. No SoX: the device is named, not recorded from.
  const env = async (): Promise<Record<string, string>> => cleanEnv({ PATH: await makeNoSoxPath(), HOME: dir });

  it('--config FILE: the key, host and device of the file, each with its origin; the key accepted at /v3/token', async () => {
    server = await startFakeServer({ script: ['hello world'], apiKeys: [FILE_KEY] });
    const file = await configFile('config.toml', [`api-key = "${FILE_KEY}"`, `api-host = "${server.url}"`, 'device = "usb-headset"']);
    const cli = runCli(['doctor', '--config', file], await env());
    expect(await cli.exit(30_000)).toBe(1); // SoX is missing: that is the one problem
    const out = cli.stdout();
    expect(out).toContain(`key: from ${file} line 1\n`);
    expect(out).toMatch(new RegExp(`host: ${server.url.replace(/[.:/]/g, '\\$&')}/v3/ws from ${file.replace(/[.:/]/g, '\\$&')} line 2`));
    expect(out).toContain(`device: usb-headset from ${file} line 3\n`);
    expect(out).toMatch(/ok +API key +set in .*config\.toml line 1, 20 characters \(not shown\).*; accepted by the service/);
    expect(out).not.toContain('ASSEMBLYAI_API_KEY is not set');
    expect(out).not.toContain('streaming.assemblyai.com');
    expect(out).not.toContain(FILE_KEY);
    expect(server.sessions).toHaveLength(0);
  });

  it("--profile NAME: the profile's host wins over the top level's", async () => {
    server = await startFakeServer({ script: ['hello world'], apiKeys: [FILE_KEY] });
    const file = await configFile('profiles.toml', [
      `api-key = "${FILE_KEY}"`,
      'api-host = "ws://127.0.0.1:1"',
      '',
      '[profiles.work]',
      `api-host = "${server.url}"`,
    ]);
    const cli = runCli(['doctor', '--config', file, '--profile', 'work'], await env());
    await cli.exit(30_000);
    expect(cli.stdout()).toContain(`/v3/ws from profile work in ${file} line 5\n`);
    expect(cli.stdout()).toMatch(/ok +API key .*accepted by the service/);
    expect(cli.stdout()).not.toContain('127.0.0.1:1:');
  });

  it('a bad config file: the same error and exit code as a run', async () => {
    const file = await configFile('bad.toml', [`api-key = "${FILE_KEY}"`, 'sample-rate = 12']);
    const doctor = runCli(['doctor', '--config', file], await env());
    const run = runCli(['--config', file, '-i', f('none.wav')], await env());
    expect(await doctor.exit(30_000)).toBe(2);
    expect(await run.exit(30_000)).toBe(2);
    expect(doctor.stderr()).toContain(`${file} line 2`);
    expect(doctor.stderr()).toBe(run.stderr());
    expect(doctor.stdout()).toBe('');
  });

  it('token-command in the file: named, not run, the key check skipped (not "no API key")', async () => {
    const file = await configFile('token.toml', ['api-host = "ws://127.0.0.1:1"', 'token-command = "./mint-token.sh"']);
    const cli = runCli(['doctor', '--config', file], await env());
    await cli.exit(30_000);
    expect(cli.stdout()).toContain(`token command: from ${file} line 2\n`);
    expect(cli.stdout()).toMatch(/skipped +API key +a token command \(.*token\.toml line 2\) gives a run its tokens; not run by doctor/);
    expect(cli.stdout()).not.toContain('no API key');
  });

  it('an unknown profile is refused as in a run', async () => {
    const file = await configFile('one.toml', ['[profiles.home]']);
    const doctor = runCli(['doctor', '--config', file, '--profile', 'wrok'], await env());
    expect(await doctor.exit(30_000)).toBe(2);
    expect(doctor.stderr()).toMatch(/wrok/);
  });
});
