import type { JWK } from 'jose';
import { algForJwk, loadSigner, thumbprint } from '../keys';
import { signClaims } from '../envelope/sign';
import { memberInputSchema, type RegistryClaims, type RegistryMember } from './schema';
import { MAX_REGISTRY_LIFETIME, REGISTRY_TYP } from './verify';

export class MemberDataError extends Error {
  constructor(readonly problems: string[]) {
    super(`member data is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'MemberDataError';
  }
}

/** Validates the anchor's member list and fills each key's `kid` (RFC 7638) and `alg`. */
export async function prepareMembers(input: unknown): Promise<RegistryMember[]> {
  const list = Array.isArray(input) ? input : (input as { members?: unknown } | null)?.members;
  if (!Array.isArray(list)) throw new MemberDataError(['expected an array of members, or {"members": [...]}']);
  const problems: string[] = [];
  const out: RegistryMember[] = [];
  const ids = new Set<string>();
  for (const [i, raw] of list.entries()) {
    const parsed = memberInputSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`members[${i}].${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    const m = parsed.data;
    if (ids.has(m.id)) problems.push(`members[${i}].id: ${m.id} is listed twice`);
    ids.add(m.id);
    const keys = [];
    for (const [j, k] of m.keys.entries()) {
      const alg = algForJwk(k as JWK);
      const kid = await thumbprint(k as JWK);
      if (!alg) problems.push(`members[${i}].keys[${j}]: not an Ed25519 or P-256 key`);
      else if (k.alg && k.alg !== alg) problems.push(`members[${i}].keys[${j}].alg: ${k.alg} does not fit a ${k.crv} key`);
      if (k.kid && k.kid !== kid) problems.push(`members[${i}].keys[${j}].kid: not the RFC 7638 thumbprint (expected ${kid})`);
      if ('d' in (k as object)) problems.push(`members[${i}].keys[${j}]: contains a private key (d)`);
      keys.push({ ...k, kid, alg: alg ?? 'Ed25519', use: 'sig' as const });
    }
    out.push({ ...m, keys });
  }
  if (problems.length) throw new MemberDataError(problems);
  return out;
}

export interface RegistryToSign {
  anchorJwk: JWK;
  /** The anchor's id, the snapshot's `iss`. */
  issuer: string;
  members: RegistryMember[];
  seq: number;
  iat: number;
  /** Defaults to 7 days after iat, the longest §2 allows. */
  exp?: number;
}

/** The trust anchor's signing of a snapshot (§2). */
export async function signRegistry(r: RegistryToSign): Promise<string> {
  const exp = r.exp ?? r.iat + MAX_REGISTRY_LIFETIME;
  if (exp - r.iat > MAX_REGISTRY_LIFETIME) throw new Error('a snapshot may live at most 7 days');
  if (!Number.isInteger(r.seq) || r.seq < 0) throw new Error('seq must be a non-negative integer');
  const signer = await loadSigner(r.anchorJwk);
  const claims: RegistryClaims = { iss: r.issuer, iat: r.iat, exp, seq: r.seq, members: r.members };
  return signClaims(signer, REGISTRY_TYP, claims);
}
