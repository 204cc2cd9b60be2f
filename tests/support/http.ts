import { serve, type ServerType } from '@hono/node-server';
import { CompactSign, type JWK } from 'jose';
import { loadSigner } from '../../src/federation/keys';
import { utf8 } from '../../src/lib/encoding';

/** Serves a fetch handler on 127.0.0.1 on a free port. */
export async function listen(fetch: (req: Request) => Response | Promise<Response>, port = 0): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { url: `http://127.0.0.1:${actual}`, port: actual, close: () => new Promise((r) => server.close(() => r())) };
}

/** A free loopback port (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  const l = await listen(() => new Response());
  await l.close();
  return l.port;
}

/** Signs any header and claims, however wrong: for tests of the verifier's refusals. */
export async function craftToken(jwk: JWK, header: Record<string, unknown>, claims: Record<string, unknown> | string): Promise<string> {
  const signer = await loadSigner(jwk);
  const payload = typeof claims === 'string' ? utf8(claims) : utf8(JSON.stringify(claims));
  return new CompactSign(payload).setProtectedHeader(header as never).sign(signer.key);
}
