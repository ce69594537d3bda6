/**
 * One HTTP(S) request with a JSON (or raw) body, a bounded time, and upload progress: what the pre-recorded
 * client needs from node:http, without a dependency. Never logs; the key travels in a header only.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body parsed as JSON, or its text when it is not JSON. */
  body: unknown;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Bytes sent so far, of the body's length (for an upload's progress). */
  onProgress?: (sent: number, total: number) => void;
  timeoutMs: number;
}

/** Chunks small enough for a smooth progress figure, large enough to cost nothing. */
const CHUNK_BYTES = 256 * 1024;

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Resolves with any HTTP status; rejects on a network error or the timeout (error.code 'ETIMEDOUT'). */
export function sendRequest(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = req.body ?? Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    const r = send(url, { method: req.method, headers: { ...req.headers, 'Content-Length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parseBody(Buffer.concat(chunks).toString('utf8')) }));
    });
    r.setTimeout(req.timeoutMs, () =>
      r.destroy(Object.assign(new Error(`no answer within ${Math.round(req.timeoutMs / 1000)} s`), { code: 'ETIMEDOUT' })),
    );
    r.on('error', reject);
    let sent = 0;
    const writeNext = (): void => {
      while (sent < body.length) {
        const chunk = body.subarray(sent, sent + CHUNK_BYTES);
        sent += chunk.length;
        const more = r.write(chunk);
        req.onProgress?.(sent, body.length);
        if (!more) {
          r.once('drain', writeNext);
          return;
        }
      }
      r.end();
    };
    writeNext();
  });
}
