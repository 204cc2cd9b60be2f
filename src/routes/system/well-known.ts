import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../../context';

export const PROTOCOLS = ['handshake/1'] as const;

/** `GET /.well-known/handshake`: the unsigned self-description of §7. */
export function registerWellKnown(app: Hono<AppEnv>, deps: Deps) {
  app.get('/.well-known/handshake', (c) => {
    const registry = deps.registry.current();
    const listed = registry?.members.get(deps.self.memberId)?.keys ?? [];
    const keys = listed.some((k) => k.kid === deps.self.signer.kid) ? listed : [...listed, deps.self.signer.publicJwk];
    return c.json({
      member: deps.self.memberId,
      protocols: PROTOCOLS,
      endpoint: deps.self.publicUrl,
      jwks: { keys },
      registrySeq: registry?.seq ?? null,
    });
  });
}
