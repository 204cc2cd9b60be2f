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

/** `members[2].keys[0].x`: the path a person reading the member file looks for. */
const fieldPath = (i: number, path: readonly PropertyKey[]) =>
  `members[${i}]` + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');

/** Private key parts that must never be in member data, reported before any other check. */
function privateParts(raw: unknown, i: number): string[] {
  const keys = (raw as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return [];
  return keys.flatMap((k, j) => (k && typeof k === 'object' && 'd' in k ? [`${fieldPath(i, ['keys', j])}: contains a private key (d); list public keys only`] : []));
}

/** Validates the anchor's member list and fills each key's `kid` (RFC 7638) and `alg`; names every bad field. */
export async function prepareMembers(input: unknown): Promise<RegistryMember[]> {
  const list = Array.isArray(input) ? input : (input as { members?: unknown } | null)?.members;
  if (!Array.isArray(list)) throw new MemberDataError(['expected an array of members, or {"members": [...]}']);
  const problems: string[] = [];
  const out: RegistryMember[] = [];
  const ids = new Set<string>();
  const kids = new Map<string, string>();
  for (const [i, raw] of list.entries()) {
    const secret = privateParts(raw, i);
    if (secret.length) { problems.push(...secret); continue; }
    const parsed = memberInputSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${fieldPath(i, issue.path)}: ${issue.message}`);
      continue;
    }
    const m = parsed.data;
    if (ids.has(m.id)) problems.push(`members[${i}].id: ${m.id} is listed twice`);
    ids.add(m.id);
    const keys = [];
    for (const [j, k] of m.keys.entries()) {
      const at = fieldPath(i, ['keys', j]);
      const alg = algForJwk(k as JWK);
      if (!alg || (alg === 'ES256') !== (k.y !== undefined)) { problems.push(`${at}: not a complete Ed25519 (OKP) or P-256 (EC, with x and y) public key`); continue; }
      let kid: string;
      try {
        kid = await thumbprint(k as JWK);
      } catch (e) {
        problems.push(`${at}: not a usable public key (${(e as Error).message})`);
        continue;
      }
      if (k.alg && k.alg !== alg) problems.push(`${at}.alg: ${k.alg} does not fit a ${k.crv} key`);
      if (k.kid && k.kid !== kid) problems.push(`${at}.kid: not the RFC 7638 thumbprint (expected ${kid})`);
      const owner = kids.get(kid);
      if (owner !== undefined) problems.push(`${at}: the same key is already listed under ${owner}`);
      kids.set(kid, `${m.id} (${at})`);
      keys.push({ ...k, kid, alg, use: 'sig' as const });
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
