/**
 * Where the pre-recorded API lives (docs/service.md#pre-recorded-hosts-and-authentication), from the streaming endpoint the run uses: the default
 * streaming host -> https://api.assemblyai.com, the EU streaming host -> https://api.eu.assemblyai.com, and any
 * other (custom --api-host) URL -> that same host and port, so one test double serves every endpoint.
 */
const KNOWN: Readonly<Record<string, string>> = {
  'streaming.assemblyai.com': 'https://api.assemblyai.com',
  'streaming.us.assemblyai.com': 'https://api.assemblyai.com',
  'streaming.eu.assemblyai.com': 'https://api.eu.assemblyai.com',
};

/** The base URL (no trailing slash) of /v2/upload and /v2/transcript for a streaming endpoint like wss://host/v3/ws. */
export function prerecordedBaseUrl(streamingEndpoint: string): string {
  const url = new URL(streamingEndpoint);
  const known = KNOWN[url.host.toLowerCase()];
  if (known !== undefined) return known;
  const scheme = url.protocol === 'ws:' || url.protocol === 'http:' ? 'http:' : 'https:';
  return `${scheme}//${url.host}`;
}
