/**
 * The address the captions page is served on (issue 20): HOST:PORT, :PORT or PORT; without one, loopback on a
 * fixed port, so that a browser source set up once keeps working from run to run; port 0 picks a free one. Pure.
 */
import { isIP } from 'node:net';
import { UsageError } from '../core/errors.js';
import { CAPTIONS_REFUSALS } from '../render/captions-messages.js';

export const DEFAULT_CAPTIONS_HOST = '127.0.0.1';
export const DEFAULT_CAPTIONS_PORT = 8777;

export interface CaptionsAddress {
  /** An IP address or a host name, without brackets. */
  host: string;
  /** 0: a free port, chosen when bound. */
  port: number;
}

function refuse(r: { message: string; hint?: string }): never {
  throw new UsageError(r.message, r.hint);
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text)) refuse(CAPTIONS_REFUSALS.portBad(text));
  const port = Number(text);
  if (port > 65535) refuse(CAPTIONS_REFUSALS.portBad(text));
  return port;
}

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** `true` (the flag without a value) or undefined-free text -> where to listen. Throws UsageError (exit 2). */
export function parseCaptionsAddress(value: string | true): CaptionsAddress {
  if (value === true) return { host: DEFAULT_CAPTIONS_HOST, port: DEFAULT_CAPTIONS_PORT };
  const text = value.trim();
  if (text === '') refuse(CAPTIONS_REFUSALS.addressEmpty);
  if (/^\d+$/.test(text)) return { host: DEFAULT_CAPTIONS_HOST, port: parsePort(text) };
  const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(text);
  if (bracketed !== null) {
    const [, host = '', port = ''] = bracketed;
    if (isIP(host) !== 6) refuse(CAPTIONS_REFUSALS.addressBad(value));
    return { host, port: parsePort(port) };
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0 || text.indexOf(':') !== colon) refuse(CAPTIONS_REFUSALS.addressBad(value));
  const host = text.slice(0, colon);
  const port = parsePort(text.slice(colon + 1));
  if (host === '') return { host: DEFAULT_CAPTIONS_HOST, port };
  if (isIP(host) === 0 && !HOST_NAME.test(host)) refuse(CAPTIONS_REFUSALS.addressBad(value));
  return { host, port };
}

/** A name or address that can only mean this computer: 127.0.0.0/8, ::1, localhost (and *.localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return mapped !== null && (mapped[1] ?? '').startsWith('127.');
}

/** The host part of a URL: IPv6 in brackets. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** `HOST:PORT` as the user writes it (for messages). */
export function formatHostPort(a: CaptionsAddress): string {
  return `${urlHost(a.host)}:${a.port}`;
}

/**
 * The host a browser should open: the address bound, or for 0.0.0.0 / :: (every address) this computer's
 * loopback name, which always works here (the token is in the URL all the same, for another device).
 */
export function browsableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return urlHost(host);
}
