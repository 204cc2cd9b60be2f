import { createServer, type Server } from 'node:http';

/**
 * A receiver's public URL in front of its gateway: it can hold requests on their way (so the sender can be
 * killed with requests in flight) and counts what the receiver answered afresh and what it answered from
 * its idempotency record (§5). When the receiver is down, the sender sees the connection drop.
 */
export function receiverProxy(upstream: () => string) {
  const state = { holdAfter: Infinity, forwarded: 0, fresh: 0, replayed: 0, held: [] as (() => void)[] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void (async () => {
      if (state.forwarded >= state.holdAfter) await new Promise<void>((r) => state.held.push(r));
      state.forwarded++;
      const headers: Record<string, string> = {};
      for (const h of ['handshake-request', 'idempotency-key', 'content-type', 'accept']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h];
      try {
        const up = await fetch(upstream() + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
        const body = Buffer.from(await up.arrayBuffer());
        if (up.headers.get('idempotent-replayed') === 'true') state.replayed++;
        else if (up.ok) state.fresh++;
        const out: Record<string, string> = {};
        for (const h of ['content-type', 'handshake-response', 'idempotent-replayed']) { const v = up.headers.get(h); if (v) out[h] = v; }
        res.writeHead(up.status, out).end(body);
      } catch {
        req.socket.destroy();
      }
    })());
  });
  return { state, server, release: () => { state.holdAfter = Infinity; state.held.splice(0).forEach((r) => r()); } };
}

/** Waits until `check` holds, polling every `stepMs`; fails naming `what` past `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000, stepMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
