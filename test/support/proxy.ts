/**
 * A TCP proxy on loopback between the client and the test double, for faults the double cannot play
 * itself: a link that goes silent (a blackhole: nothing forwarded either way, nothing closed).
 */
import { createServer, connect, type Socket } from 'node:net';

export interface Proxy {
  url: string;
  port: number;
  /** Stops forwarding on every open connection, without closing anything. */
  blackhole(): void;
  /** Connections made so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const pairs: { client: Socket; upstream: Socket; dead: boolean }[] = [];
  let connections = 0;
  const server = createServer((client) => {
    connections += 1;
    const upstream = connect(targetPort, '127.0.0.1');
    const pair = { client, upstream, dead: false };
    pairs.push(pair);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d) => {
      if (!pair.dead) upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (!pair.dead) client.write(d);
    });
    client.on('end', () => !pair.dead && upstream.end());
    upstream.on('end', () => !pair.dead && client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    blackhole() {
      for (const p of pairs) p.dead = true;
    },
    get connections() {
      return connections;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
