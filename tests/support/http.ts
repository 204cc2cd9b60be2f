import { serve, type ServerType } from '@hono/node-server';
import { CompactSign, type JWK } from 'jose';
import { freeLoopbackPort } from '../../src/entry/node/free-port';
import { loadSigner } from '../../src/federation/keys';
import { utf8 } from '../../src/lib/encoding';

/** Serves a fetch handler on 127.0.0.1 on a free port. */
export async function listen(fetch: (req: Request) => Response | Promise<Response>, port = 0): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch, port, hostname: '127.0.0.1' }, () => { s.off('error', reject); resolve(s); });
    s.once('error', reject); // EADDRINUSE: the caller hears of it, nothing hangs
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { url: `http://127.0.0.1:${actual}`, port: actual, close: () => new Promise((r) => server.close(() => r())) };
}

/** A loopback port free now, out of the way of outgoing connections, for a process to listen on later. */
export const freePort = (): Promise<number> => freeLoopbackPort();

/** Signs any header and claims, however wrong: for tests of the verifier's refusals. */
export async function craftToken(jwk: JWK, header: Record<string, unknown>, claims: Record<string, unknown> | string): Promise<string> {
  const signer = await loadSigner(jwk);
  const payload = typeof claims === 'string' ? utf8(claims) : utf8(JSON.stringify(claims));
  return new CompactSign(payload).setProtectedHeader(header as never).sign(signer.key);
}
