import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { checkCaptionsPort } from '../../../src/captions/port-check.js';

describe('doctor --captions: the port check', () => {
  it('a free port is ok, and is free again after the check', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    expect(await checkCaptionsPort({ host: '127.0.0.1', port })).toEqual({
      id: 'captions',
      name: 'captions',
      status: 'ok',
      detail: `127.0.0.1:${port} is free`,
    });
    expect((await checkCaptionsPort({ host: '127.0.0.1', port })).status).toBe('ok');
  });

  it('a port in use is a problem, with what to do', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const check = await checkCaptionsPort({ host: '127.0.0.1', port });
      expect(check).toMatchObject({ status: 'problem', detail: `127.0.0.1:${port} is in use: live-transcribe --captions would fail` });
      expect(check.fix).toMatch(/--captions :8778/);
    } finally {
      taken.close();
    }
  });
});
