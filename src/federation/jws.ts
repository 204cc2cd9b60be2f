import { base64url as joseB64, compactVerify, type CryptoKey } from 'jose';
import { fromUtf8 } from '../lib/encoding';

/** The only protected header members handshake/1 allows (§3); anything else is refused. */
const HEADER_KEYS = ['alg', 'kid', 'typ'];

export interface ProtectedHeader {
  alg: string;
  typ: string;
  kid: string;
}

/**
 * Parses a compact JWS's protected header without trusting it. Returns null unless it is exactly
 * `{alg, typ, kid}` with string values, the given `typ` and one of `algs`.
 */
export function parseProtectedHeader(token: string, typ: string, algs: readonly string[]): ProtectedHeader | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0]) return null;
  let header: unknown;
  try {
    header = JSON.parse(fromUtf8(joseB64.decode(parts[0])));
  } catch {
    return null;
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) return null;
  const h = header as Record<string, unknown>;
  const keys = Object.keys(h).sort();
  if (keys.length !== HEADER_KEYS.length || keys.some((k, i) => k !== HEADER_KEYS[i])) return null;
  if (typeof h.alg !== 'string' || typeof h.kid !== 'string' || h.typ !== typ) return null;
  if (!algs.includes(h.alg) || h.kid.length === 0 || h.kid.length > 128) return null;
  return { alg: h.alg, typ: h.typ, kid: h.kid };
}

/** Verifies the signature with one key and its allowed labels; returns the payload or null. */
export async function verifySignature(token: string, key: CryptoKey, algs: readonly string[]): Promise<Uint8Array | null> {
  try {
    const { payload } = await compactVerify(token, key, { algorithms: [...algs] });
    return payload;
  } catch {
    return null;
  }
}

/** JSON object payload, or null. */
export function parsePayload(payload: Uint8Array): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(fromUtf8(payload));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
