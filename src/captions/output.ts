/**
 * The captions output (issue 20): the one function a run calls to serve the page. It binds the address before
 * any session is opened (a port in use is an error there), prints the page's whole URL, and is then fed the
 * run's transcript events, like every other output; closing it tells the pages the run ended.
 */
import { homedir, networkInterfaces } from 'node:os';
import { formatCaptionsUrl, formatCaptionsViewerDropped } from '../render/captions-messages.js';
import type { TranscriptEvent } from '../transcript/records.js';
import { browsableHost, isLoopbackHost, type CaptionsAddress } from './address.js';
import { createFeed } from './feed.js';
import { startCaptionsServer } from './server.js';
import { captionsTokenPath, loadOrCreateToken, type Env } from './token.js';

export interface CaptionsOutput {
  /** The page's whole address, with the token when one is needed. */
  readonly url: string;
  write(event: TranscriptEvent): void;
  /** The run ended: the pages say so and keep their text; the server closes at once. */
  close(): void;
}

export interface CaptionsContext {
  env: Env;
  platform: string;
  /** Writes a line on stderr, also with --quiet (the URL is what the flag asked for). */
  print: (text: string) => void;
  warn: (line: string) => void;
}

/** For 0.0.0.0 / ::, the address a phone on the network would open (this computer's first external IPv4). */
function hostForUrl(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return browsableHost(host);
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return browsableHost(host);
}

/** Binds, prints `captions: http://...`, and returns the output. Throws AppError (exit 2) when it cannot bind. */
export async function openCaptionsOutput(address: CaptionsAddress, c: CaptionsContext): Promise<CaptionsOutput> {
  const needsToken = !isLoopbackHost(address.host);
  const home = c.env.HOME !== undefined && c.env.HOME !== '' ? c.env.HOME : homedir();
  const token = needsToken ? await loadOrCreateToken(captionsTokenPath(c.env, c.platform, home)) : undefined;
  const feed = createFeed();
  const server = await startCaptionsServer({ address, token, feed, onDropped: (bytes) => c.warn(formatCaptionsViewerDropped(bytes)) });
  const url = `http://${hostForUrl(address.host)}:${server.port}/${token === undefined ? '' : `?token=${token}`}`;
  c.print(formatCaptionsUrl(url));
  let lastError: string | undefined;
  return {
    url,
    write(event) {
      if (event.type === 'error') lastError = event.message;
      const added = feed.add(event);
      if (added !== undefined) server.send(added.message, added.seq);
    },
    close() {
      // A run that ends without a word said (exit 5) or stopped by a second Ctrl+C (130) ended, not failed.
      const ended = feed.end(lastError === undefined, lastError);
      if (ended !== undefined) server.send(ended.message, ended.seq);
      server.close();
    },
  };
}
