import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { generateSigningKey, publicPart } from '../../src/federation/keys';
import { prepareMembers, signRegistry } from '../../src/federation/registry/sign';
import type { MemberInput } from '../../src/federation/registry/schema';

export interface TestMember {
  id: string;
  endpoint: string;
  privateJwk: JWK;
  kid: string;
  status?: 'active' | 'suspended';
  keyStatus?: 'active' | 'retiring' | 'revoked';
  extraKeys?: { jwk: JWK; status: 'active' | 'retiring' | 'revoked'; nbf?: number; exp?: number }[];
  /** Items the member accepts as handling member (registry `items[]`). */
  items?: { code: string; modes: ('online' | 'proxy_intake' | 'joint')[] }[];
}

export interface TestAlliance {
  anchorJwk: JWK;
  anchors: { keys: JWK[] };
  members: Map<string, TestMember>;
  /** Signs a snapshot of the current members. */
  sign(seq: number, iat: number, exp?: number): Promise<string>;
}

export async function newMember(id: string, endpoint: string, alg: 'Ed25519' | 'ES256' = 'Ed25519'): Promise<TestMember> {
  const { privateJwk, kid } = await generateSigningKey(alg);
  return { id, endpoint, privateJwk, kid };
}

/** An anchor and members with fresh keys, all in memory. */
export async function createTestAlliance(members: { id: string; endpoint: string; alg?: 'Ed25519' | 'ES256' }[]): Promise<TestAlliance> {
  const anchor = await generateSigningKey('Ed25519');
  const map = new Map<string, TestMember>();
  for (const m of members) map.set(m.id, await newMember(m.id, m.endpoint, m.alg));
  return {
    anchorJwk: anchor.privateJwk,
    anchors: { keys: [anchor.publicJwk] },
    members: map,
    async sign(seq, iat, exp) {
      const inputs: MemberInput[] = [...map.values()].map((m) => ({
        id: m.id, name: `${m.id} 政务服务中心`, region: '370000', status: m.status ?? 'active', endpoint: m.endpoint,
        ...(m.items ? { items: m.items } : {}),
        keys: [
          { ...(publicPart(m.privateJwk) as MemberInput['keys'][number]), status: m.keyStatus ?? 'active' },
          ...(m.extraKeys ?? []).map((k) => ({ ...(publicPart(k.jwk) as MemberInput['keys'][number]), status: k.status, nbf: k.nbf, exp: k.exp })),
        ],
      }));
      return signRegistry({ anchorJwk: anchor.privateJwk, issuer: 'test-anchor', members: await prepareMembers(inputs), seq, iat, exp });
    },
  };
}

/** Writes files a gateway process can be configured with (HANDSHAKE_* pointing at them). */
export function writeAllianceFiles(alliance: TestAlliance, registryToken: string): { dir: string; anchorJwks: string; registry: string; keyFile(id: string): string } {
  const dir = mkdtempSync(join(tmpdir(), 'handshake-'));
  const anchorJwks = join(dir, 'anchor.jwks.json');
  writeFileSync(anchorJwks, JSON.stringify(alliance.anchors));
  const registry = join(dir, 'registry.jwt');
  writeFileSync(registry, registryToken);
  for (const m of alliance.members.values()) writeFileSync(join(dir, `${m.id}.key.jwk`), JSON.stringify(m.privateJwk));
  return { dir, anchorJwks, registry, keyFile: (id) => join(dir, `${id}.key.jwk`) };
}
