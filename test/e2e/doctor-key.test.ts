/**
 * doctor tries the key at the token endpoint without opening a session (issue 11, item 9), through the
 * real binary: accepted, refused, a --token, and through an HTTP proxy.
 */
import { describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { openedPerTest } from '../support/e2e-files.js';
import { keyEnv, runCli, SECOND_TEST_KEY } from '../support/cli.js';
import { makeNoSoxPath } from '../support/fake-sox.js';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js';

const env = keyEnv;
const open = openedPerTest<{ server: FakeServer; proxy: ConnectProxy }>();

describe('doctor tries the key at the token endpoint, without a session (item 9)', () => {
  const doctor = async (extra: Record<string, string>, args: string[] = []) => {
    const cli = runCli(['doctor', '--api-host', open.server!.url, ...args], env({ PATH: await makeNoSoxPath(), ...extra }));
    await cli.exit(30_000);
    return cli;
  };

  it('accepted, refused; no session opened, never the key, no recording notice without SoX', async () => {
    open.server = await startFakeServer({ script: ['hello world'] });
    const good = await doctor({});
    expect(good.stdout()).toMatch(/ok +API key +set in ASSEMBLYAI_API_KEY, 13 characters \(not shown\).*; accepted by the service/);
    expect(good.stdout()).toMatch(/ok +proxy +none \(HTTPS_PROXY is not set\)/);
    expect(good.stderr()).not.toMatch(/Recording 1 s/);
    const bad = await doctor({ ASSEMBLYAI_API_KEY: SECOND_TEST_KEY });
    expect(bad.stdout()).toMatch(
      /problem +API key +set in ASSEMBLYAI_API_KEY, \d+ characters \(not shown\).*; refused by the service \(HTTP 401: Invalid API key\)/,
    );
    expect(bad.stdout()).toMatch(/problems: .*API key/);
    expect(open.server.sessions).toHaveLength(0);
  });

  it('a --token: says what doctor can tell, and does not use it', async () => {
    open.server = await startFakeServer({ script: ['hello world'], tokens: ['AQI-doctor-test-token'] });
    const cli = await doctor({ ASSEMBLYAI_API_KEY: '' }, ['--token', 'AQI-doctor-test-token']);
    expect(cli.stdout()).toMatch(/ok +API key +given with --token, 21 characters \(not shown\), the usual form; not tried/);
    expect(cli.stdout()).not.toContain('AQI-doctor-test-token');
    expect(open.server.sessions).toHaveLength(0);
  });

  it('through HTTPS_PROXY: names the proxy and asks for the token through it; a 407 proxy is the problem', async () => {
    open.server = await startFakeServer({ script: ['hello world'] });
    open.proxy = await startConnectProxy();
    const through = await doctor({ HTTPS_PROXY: open.proxy.url });
    expect(through.stdout()).toMatch(
      new RegExp(`ok +proxy +http://127\\.0\\.0\\.1:${open.proxy.port} \\(from HTTPS_PROXY\\) for 127\\.0\\.0\\.1: the checks below go through it`),
    );
    expect(through.stdout()).toMatch(/ok +API key .*accepted by the service/);
    expect(open.proxy.targets).toEqual([`127.0.0.1:${new URL(open.server.url).port}`]);
    await open.proxy.close();
    open.proxy = await startConnectProxy({ refuse: 407 });
    const refused = await doctor({ HTTPS_PROXY: open.proxy.url });
    expect(refused.stdout()).toMatch(
      /problem +API key .*could not reach http:\/\/127\.0\.0\.1:\d+\/v3\/token to check it: the proxy http:\/\/127\.0\.0\.1:\d+ refused to connect to .*407 Proxy Authentication Required/,
    );
    expect(refused.stdout()).toMatch(/fix: the proxy wants a user name and password: put them in HTTPS_PROXY/);
  });
});
