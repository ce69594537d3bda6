/**
 * An HTTP CONNECT proxy on 127.0.0.1 for the proxy tests (issue 11, item 14): it tunnels each CONNECT to
 * the host:port asked for and records the targets and the Proxy-Authorization it was given; `refuse`
 * makes it answer every CONNECT with that status instead (407 with a Proxy-Authenticate challenge).
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface ConnectProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Every CONNECT target asked for, e.g. "127.0.0.1:45123", in order. */
  readonly targets: string[];
  /** The Proxy-Authorization header of each CONNECT ('' when absent). */
  readonly authorizations: string[];
  close(): Promise<void>;
}

export async function startConnectProxy(o: { refuse?: number } = {}): Promise<ConnectProxy> {
  const targets: string[] = [];
  const authorizations: string[] = [];
  const sockets = new Set<Socket | Duplex>();
  const track = (s: Socket | Duplex): void => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  };
  const server = createServer((_req, res) => {
    res.writeHead(405).end();
  });
  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    track(client);
    const target = req.url ?? '';
    targets.push(target);
    authorizations.push(req.headers['proxy-authorization'] ?? '');
    if (o.refuse !== undefined) {
      const challenge = o.refuse === 407 ? 'Proxy-Authenticate: Basic realm="test"\r\n' : '';
      client.end(`HTTP/1.1 ${o.refuse} ${o.refuse === 407 ? 'Proxy Authentication Required' : 'Forbidden'}\r\n${challenge}Content-Length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = [target.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1'), Number(/:(\d+)$/.exec(target)?.[1] ?? 443)];
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    targets,
    authorizations,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
