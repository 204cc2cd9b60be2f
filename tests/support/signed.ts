import { signRequest } from '../../src/federation/envelope/sign';
import { loadSigner } from '../../src/federation/keys';
import { systemClock } from '../../src/lib/clock';
import { utf8 } from '../../src/lib/encoding';
import { randomIds } from '../../src/lib/ids';
import type { TestAlliance } from './alliance';

/** A request signed by `from` for `to` (§3), sent straight to the receiver's app, with a fresh Idempotency-Key. */
export async function postSigned(o: {
  alliance: TestAlliance; from: string; to: string; url: string; body: unknown;
  app: { request(url: string, init: RequestInit): Response | Promise<Response> };
}): Promise<Response> {
  const body = utf8(JSON.stringify(o.body));
  const signer = await loadSigner(o.alliance.members.get(o.from)!.privateJwk);
  const { token } = await signRequest(signer, { iss: o.from, aud: o.to, method: 'POST', url: o.url, body }, systemClock, randomIds);
  return o.app.request(o.url, {
    method: 'POST', body: body as Uint8Array<ArrayBuffer>,
    headers: { 'handshake-request': token, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
  });
}
