import { createMiddleware } from 'hono/factory';
import type { AppEnv, Deps } from '../../context';
import { AppError } from '../../lib/errors';
import { authenticateClerk } from '../../services/clerks/authenticate-clerk';
import type { ClerkRole } from '../../services/clerks/schema';

export interface ClerkAuthOptions {
  /** The roles allowed; any clerk when absent. */
  roles?: readonly ClerkRole[];
}

const REALM = 'Bearer realm="handshake"';

/**
 * A clerk's bearer token (`Authorization: Bearer hsk_...`) -> `c.var.clerk`. No token, or one unknown or
 * revoked: 401 with `WWW-Authenticate: Bearer`; a role not in `roles`: 403. The token never reaches a log.
 * @example app.get('/api/v1/cases', clerkAuth(deps, { roles: ['intake', 'supervisor'] }), handler)
 */
export function clerkAuth(deps: Pick<Deps, 'database' | 'self'>, options: ClerkAuthOptions = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (token === null) throw unauthenticated('a clerk bearer token is required (Authorization: Bearer hsk_...)', REALM);
    const result = await authenticateClerk({ ctx: { db: deps.database.db }, input: { token } });
    if (!result.ok) {
      throw unauthenticated(result.reason === 'revoked' ? 'this clerk token has been revoked' : 'this clerk token is not known', `${REALM}, error="invalid_token"`);
    }
    const { id, name, window, role } = result.clerk;
    if (options.roles && !options.roles.includes(role)) {
      throw new AppError('not_authorized', `this is for ${options.roles.join(' or ')} clerks; clerk ${id} is ${role}`);
    }
    c.set('clerk', { id, name, window, role, member: deps.self.memberId });
    c.set('log', c.get('log').child({ clerk: id }));
    await next();
  });
}

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive, RFC 9110 §11.1); null otherwise. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +([^\s]+) *$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/**
 * §6 has no code for bearer authentication: its 401 codes each name a failed step of the signed envelope
 * (§3.1). `not_authorized` is the protocol's word for "you may not", carried with 401 and a challenge.
 */
const unauthenticated = (detail: string, challenge: string) =>
  new AppError('not_authorized', detail, { status: 401, headers: { 'www-authenticate': challenge } });
