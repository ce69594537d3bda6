/**
 * `doctor --captions [ADDRESS]` (issue 20): is the captions page's port free? Binds it for a moment, as a run
 * would, then lets it go.
 */
import { createServer } from 'node:net';
import type { DoctorCheck } from '../core/doctor-report.js';
import { formatCaptionsPortCheck } from '../render/captions-messages.js';
import { formatHostPort, type CaptionsAddress } from './address.js';

export function checkCaptionsPort(address: CaptionsAddress): Promise<DoctorCheck> {
  const where = formatHostPort(address);
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      resolve({ id: 'captions', name: 'captions', status: 'problem', ...formatCaptionsPortCheck(where, err.code ?? err.message) });
    });
    server.listen({ host: address.host, port: address.port, exclusive: true }, () => {
      server.close(() => resolve({ id: 'captions', name: 'captions', status: 'ok', ...formatCaptionsPortCheck(where) }));
    });
  });
}
