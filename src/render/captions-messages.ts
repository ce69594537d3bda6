/**
 * Every sentence of the captions page's server (issue 20) that the user reads on stderr (pure).
 */
import type { Refusal } from './usage-messages.js';

export const CAPTIONS_REFUSALS = {
  addressEmpty: {
    message: '--captions address is empty',
    hint: 'give HOST:PORT, :PORT or PORT (e.g. --captions 127.0.0.1:8777), or leave the value out for the default',
  },
  addressBad: (value: string): Refusal => ({
    message: `--captions address "${value}" is not HOST:PORT, :PORT or PORT`,
    hint: 'e.g. --captions 8777, --captions :8777, --captions 0.0.0.0:8777 (for a phone on the network) or --captions [::1]:8777',
  }),
  portBad: (value: string): Refusal => ({
    message: `--captions port "${value}" is not a port number from 0 to 65535`,
    hint: 'port 0 picks a free port',
  }),
} as const;

/** The one line at start: the page's whole address, ready to paste into a browser or OBS. */
export function formatCaptionsUrl(url: string): string {
  return `captions: ${url}\n`;
}

/** The port is taken: before any session is opened. */
export function formatCaptionsPortInUse(hostPort: string): Refusal {
  return {
    message: `cannot serve the captions page on ${hostPort}: the port is in use`,
    hint: 'stop what uses it (perhaps another live-transcribe), or choose another port: --captions :8778 (0 picks a free one)',
  };
}

/** The address cannot be bound here (not this machine's, or not allowed). */
export function formatCaptionsCannotBind(hostPort: string, reason: string): Refusal {
  return {
    message: `cannot serve the captions page on ${hostPort}: ${reason}`,
    hint: 'use an address of this computer (127.0.0.1 for this computer only, 0.0.0.0 for the network), or leave the address out',
  };
}

/** The token file could not be read or written. */
export function formatCaptionsTokenFailed(path: string, reason: string): Refusal {
  return {
    message: `cannot keep the captions token in ${path}: ${reason}`,
    hint: 'check that the folder can be written, or set XDG_STATE_HOME to another folder',
  };
}

/** A viewer that fell too far behind was dropped (its page reconnects and catches up by itself). */
export function formatCaptionsViewerDropped(bytes: number): string {
  return `captions: a viewer fell ${Math.round(bytes / 1024)} KiB behind and was dropped; its page reconnects and catches up by itself`;
}

/** doctor --captions: is the captions port free? `problem`: the error's code when it is not (EADDRINUSE...). */
export function formatCaptionsPortCheck(hostPort: string, problem?: string): { detail: string; fix?: string } {
  if (problem === undefined) return { detail: `${hostPort} is free` };
  if (problem === 'EADDRINUSE')
    return {
      detail: `${hostPort} is in use: live-transcribe --captions would fail`,
      fix: 'stop what uses it, or choose another port: --captions :8778',
    };
  return {
    detail: `cannot listen on ${hostPort} (${problem})`,
    fix: 'use an address of this computer: 127.0.0.1 (this computer only) or 0.0.0.0 (the network)',
  };
}
