/**
 * Issue 19.2: the key and every minted token are scrubbed at the one place every output passes through. A
 * hostile service plants them in every text it can send (turn text, Error texts, close reasons, a refused
 * upgrade's body); none reaches stdout, stderr or the -o file, in any format.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFakeServer, type FakeServer, type FakeServerOptions } from '../support/fake-server.js';
import { makeSpeechWav } from '../support/audio.js';
import { cleanEnv, MINTED_TOKEN_PREFIX, runCli, TEST_KEY } from '../support/cli.js';
import { parseNdjsonStrict } from '../support/captions.js';
import { openedPerTest, useTempDir } from '../support/e2e-files.js';

const run = promisify(execFile);
let wav: string;

const tmp = useTempDir('lt-secrets-', async (t) => {
  const speech = path.join(t.dir, 'speech.wav');
  await makeSpeechWav('hello world', speech);
  // Long enough for every planted fault to happen before the input ends.
  wav = path.join(t.dir, 'long.wav');
  await run('sox', [speech, wav, 'pad', '0', '12']);
});
const open = openedPerTest<{ server: FakeServer }>();

/**
 * Session 0 says the secret in its turn, then fails (1011, retried) with it in the Error text and the close
 * reason; session 1 is refused with it in the body; session 2 fails for good (1008) with it in both texts.
 */
function hostile(secret: (session: number) => string): FakeServerOptions['perSession'] {
  return (i) => {
    const s = secret(i);
    if (i === 0)
      return {
        script: [`my secret is ${s} ok`],
        errorAfter: { afterMs: 2500, code: 1011, message: `Internal Server Error: ${s}` },
        closeReason: `closing ${s}`,
      };
    if (i === 1) return { refuseUpgrade: 503, refuseUpgradeBody: { error: `down for ${s}`, detail: s } };
    return { errorAfter: { afterMs: 800, code: 1008, message: `Unauthorized Connection: ${s}` }, closeReason: s };
  };
}

async function runHostile(
  o: { env: Record<string, string>; args: string[]; perSession: FakeServerOptions['perSession']; tokens?: string[] },
  format: string,
  out: string,
) {
  open.server = await startFakeServer({ perSession: o.perSession, ...(o.tokens === undefined ? {} : { tokens: o.tokens }) });
  const file = tmp.f(out);
  const cli = runCli(
    ['--api-host', open.server.url, '-i', wav, '--format', format, '-o', file, '--force', '--reconnect-attempts', '3', ...o.args],
    o.env,
  );
  const code = await cli.exit(60_000);
  const written = await readFile(file, 'utf8').catch(() => '');
  return { code, stdout: cli.stdout(), stderr: cli.stderr(), file: written };
}

const FORMATS: [string, string][] = [
  ['json', 'out.ndjson'],
  ['text', 'out.txt'],
  ['srt', 'out.srt'],
];

describe('secrets planted in everything the service sends', () => {
  it.each(FORMATS)('the API key reaches neither stdout, stderr nor the -o file (%s)', async (format, out) => {
    const r = await runHostile({ env: cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }), args: [], perSession: hostile(() => TEST_KEY) }, format, out);
    expect(r.code, r.stderr).toBe(4);
    const all = `${r.stdout}\n${r.stderr}\n${r.file}`;
    expect(all).not.toContain(TEST_KEY);
    // The planted texts did arrive (scrubbed): the turn, and the final error.
    expect(r.file).toMatch(/My secret is \[redacted\] ok/);
    expect(r.stdout).toMatch(/My secret is \[redacted\] ok/);
    expect(r.stderr).toMatch(/\[redacted\]/);
    if (format === 'json') {
      const error = parseNdjsonStrict(r.stdout).find((e) => e.type === 'error');
      expect(error?.message).toMatch(/\[redacted\]/);
    }
  });

  it('every token --token-command minted is scrubbed too, from the moment it is minted', async () => {
    const script = tmp.f('mint.sh');
    const count = tmp.f('count');
    // The script must not hold the token itself (the secret scan reads temp files): it prints it in two halves.
    const half = MINTED_TOKEN_PREFIX.slice(0, 6);
    await rm(count, { force: true });
    await writeFile(
      script,
      `#!/bin/sh\nn=$(cat "${count}" 2>/dev/null || echo 0)\nn=$((n+1))\necho "$n" > "${count}"\necho "${half}"'${MINTED_TOKEN_PREFIX.slice(half.length)}'"-$n"\n`,
      { mode: 0o755 },
    );
    const tokens = Array.from({ length: 6 }, (_, i) => `${MINTED_TOKEN_PREFIX}-${i + 1}`);
    // Each session plants the token it was opened with, and session 2 also the first one.
    const r = await runHostile(
      {
        env: cleanEnv(),
        args: ['--token-command', script],
        perSession: hostile((i) => (i === 2 ? `${tokens[2]} ${tokens[0]}` : tokens[i]!)),
        tokens,
      },
      'json',
      'tokens.ndjson',
    );
    expect(r.code, r.stderr).toBe(4);
    expect(open.server!.sessions.map((s) => s.query.token)).toEqual(tokens.slice(0, 3));
    expect(`${r.stdout}\n${r.stderr}\n${r.file}`).not.toContain(MINTED_TOKEN_PREFIX);
    expect(r.file).toMatch(/My secret is \[redacted\] ok/);
    expect(r.stderr).toMatch(/\[redacted\]/);
  });
});
