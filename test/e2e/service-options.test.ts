/**
 * Today's service (issue 12, docs/service.md#connecting) through the real binary and the double: the model-specific
 * options, tokens per session, the sample-rate range, --help and the server messages a client must take in its
 * stride. Models, languages and speakers are in service.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { rm, writeFile } from 'node:fs/promises';
import { cleanEnv, runCli } from '../support/cli.js';
import { parseNdjsonStrict } from '../support/captions.js';
import { turnsOf, useThreeTurns } from '../support/three-turns.js';

type Json = Record<string, unknown>;
const { f, transcribe, transcribe1, refused } = useThreeTurns('lt-service-');

describe('the model-specific options', () => {
  it('are sent as docs/service.md says on a model that has them', async () => {
    await writeFile(f('terms.txt'), 'Kubernetes\n# a comment\n\nAssemblyAI\n');
    const r = await transcribe1({}, [
      '--speech-model',
      'universal-3-6-pro',
      '--prompt',
      'a meeting',
      '--mode',
      'max_accuracy',
      '--vad-threshold',
      '0.3',
      '--voice-focus',
      'far-field',
      '--redact-pii',
      'person_name, phone_number',
      '--redact-pii-sub',
      'hash',
      '--filter-profanity',
      '--keyterms',
      'Vitest',
      '--keyterms-file',
      f('terms.txt'),
    ]);
    expect(r.code).toBe(0);
    expect(r.sessions[0]!.query).toMatchObject({
      prompt: 'a meeting',
      mode: 'max_accuracy',
      vad_threshold: '0.3',
      voice_focus: 'far-field',
      redact_pii: 'true',
      redact_pii_policies: 'person_name,phone_number',
      redact_pii_sub: 'hash',
      filter_profanity: 'true',
      keyterms_prompt: '["Vitest","Kubernetes","AssemblyAI"]',
    });
  });

  it.each([
    [['--prompt', 'a meeting'], /--prompt is not available on universal-streaming-english/],
    [['--speech-model', 'universal-3-6-pro', '--mode', 'fast'], /unknown --mode "fast"/],
    [['--voice-focus', 'near-field'], /--voice-focus is not available on universal-streaming-english/],
    [['--speech-model', 'universal-3-6-pro', '--redact-pii-sub', 'hash'], /--redact-pii-sub needs --redact-pii/],
    [['--speech-model', 'universal-3-6-pro', '--vad-threshold', '2'], /--vad-threshold must be a number from 0 to 1/],
    [['--speaker-labels', '--max-speakers', '11'], /--max-speakers must be between 1 and 10/],
    [['--max-speakers', '2'], /--max-speakers needs --speaker-labels/],
    [['--speech-model', 'universal-3-6-pro', '--prompt', 'x'.repeat(1751)], /--prompt has 1751 characters; the service takes at most 1750/],
    [['--keyterms-file', '/nonexistent/terms.txt'], /cannot read --keyterms-file \/nonexistent\/terms.txt: no such file/],
    [['--sample-rate', '150000'], /--sample-rate must be between 8000 and 96000 Hz/],
  ])('refuses %j before connecting', async (args, message) => {
    const r = await refused(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

/** A --token-command script: prints tok-1, tok-2, ... one per run, counting in a file. */
async function tokenScript(): Promise<string> {
  const script = f('mint.sh');
  await writeFile(script, `#!/bin/sh\nn=$(cat "${f('count')}" 2>/dev/null || echo 0)\nn=$((n+1))\necho "$n" > "${f('count')}"\necho "  tok-$n  "\n`, {
    mode: 0o755,
  });
  await rm(f('count'), { force: true });
  return script;
}
const TOKENS = Array.from({ length: 20 }, (_, i) => `tok-${i + 1}`);
const tokenEnv = (): Record<string, string> => cleanEnv();

describe('tokens', () => {
  it('--token-command runs before each session: a reconnect gets a new token, none printed', async () => {
    const script = await tokenScript();
    const r = await transcribe(
      { tokens: TOKENS, singleUseTokens: true, perSession: (i) => (i === 0 ? { dropAfterMs: 1700 } : {}) },
      ['--token-command', script, '--format', 'json'],
      tokenEnv(),
    );
    expect(r.code).toBe(0);
    expect(r.sessions.map((s) => s.query.token)).toEqual(['tok-1', 'tok-2']);
    expect(r.sessions.every((s) => s.authorized)).toBe(true);
    // The double's script starts again in each session: what matters is that both sessions transcribed.
    const turns = turnsOf(r.stdout);
    expect(new Set(turns.map((t) => t.session_id))).toEqual(new Set(r.sessions.map((s) => s.id)));
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/tok-\d/);
  });

  it('--token-command runs for a rollover too', async () => {
    const script = await tokenScript();
    // 5 s sessions: each gets past its 1.2 s Begin with room to hand over, even on a loaded machine.
    const r = await transcribe(
      { tokens: TOKENS, singleUseTokens: true, expiresInSeconds: 5 },
      ['--token-command', script, '--format', 'json'],
      tokenEnv(),
    );
    expect(r.code).toBe(0);
    expect(r.sessions.length).toBeGreaterThanOrEqual(2);
    expect(r.sessions.map((s) => s.query.token)).toEqual(TOKENS.slice(0, r.sessions.length));
    expect(r.sessions.every((s) => s.authorized)).toBe(true);
  });

  it('a failing --token-command is a clear error', async () => {
    const r = await transcribe1({ tokens: TOKENS }, ['--token-command', 'echo no token here >&2; exit 3'], tokenEnv());
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/error: --token-command failed: it exited with code 3 \(no token here\)/);
    expect(r.sessions).toHaveLength(0);
  });

  it('with a plain --token, a drop is not retried with the used token: finals written, the reason and the fix said', async () => {
    const r = await transcribe(
      { tokens: TOKENS, singleUseTokens: true, perSession: (i) => (i === 0 ? { dropAfterMs: 1700 } : {}) },
      ['--token', 'tok-1', '--format', 'json'],
      tokenEnv(),
    );
    expect(r.code).toBe(4);
    expect(r.sessions).toHaveLength(1);
    expect(r.stderr).toMatch(/error: the connection dropped, and a new session needs a new temporary token/);
    expect(r.stderr).toMatch(/use --token-command CMD .* or an API key/);
    expect(turnsOf(r.stdout).length).toBeGreaterThanOrEqual(1);
  });

  it('with a plain --token, no rollover: the session is terminated in good order with every final written', async () => {
    const r = await transcribe({ tokens: TOKENS, singleUseTokens: true, expiresInSeconds: 4 }, ['--token', 'tok-1', '--format', 'json'], tokenEnv());
    expect(r.code).toBe(4);
    expect(r.sessions).toHaveLength(1);
    expect(r.sessions[0]!.terminated).toBe(true);
    expect(r.stderr).toMatch(/error: the session is reaching its time limit, and the next session needs a new temporary token/);
    const events = parseNdjsonStrict(r.stdout);
    expect(events.find((e) => e.type === 'termination')).toMatchObject({ reason: 'cannot-renew', sessions: 1 });
    expect(events.filter((e) => e.type === 'turn').length).toBeGreaterThanOrEqual(1);
  });

  it('key users reconnect as before', async () => {
    const r = await transcribe({ perSession: (i) => (i === 0 ? { dropAfterMs: 1700 } : {}) }, ['--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.sessions.length).toBeGreaterThanOrEqual(2);
  });
});

describe('--help', () => {
  it('lists the new flags and says what --inactivity-timeout really does', async () => {
    const cli = runCli(['--help', 'all'], cleanEnv());
    expect(await cli.exit(20_000)).toBe(0);
    const help = cli.stdout().replace(/\s+/g, ' ');
    for (const flag of [
      '--language',
      '--list-models',
      '--speaker-labels',
      '--max-speakers',
      '--prompt',
      '--mode',
      '--vad-threshold',
      '--voice-focus',
      '--redact-pii',
      '--redact-pii-sub',
      '--filter-profanity',
      '--keyterms-file',
      '--token-command',
    ]) {
      expect(help).toContain(`${flag} `);
    }
    expect(help).toMatch(
      /--inactivity-timeout <s> let the service end the session when no audio arrives for this long \(5-3600\); silence still counts as audio, so it fires only when the input stalls/,
    );
  });
});

describe('server messages', () => {
  it('SpeechStarted and Heartbeat are taken in stride on a u3 model', async () => {
    const r = await transcribe({ heartbeatAlways: true, heartbeatIntervalMs: 200 }, ['--speech-model', 'universal-3-6-pro']);
    expect(r.code).toBe(0);
    const sent = r.sessions[0]!.sentMessages.map((m) => (m as Json).type);
    expect(sent).toContain('SpeechStarted');
    expect(sent).toContain('Heartbeat');
    expect(r.stdout).toBe('Hello world.\nGood morning everyone.\nThe quick brown fox.\n');
  });

  it.each([
    [1009, /the service refused a message over its 128 KB limit/],
    [3006, /the service refused the request/],
  ])('close %i is described in plain words', async (code, message) => {
    const r = await transcribe({ errorAfter: { afterMs: 300, code, message: 'details' } }, []);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it('close 1011 is an internal error of the service, and a new session is tried', async () => {
    const r = await transcribe1({ perSession: (i) => (i === 0 ? { errorAfter: { afterMs: 300, code: 1011, message: 'Internal error' } } : {}) }, []);
    expect(r.code).toBe(0);
    expect(r.sessions.length).toBeGreaterThanOrEqual(2);
    expect(r.stderr).toMatch(/the service hit an internal error/);
  });
});
