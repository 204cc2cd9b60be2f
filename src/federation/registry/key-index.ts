import type { KeyAlg } from '../keys';
import type { RegistryKey, RegistryMember } from './schema';
import type { RegistrySnapshot } from './verify';

export interface IndexedKey {
  kid: string;
  alg: KeyAlg;
  jwk: RegistryKey;
  member: RegistryMember;
}

/** The lookup tables built from one snapshot; replaced whole, never mutated. */
export interface KeyIndex {
  seq: number;
  expiresAt: number;
  snapshot: RegistrySnapshot;
  keys: ReadonlyMap<string, IndexedKey>;
  members: ReadonlyMap<string, RegistryMember>;
}

export function buildKeyIndex(snapshot: RegistrySnapshot): KeyIndex {
  const keys = new Map<string, IndexedKey>();
  const members = new Map<string, RegistryMember>();
  for (const member of snapshot.claims.members) {
    members.set(member.id, member);
    for (const jwk of member.keys) keys.set(jwk.kid, { kid: jwk.kid, alg: jwk.alg, jwk, member });
  }
  return { seq: snapshot.claims.seq, expiresAt: snapshot.claims.exp, snapshot, keys, members };
}

/** Whether a key may be used at `nowSec`: not revoked and inside nbf..exp. */
export const keyUsable = (k: RegistryKey, nowSec: number): boolean =>
  k.status !== 'revoked' && (k.nbf === undefined || k.nbf <= nowSec) && (k.exp === undefined || nowSec < k.exp);
