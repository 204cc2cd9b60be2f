import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { generateSigningKey, publicPart } from '../../federation/keys';
import { prepareMembers, signRegistry } from '../../federation/registry/sign';
import type { MemberInput } from '../../federation/registry/schema';

export interface DevMember {
  id: string;
  name: string;
  region: string;
  port: number;
  /** What it accepts as handling member: registry `items[]`. */
  items?: { code: string; modes: ('online' | 'proxy_intake' | 'joint')[] }[];
}

export interface DevAlliance {
  dir: string;
  anchorJwksPath: string;
  registryPath: string;
  members: { id: string; publicUrl: string; signingKeyPath: string; dataDir: string }[];
  created: string[];
}

export const DEV_ANCHOR_ID = 'dev-anchor';

/**
 * With no configuration, `npm start` runs a local alliance: dev keys, a dev anchor and a registry
 * under `<dataDir>/dev`, made on first start and re-signed when the member list changes or nears expiry.
 * Development only: the anchor's private key sits beside the data.
 */
export async function ensureDevAlliance(dataDir: string, members: DevMember[], nowSec: number): Promise<DevAlliance> {
  const dir = join(dataDir, 'dev');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const created: string[] = [];
  const keyFile = async (path: string) => {
    if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as JWK;
    const { privateJwk } = await generateSigningKey('Ed25519');
    writeFileSync(path, JSON.stringify(privateJwk, null, 2) + '\n', { mode: 0o600 });
    created.push(path);
    return privateJwk;
  };
  const anchorJwk = await keyFile(join(dir, 'anchor.key.jwk'));
  const anchorJwksPath = join(dir, 'anchor.jwks.json');
  writeFileSync(anchorJwksPath, JSON.stringify({ keys: [{ ...publicPart(anchorJwk), kid: anchorJwk.kid, alg: 'Ed25519', use: 'sig' }] }, null, 2) + '\n');

  const out: DevAlliance['members'] = [];
  const inputs: MemberInput[] = [];
  for (const m of members) {
    const signingKeyPath = join(dir, `${m.id}.key.jwk`);
    const jwk = await keyFile(signingKeyPath);
    const publicUrl = `http://127.0.0.1:${m.port}`;
    inputs.push({ id: m.id, name: m.name, region: m.region, status: 'active', endpoint: publicUrl, ...(m.items?.length ? { items: m.items } : {}), keys: [{ ...(publicPart(jwk) as MemberInput['keys'][number]), status: 'active' }] });
    out.push({ id: m.id, publicUrl, signingKeyPath, dataDir: join(dataDir, m.id) });
  }
  const registryPath = join(dir, 'registry.jwt');
  const stateFile = join(dir, 'registry.state.json');
  const wanted = JSON.stringify(inputs);
  const state = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as { seq: number; members: string; exp: number }) : null;
  // Re-sign a day before expiry, or when the members changed (ports, keys).
  if (!state || state.members !== wanted || state.exp - nowSec < 24 * 3600 || !existsSync(registryPath)) {
    const seq = (state?.seq ?? 0) + 1;
    const token = await signRegistry({ anchorJwk, issuer: DEV_ANCHOR_ID, members: await prepareMembers(inputs), seq, iat: nowSec });
    writeFileSync(registryPath, token + '\n');
    writeFileSync(stateFile, JSON.stringify({ seq, members: wanted, exp: nowSec + 7 * 24 * 3600 }));
    created.push(`${registryPath} (seq ${seq})`);
  }
  return { dir, anchorJwksPath, registryPath, members: out, created };
}
