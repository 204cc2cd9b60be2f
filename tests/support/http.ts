import { serveOnLoopback, type RunningSandbox } from '../../adapters/common/sandbox-kit';
import { CompactSign, type JWK } from 'jose';
import { freeLoopbackPort } from '../../src/entry/node/free-port';
import { loadSigner } from '../../src/federation/keys';
import { utf8 } from '../../src/lib/encoding';

/** Serves a fetch handler on 127.0.0.1 on a free port (or `port`; in use: rejects with EADDRINUSE). */
export const listen = (fetch: (req: Request) => Response | Promise<Response>, port = 0): Promise<RunningSandbox> => serveOnLoopback({ fetch }, port);

/** A loopback port free now, out of the way of outgoing connections, for a process to listen on later. */
export const freePort = (): Promise<number> => freeLoopbackPort();

/** Signs any header and claims, however wrong: for tests of the verifier's refusals. */
export async function craftToken(jwk: JWK, header: Record<string, unknown>, claims: Record<string, unknown> | string): Promise<string> {
  const signer = await loadSigner(jwk);
  const payload = typeof claims === 'string' ? utf8(claims) : utf8(JSON.stringify(claims));
  return new CompactSign(payload).setProtectedHeader(header as never).sign(signer.key);
}
