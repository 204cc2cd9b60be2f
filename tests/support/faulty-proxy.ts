import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * What the proxy does with one request:
 * - `ok`: forwards it to the sandbox and passes the answer on.
 * - `timeout`: holds it, unanswered, until the client gives up (the sandbox never sees it).
 * - `500` / `502` / `503`: a proxy's HTML error page with that status (the sandbox never sees it).
 * - `drop`: closes the connection before forwarding anything.
 * - `reset`: forwards it (the back office does the work), then sends the headers and half the body and
 *   destroys the socket: the answer is lost after the partner acted.
 * - `slow`: forwards it and trickles the answer a few bytes at a time (within the client's patience).
 * - `malformed`: forwards it, then answers 200 with the first half of the partner's body, complete as far
 *   as HTTP goes (a truncated document, not a broken connection).
 * - `html`: answers 200 with a `text/html` page (a WAF or captive portal), without forwarding.
 */
export type Fault = 'ok' | 'timeout' | '500' | '502' | '503' | 'drop' | 'reset' | 'slow' | 'malformed' | 'html';

export interface FaultyProxyOptions {
  /** How long a `slow` answer takes to trickle out, in ms. */
  slowMs?: number;
}

export interface SeenRequest { n: number; method: string; path: string; fault: Fault }

/**
 * A node:http proxy in front of a partner sandbox that answers each request by a programmable schedule:
 * `plan([...])` queues faults for the next requests (then `ok`), `decide(fn)` picks one per request.
 * `counts` says what it did; `seen` lists every request with the fault it got.
 */
export async function startFaultyProxy(upstream: string, opts: FaultyProxyOptions = {}) {
  const slowMs = opts.slowMs ?? 300;
  const queue: Fault[] = [];
  let decider: ((req: { n: number; method: string; path: string }) => Fault) | null = null;
  const counts: Record<Fault, number> = { ok: 0, timeout: 0, 500: 0, 502: 0, 503: 0, drop: 0, reset: 0, slow: 0, malformed: 0, html: 0 };
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let n = 0;

  async function forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; type: string; body: Buffer }> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(k)) headers[k] = v;
    const up = await fetch(upstream + req.url, { method: req.method, headers, body: body.length ? new Uint8Array(body) : undefined });
    return { status: up.status, type: up.headers.get('content-type') ?? 'application/octet-stream', body: Buffer.from(await up.arrayBuffer()) };
  }

  async function answer(fault: Fault, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    switch (fault) {
      case 'timeout': return; // the client's abort closes the socket; nothing is ever written
      case 'drop': req.socket.destroy(); return;
      case '500': case '502': case '503':
        res.writeHead(Number(fault), { 'content-type': 'text/html' }).end(`<html><body><h1>${fault}</h1>injected by the faulty proxy</body></html>`);
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><body>请先登录 (injected by the faulty proxy)</body></html>');
        return;
      default: break;
    }
    const up = await forward(req, body);
    if (fault === 'ok') { res.writeHead(up.status, { 'content-type': up.type }).end(up.body); return; }
    const half = up.body.subarray(0, Math.floor(up.body.length / 2));
    if (fault === 'malformed') { res.writeHead(200, { 'content-type': up.type }).end(half); return; }
    res.writeHead(up.status, { 'content-type': up.type, 'content-length': String(up.body.length) });
    if (fault === 'reset') { res.write(half, () => req.socket.destroy()); return; }
    // slow: a handful of chunks spread over slowMs
    const step = Math.max(1, Math.ceil(up.body.length / 10));
    for (let i = 0; i < up.body.length; i += step) {
      if (res.destroyed) return;
      res.write(up.body.subarray(i, i + step));
      await new Promise((r) => setTimeout(r, slowMs / 10));
    }
    res.end();
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const me = { n: ++n, method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]! };
      const fault = queue.shift() ?? decider?.(me) ?? 'ok';
      counts[fault]++;
      seen.push({ ...me, fault });
      answer(fault, req, res, Buffer.concat(chunks)).catch(() => req.socket.destroy());
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    seen,
    /** The next requests get these faults, in order; after them `decide` (or `ok`) applies again. */
    plan(faults: Fault[]) { queue.push(...faults); },
    /** Picks the fault of each request not covered by `plan`; null: every request is forwarded. */
    decide(fn: ((req: { n: number; method: string; path: string }) => Fault) | null) { decider = fn; },
    /** No more faults: what is planned is dropped, every request is forwarded. */
    heal() { queue.length = 0; decider = null; },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

export type FaultyProxy = Awaited<ReturnType<typeof startFaultyProxy>>;
