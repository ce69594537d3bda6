/**
 * The WebSocket through an HTTP proxy (issue 11, item 14), through the real binary: HTTPS_PROXY used,
 * NO_PROXY honoured, a proxy that wants credentials or forbids the tunnel named as such, socks refused.
 */
import { describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { makeSpeechFixtures, openedPerTest, useTempDir } from '../support/e2e-files.js';
import { keyEnv, runCli } from '../support/cli.js';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js';

const { f } = useTempDir('lt-proxies-', (t) => makeSpeechFixtures(t, { 'hello.wav': 'hello world' }));
const env = keyEnv;
const open = openedPerTest<{ server: FakeServer; proxy: ConnectProxy }>();

describe('proxies: HTTPS_PROXY and NO_PROXY for the WebSocket (item 14)', () => {
  it('with HTTPS_PROXY the session goes through the proxy and the transcript arrives', async () => {
    open.server = await startFakeServer({ script: ['hello world'] });
    open.proxy = await startConnectProxy();
    const cli = runCli(['--api-host', open.server.url, '-i', f('hello.wav')], env({ HTTPS_PROXY: open.proxy.url }));
    expect(await cli.exit(30_000)).toBe(0);
    expect(cli.stdout()).toBe('Hello world.\n');
    const port = new URL(open.server.url).port;
    expect(open.proxy.targets).toEqual([`127.0.0.1:${port}`]);
    expect(open.server.sessions).toHaveLength(1);
  });

  it('with NO_PROXY covering the host the proxy is not used', async () => {
    open.server = await startFakeServer({ script: ['hello world'] });
    open.proxy = await startConnectProxy();
    const cli = runCli(
      ['--api-host', open.server.url, '-i', f('hello.wav')],
      env({ https_proxy: open.proxy.url, NO_PROXY: 'example.com,127.0.0.1' }),
    );
    expect(await cli.exit(30_000)).toBe(0);
    expect(cli.stdout()).toBe('Hello world.\n');
    expect(open.proxy.targets).toEqual([]);
  });

  it('a proxy that wants credentials (407): a clear error, exit 1, not retried, the credentials never shown', async () => {
    open.server = await startFakeServer({ script: ['hello world'] });
    open.proxy = await startConnectProxy({ refuse: 407 });
    const proxyUrl = `http://alice:pw-never-shown@127.0.0.1:${open.proxy.port}`;
    const cli = runCli(['--api-host', open.server.url, '-i', f('hello.wav')], env({ HTTPS_PROXY: proxyUrl }));
    expect(await cli.exit(30_000)).toBe(1);
    const err = cli.stderr();
    expect(err).toContain(
      `the proxy http://127.0.0.1:${open.proxy.port} refused to connect to 127.0.0.1:${new URL(open.server.url).port}: 407 Proxy Authentication Required`,
    );
    expect(err).toContain('did not accept the user name and password in HTTPS_PROXY');
    expect(err + cli.stdout()).not.toMatch(/alice|pw-never-shown/);
    expect(open.proxy.authorizations).toEqual([`Basic ${Buffer.from('alice:pw-never-shown').toString('base64')}`]);
    expect(open.server.sessions).toHaveLength(0);
  });

  it('a proxy that forbids the tunnel (403) is not taken for the service refusing the key', async () => {
    open.server = await startFakeServer({ script: ['hello world'] });
    open.proxy = await startConnectProxy({ refuse: 403 });
    const cli = runCli(['--api-host', open.server.url, '-i', f('hello.wav'), '--format', 'json'], env({ HTTPS_PROXY: open.proxy.url }));
    expect(await cli.exit(30_000)).toBe(1);
    expect(cli.stderr()).toMatch(/the proxy http:\/\/127\.0\.0\.1:\d+ refused to connect to .*: 403 Forbidden/);
    expect(cli.stderr()).not.toMatch(/API key/i);
    expect(cli.stdout()).toMatch(/"code":"E_PROXY"/);
    expect(open.proxy.targets).toHaveLength(1);
  });

  it('a socks ALL_PROXY is refused with exit 2, before any connection', async () => {
    open.server = await startFakeServer({ script: ['hello world'] });
    const cli = runCli(['--api-host', open.server.url, '-i', f('hello.wav')], env({ ALL_PROXY: 'socks5://127.0.0.1:1080' }));
    expect(await cli.exit(30_000)).toBe(2);
    expect(cli.stderr()).toContain('ALL_PROXY names a socks5:// proxy: only http:// and https:// proxies are supported');
    expect(open.server.sessions).toHaveLength(0);
  });
});
