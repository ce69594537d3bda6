/**
 * Where the LLM Gateway is (docs/service.md#gateway-hosts), from the streaming endpoint (pure): the gateway's own
 * host for AssemblyAI's hosts, the EU one with the EU streaming host; with any other --api-host (a custom URL,
 * the test double) every endpoint the client uses is on that host, over http(s) for ws(s).
 */
export const GATEWAY_HOST = 'llm-gateway.assemblyai.com';
export const EU_GATEWAY_HOST = 'llm-gateway.eu.assemblyai.com';

export type GatewayRegion = 'us' | 'eu' | 'custom';

export interface GatewayLocation {
  /** The base URL without a trailing slash; endpoints are `${base}/v1/...`. */
  base: string;
  region: GatewayRegion;
}

/** `endpoint` is config's full streaming URL, e.g. wss://streaming.assemblyai.com/v3/ws. */
export function gatewayLocation(endpoint: string): GatewayLocation {
  const url = new URL(endpoint);
  const host = url.hostname.toLowerCase();
  if (host === 'assemblyai.com' || host.endsWith('.assemblyai.com')) {
    const eu = host.split('.').includes('eu');
    return { base: `https://${eu ? EU_GATEWAY_HOST : GATEWAY_HOST}`, region: eu ? 'eu' : 'us' };
  }
  const scheme = url.protocol === 'ws:' ? 'http:' : 'https:';
  return { base: `${scheme}//${url.host}`, region: 'custom' };
}
