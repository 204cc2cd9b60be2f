import { serve, type ServerType } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';

// What the partner sandboxes share: a request log, a queue of injected faults, and serving on loopback.
// Test/demo code only; the adapters never import it.

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: unknown;
}

/**
 * A failure to inject into the next matching call (`path` is a prefix; default: any call).
 * `status`: answer with that HTTP status and a plain-text body (as a proxy in front would);
 * `delay`: answer normally after `ms`; `malformed`: a 200 with truncated JSON; `off_schema`: a 200 with
 * valid JSON of the wrong shape.
 */
export type SandboxFault = ({ kind: 'status'; status: number } | { kind: 'delay'; ms: number } | { kind: 'malformed' } | { kind: 'off_schema' }) & { path?: string };

export function createFaultQueue<F extends { path?: string }>() {
  const queue: F[] = [];
  return {
    push: (fault: F) => { queue.push(fault); },
    /** Removes and returns the first fault meant for this path. */
    take(path: string): F | undefined {
      const i = queue.findIndex((f) => !f.path || path.startsWith(f.path));
      return i < 0 ? undefined : queue.splice(i, 1)[0];
    },
    clear: () => { queue.length = 0; },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Records every request (body read once and cached by Hono for the handler). */
export function recordRequests(log: RecordedRequest[]): MiddlewareHandler {
  return async (c, next) => {
    const text = await c.req.text();
    let body: unknown = text;
    try { body = text ? JSON.parse(text) : undefined; } catch { /* keep the text */ }
    log.push({ method: c.req.method, path: c.req.path, query: c.req.query(), headers: Object.fromEntries(c.req.raw.headers), body });
    await next();
  };
}

/** Applies a generic fault; undefined when the call should proceed (after a delay, if any). */
export async function applyFault(c: Context, fault: SandboxFault | undefined): Promise<Response | undefined> {
  if (!fault) return undefined;
  switch (fault.kind) {
    case 'delay': await sleep(fault.ms); return undefined;
    case 'status': return c.text(`<html><body>${fault.status} injected by the sandbox</body></html>`, fault.status as 500, { 'content-type': 'text/html' });
    case 'malformed': return c.body('{"id": "truncated', 200, { 'content-type': 'application/json' });
    case 'off_schema': return c.json({ unexpected: ['this', 'is', 'not', 'the', 'documented', 'shape'] }, 200);
  }
}

export interface RunningSandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves a Hono app (or any fetch handler) on 127.0.0.1 (port 0: any free port); a port in use rejects. */
export async function serveOnLoopback(app: { fetch: (req: Request) => Response | Promise<Response> }, port = 0): Promise<RunningSandbox> {
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => { s.off('error', reject); resolve(s); });
    s.once('error', reject); // EADDRINUSE: the caller hears of it, nothing hangs
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () => new Promise<void>((resolve) => {
      if ('closeAllConnections' in server) server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
