/**
 * A `fetch` for the gateway that honours the proxy settings the streaming connection honours (https_proxy,
 * all_proxy, no_proxy: streaming/proxy.ts): node's http(s) with the proxy's agent, answering a standard
 * `Response`. Without a proxy, the global fetch.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Agent } from 'node:http';
import { createProxyAgent, type ProxyChoice } from '../streaming/proxy.js';

/** fetch through `agent`: method, headers, a string body and an AbortSignal are all the gateway uses. */
export function agentFetch(agent: Agent): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const signal = init?.signal ?? undefined;
      const req = send(
        url,
        {
          method: init?.method ?? 'GET',
          headers: (init?.headers ?? {}) as Record<string, string>,
          agent,
          ...(signal === undefined ? {} : { signal }),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
            const status = res.statusCode ?? 502;
            resolve(
              new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers }),
            );
          });
        },
      );
      req.on('error', (err) => reject(Object.assign(new TypeError('fetch failed'), { cause: err })));
      if (typeof init?.body === 'string') req.write(init.body);
      req.end();
    });
}

/** The global fetch, or one through the proxy (its agent made on first use). */
export function fetchFor(proxy: ProxyChoice | undefined): typeof fetch {
  if (proxy === undefined) return fetch;
  let proxied: Promise<typeof fetch> | undefined;
  return async (input, init) => {
    proxied ??= createProxyAgent(proxy).then(agentFetch);
    return (await proxied)(input, init);
  };
}
