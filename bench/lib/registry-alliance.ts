import type { JWK } from 'jose';
import { generateSigningKey, loadSigner, type Signer } from '../../src/federation/keys';
import { buildKeyIndex, keyUsable, type IndexedKey, type KeyIndex } from '../../src/federation/registry/key-index';
import { verifyRegistry, type AnchorKeys } from '../../src/federation/registry/verify';
import { createTestAlliance, type TestAlliance, type TestMember } from '../../tests/support/alliance';

/** A key a member may sign with at `nowSec` (registry-wise), ready to sign. */
export interface SenderKey {
  memberId: string;
  kid: string;
  signer: Signer;
}

export interface BenchRegistry {
  token: string;
  index: KeyIndex;
  members: number;
  keys: number;
  /** Every usable key of every active member but the receiver: who may send it signed requests. */
  senders: SenderKey[];
  statuses: Record<string, number>;
}

export interface BenchRegistries {
  alliance: TestAlliance;
  anchors: AnchorKeys;
  big: BenchRegistry;
  small: BenchRegistry;
}

type Extra = NonNullable<TestMember['extraKeys']>[number];

/**
 * The second key of the i-th member, so the big registry looks like one that has lived a while: 40%
 * rotated (old key retiring), 20% revoked, 10% an old key past its exp, 10% the next key published ahead
 * (nbf in a week), 20% two active keys; every 50th member suspended.
 */
function secondKey(i: number, jwk: JWK, nowSec: number): Extra {
  const slot = i % 10;
  if (slot < 4) return { jwk, status: 'retiring' };
  if (slot < 6) return { jwk, status: 'revoked' };
  if (slot === 6) return { jwk, status: 'retiring', exp: nowSec - 86_400 };
  if (slot === 7) return { jwk, status: 'active', nbf: nowSec + 7 * 86_400 };
  return { jwk, status: 'active' };
}

/**
 * An alliance of `size` members (`self` and `size - 1` others, `m-0001`...), two Ed25519 keys each,
 * and two registries signed by its anchor: all of them, and `self` with the first two others (the
 * same keys, so both registries carry the same senders' keys where they overlap).
 */
export async function buildRegistries(opts: { size: number; self: string; selfEndpoint: string; nowSec: number }): Promise<BenchRegistries> {
  const others = Array.from({ length: opts.size - 1 }, (_, i) => ({ id: `m-${String(i + 1).padStart(4, '0')}`, endpoint: `http://127.0.0.1:9/m${i + 1}` }));
  const alliance = await createTestAlliance([{ id: opts.self, endpoint: opts.selfEndpoint }, ...others]);
  let i = 0;
  for (const m of alliance.members.values()) {
    const { privateJwk } = await generateSigningKey('Ed25519');
    m.extraKeys = [m.id === opts.self ? { jwk: privateJwk, status: 'retiring' } : secondKey(i, privateJwk, opts.nowSec)];
    if (m.id !== opts.self && i % 50 === 49) m.status = 'suspended';
    if (m.id !== opts.self) i++;
  }
  const iat = opts.nowSec - 60;
  const bigToken = await alliance.sign(1, iat);
  // alliance.sign signs the members in its map: for the small registry, the map holds three of them meanwhile.
  const all = new Map(alliance.members);
  alliance.members.clear();
  for (const id of [opts.self, others[0]!.id, others[1]!.id]) alliance.members.set(id, all.get(id)!);
  const smallToken = await alliance.sign(1, iat);
  alliance.members.clear();
  for (const [id, m] of all) alliance.members.set(id, m);
  const describe = (token: string) => describeRegistry(alliance, token, opts.self, opts.nowSec);
  return { alliance, anchors: alliance.anchors, big: await describe(bigToken), small: await describe(smallToken) };
}

async function describeRegistry(alliance: TestAlliance, token: string, self: string, nowSec: number): Promise<BenchRegistry> {
  const index = buildKeyIndex(await verifyRegistry(token, alliance.anchors, nowSec, null));
  const privateByKid = new Map<string, JWK>();
  for (const m of alliance.members.values()) {
    privateByKid.set(m.kid, m.privateJwk);
    for (const k of m.extraKeys ?? []) privateByKid.set(k.jwk.kid as string, k.jwk);
  }
  const senders: SenderKey[] = [];
  const statuses: Record<string, number> = {};
  for (const key of index.keys.values()) {
    const name = key.member.status !== 'active' ? 'of suspended members' : keyStatusName(key.jwk, nowSec);
    statuses[name] = (statuses[name] ?? 0) + 1;
    if (key.member.id === self || key.member.status !== 'active' || !keyUsable(key.jwk, nowSec)) continue;
    senders.push({ memberId: key.member.id, kid: key.kid, signer: await loadSigner(privateByKid.get(key.kid)!) });
  }
  return { token, index, members: index.members.size, keys: index.keys.size, senders, statuses };
}

/** How a key stands at `nowSec`, as the summary names it. */
function keyStatusName(k: IndexedKey['jwk'], nowSec: number): string {
  if (k.status === 'revoked') return 'revoked';
  if (k.nbf !== undefined && k.nbf > nowSec) return `${k.status}, nbf ahead`;
  if (k.exp !== undefined && k.exp <= nowSec) return `${k.status}, past exp`;
  return k.status;
}
