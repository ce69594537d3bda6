/**
 * The HTTP proxy for the WebSocket (and doctor's token check), from the environment, as curl and other
 * command-line tools read it (issue 11, item 14):
 *
 * - `https_proxy` / `HTTPS_PROXY`, else `all_proxy` / `ALL_PROXY` (lower case first; empty counts as unset),
 *   for wss:// and ws:// alike: the upgrade is tunnelled with CONNECT either way. `HTTP_PROXY` is not
 *   read: ws:// only ever goes to loopback, and CGI lets a request set HTTP_PROXY ("httpoxy").
 * - `no_proxy` / `NO_PROXY`: hosts reached directly (see noProxyCovers).
 * - http:// and https:// proxies; a scheme-less value is http://. Other schemes (socks5://) are refused.
 *
 * The proxy URL's user name and password are secrets: only `shown` (scheme, host, port) is ever printed.
 * https-proxy-agent is loaded only when a proxy is used.
 */
import type { Agent, ClientRequest } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { AppError, ErrorCode } from '../core/errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ProxyChoice {
  /** The proxy's URL, credentials included: never print it. */
  readonly url: URL;
  /** The variable it came from, e.g. "HTTPS_PROXY". */
  readonly variable: string;
  /** What may be shown: scheme://host:port, never the credentials. */
  readonly shown: string;
  readonly hasCredentials: boolean;
}

/** What the environment says for one target: a proxy, direct (and why), or a proxy setting refused. */
export type ProxyDecision =
  | { kind: 'proxy'; proxy: ProxyChoice }
  | { kind: 'direct'; reason: 'unset' | 'no-proxy'; noProxyVariable?: string }
  | { kind: 'invalid'; error: AppError };

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'] as const;
const NO_PROXY_VARIABLES = ['no_proxy', 'NO_PROXY'] as const;

function firstSet(env: Env, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}

/** The proxy for `target` (a ws://, wss:// or https:// URL) according to `env`. Pure. */
export function proxyFor(target: string, env: Env): ProxyDecision {
  const setting = firstSet(env, PROXY_VARIABLES);
  if (setting === undefined) return { kind: 'direct', reason: 'unset' };
  const url = new URL(target);
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  const noProxy = firstSet(env, NO_PROXY_VARIABLES);
  if (noProxy !== undefined && noProxyCovers(url.hostname, port, noProxy.value)) {
    return { kind: 'direct', reason: 'no-proxy', noProxyVariable: noProxy.name };
  }
  const variable = setting.name;
  let proxy: URL;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(setting.value) ? setting.value : `http://${setting.value}`);
  } catch {
    return {
      kind: 'invalid',
      error: new AppError(ErrorCode.usage, `${variable} is not a valid proxy URL`, { hint: 'e.g. export HTTPS_PROXY=http://proxy.example.com:3128' }),
    };
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    return {
      kind: 'invalid',
      error: new AppError(ErrorCode.usage, `${variable} names a ${proxy.protocol}// proxy: only http:// and https:// proxies are supported`, {
        hint: 'set HTTPS_PROXY to an HTTP proxy, e.g. http://proxy.example.com:3128',
      }),
    };
  }
  if (!decodable(proxy.username) || !decodable(proxy.password)) {
    // Issue 19.7: https-proxy-agent decodes them and throws, which read as an unreachable proxy, then crashed.
    return {
      kind: 'invalid',
      error: new AppError(ErrorCode.usage, `${variable} has a user name or password with a broken % escape`, {
        hint: 'in a proxy URL, % starts a two-digit hex code: write a % itself as %25, @ as %40, : as %3A',
      }),
    };
  }
  const shown = `${proxy.protocol}//${proxy.host}`;
  return { kind: 'proxy', proxy: { url: proxy, variable, shown, hasCredentials: proxy.username !== '' || proxy.password !== '' } };
}

/** Whether a URL part's % escapes are all valid (decodeURIComponent would not throw). */
function decodable(part: string): boolean {
  try {
    decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a NO_PROXY list covers host:port, as curl reads it: entries separated by commas or spaces;
 * `*` covers everything; `example.com`, `.example.com` and `*.example.com` cover the domain and its
 * subdomains; an IP address covers itself, `10.0.0.0/8` (or an IPv6 prefix) its network; `:port` limits
 * an entry to that port. Case does not matter. Pure.
 */
export function noProxyCovers(hostname: string, port: number, list: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  return list
    .split(/[\s,]+/)
    .filter((e) => e !== '')
    .some((raw) => entryCovers(host, port, raw.toLowerCase()));
}

function entryCovers(host: string, port: number, entry: string): boolean {
  if (entry === '*') return true;
  const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
  const name = (withPort?.[1] ?? entry).replace(/^\[(.*)\]$/, '$1');
  if (withPort?.[2] !== undefined && Number(withPort[2]) !== port) return false;
  const cidr = /^(.+)\/(\d{1,3})$/.exec(name);
  if (cidr?.[1] !== undefined && isIP(cidr[1]) !== 0 && isIP(host) !== 0) {
    const family = isIP(cidr[1]) === 4 ? 'ipv4' : 'ipv6';
    if (isIP(host) !== isIP(cidr[1])) return false;
    const list = new BlockList();
    list.addSubnet(cidr[1], Number(cidr[2]), family);
    return list.check(host, family);
  }
  const domain = name.replace(/^\*?\./, '').replace(/\.$/, '');
  if (domain === '') return false;
  return host === domain || (isIP(host) === 0 && host.endsWith(`.${domain}`));
}

/** The proxy as a sentence part: "http://proxy:3128 (from HTTPS_PROXY, with credentials, not shown)". */
export function describeProxy(p: ProxyChoice): string {
  return `${p.shown} (from ${p.variable}${p.hasCredentials ? ', with credentials, not shown' : ''})`;
}

/** A proxy's answer to CONNECT other than 200, as the error the run reports (never with the credentials). */
export function proxyRefusal(p: ProxyChoice, target: string, status: number, statusText: string): AppError {
  const said = `${status}${statusText === '' ? '' : ` ${statusText}`}`;
  const message = `the proxy ${p.shown} refused to connect to ${target}: ${said}`;
  if (status === 407) {
    const hint = p.hasCredentials
      ? `the proxy did not accept the user name and password in ${p.variable}: check them`
      : `the proxy wants a user name and password: put them in ${p.variable}, e.g. http://USER:PASSWORD@${p.url.host}`;
    return new AppError(ErrorCode.proxy, message, { hint });
  }
  if (status >= 500)
    return new AppError(ErrorCode.network, message, { hint: 'the proxy could not reach the service: check the network, or try again' });
  return new AppError(ErrorCode.proxy, message, {
    hint: `the proxy does not allow this connection: ask its administrator, or list the host in NO_PROXY if it can be reached directly`,
  });
}

function proxyUnreachable(p: ProxyChoice, err: Error): AppError {
  const code = (err as NodeJS.ErrnoException).code;
  return new AppError(ErrorCode.network, `cannot reach the proxy ${p.shown}${code === undefined ? '' : ` (${code})`}`, {
    hint: `check ${p.variable}, or unset it to connect directly`,
    cause: err,
  });
}

type ConnectOpts = Parameters<import('https-proxy-agent').HttpsProxyAgent<string>['connect']>[1];

/**
 * An agent that tunnels through the proxy with CONNECT. A refused CONNECT (407, 403...) rejects the
 * request with proxyRefusal's error, instead of https-proxy-agent's replay of the proxy's answer (which
 * would read as the service refusing the key); a proxy that cannot be reached, with proxyUnreachable's.
 */
export async function createProxyAgent(p: ProxyChoice): Promise<Agent> {
  const { HttpsProxyAgent } = await import('https-proxy-agent');
  class CheckedProxyAgent extends HttpsProxyAgent<string> {
    override async connect(req: ClientRequest, opts: ConnectOpts) {
      let refused: { statusCode: number; statusText: string } | undefined;
      req.once('proxyConnect', (c: { statusCode: number; statusText: string }) => {
        if (c.statusCode !== 200) refused = c;
      });
      let socket;
      try {
        socket = await super.connect(req, opts);
      } catch (err) {
        throw proxyUnreachable(p, err as Error);
      }
      if (refused !== undefined) {
        socket.destroy();
        throw proxyRefusal(p, `${opts.host ?? ''}:${opts.port}`, refused.statusCode, refused.statusText);
      }
      return socket;
    }
  }
  return new CheckedProxyAgent(p.url.href);
}

/** openSession's `agent` option for this endpoint: {} when no proxy applies; rejects on a refused setting. */
export async function sessionProxy(endpoint: string, env: Env): Promise<{ agent?: Agent }> {
  const decision = proxyFor(endpoint, env);
  if (decision.kind === 'invalid') throw decision.error;
  return decision.kind === 'proxy' ? { agent: await createProxyAgent(decision.proxy) } : {};
}
