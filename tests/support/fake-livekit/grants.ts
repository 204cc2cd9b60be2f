// livekit-server's auth: APIKeyAuthMiddleware (pkg/service/auth.go) turns a bad token into a plain-text
// 401 before Twirp runs; each handler then checks its grant and answers Twirp `unauthenticated`
// ("permissions denied") through twirpAuthError when the grant is missing.
import { decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { errors, type TwirpError } from './twirp';

export interface VideoGrant {
  roomCreate?: boolean; roomList?: boolean; roomRecord?: boolean; roomAdmin?: boolean; roomJoin?: boolean;
  room?: string; canPublish?: boolean; canSubscribe?: boolean; canPublishData?: boolean; canPublishSources?: string[];
  hidden?: boolean; recorder?: boolean;
}

export interface Claims extends JWTPayload {
  video?: VideoGrant; name?: string; metadata?: string; attributes?: Record<string, string>; sha256?: string;
}

// go-jose's default leeway when livekit's verifier validates exp/nbf.
const leewaySeconds = 60;

export type TokenCheck = { ok: true; claims: Claims } | { ok: false; reason: string };

/** Verifies a bearer token as the middleware does; the reason is the server's 401 text. */
export async function verifyToken(token: string, apiKey: string, apiSecret: string): Promise<TokenCheck> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(token);
  } catch {
    return { ok: false, reason: 'invalid authorization token' };
  }
  if (unverified.iss !== apiKey) return { ok: false, reason: `invalid API key: ${unverified.iss ?? ''}` };
  try {
    const { payload } = await jwtVerify<Claims>(token, new TextEncoder().encode(apiSecret), {
      issuer: apiKey,
      algorithms: ['HS256', 'HS384', 'HS512'],
      clockTolerance: leewaySeconds,
    });
    return { ok: true, claims: payload };
  } catch (err) {
    const why = err instanceof joseErrors.JWTExpired ? 'token is expired' : err instanceof Error ? err.message : String(err);
    return { ok: false, reason: `invalid token: ${token}, error: ${why}` };
  }
}

/** Decodes without verifying, for the request log. */
export function peekClaims(token: string | null): unknown {
  if (!token) return null;
  try {
    return decodeJwt(token);
  } catch {
    return null;
  }
}

type Rule = (video: VideoGrant | undefined, room: string) => boolean;

const create: Rule = (v) => v?.roomCreate === true;
const list: Rule = (v) => v?.roomList === true;
const record: Rule = (v) => v?.roomRecord === true;
const admin: Rule = (v, room) => v?.roomAdmin === true && (v.room ?? '') === room;

/** The grant each method demands (roomservice.go, egress.go). */
export const grantRules: Record<string, Rule> = {
  'RoomService/CreateRoom': create,
  'RoomService/ListRooms': list,
  'RoomService/DeleteRoom': create,
  'RoomService/ListParticipants': admin,
  'RoomService/GetParticipant': admin,
  'RoomService/RemoveParticipant': admin,
  'RoomService/MutePublishedTrack': admin,
  'RoomService/UpdateParticipant': admin,
  'RoomService/UpdateRoomMetadata': admin,
  'RoomService/SendData': admin,
  'Egress/StartRoomCompositeEgress': record,
  'Egress/StopEgress': record,
  'Egress/ListEgress': record,
};

/** null when allowed; a request without any token reaches the handler with no grants, as on the server. */
export function checkGrant(route: string, claims: Claims | null, room: string): TwirpError | null {
  const rule = grantRules[route];
  if (!rule) return null;
  return rule(claims?.video, room) ? null : errors.permissionDenied();
}
