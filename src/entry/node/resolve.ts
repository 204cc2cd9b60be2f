import { join } from 'node:path';
import type { JWK } from 'jose';
import type { Config } from '../../config';
import type { AnchorKeys } from '../../federation/registry/verify';
import { ensureDevAlliance } from './dev-alliance';
import { readAnchors, readSigningKey } from './settings';
import { PARTNERS_DIR, readPartnerFiles } from './partners';
import { partnerSchema } from '../../services/partners/schema';

/** One member's settings, read and checked: what a Node process needs to run or act as that member. */
export interface ResolvedMember {
  memberId: string;
  publicUrl: string;
  port: number;
  signingJwk: JWK;
  anchors: AnchorKeys;
  registry: string;
  databaseUrl: string | null;
  pgliteDir: string;
  dev: { created: string[]; dir: string } | null;
}

/** The development alliance of `npm start` without configuration. */
export const DEV_MEMBERS = [{ id: 'gaoxin', name: '高新区行政审批服务中心（开发）', region: '370000' }];

export async function resolveMember(config: Config, nowSec: number): Promise<ResolvedMember> {
  if (config.member) {
    const m = config.member;
    return {
      memberId: m.memberId, publicUrl: m.publicUrl, port: config.port,
      signingJwk: readSigningKey(m.signingKey), anchors: readAnchors(m.anchorJwks), registry: m.registry,
      databaseUrl: config.databaseUrl, pgliteDir: join(config.dataDir, 'db'), dev: null,
    };
  }
  const handled = handledItems(config.partnersDir ?? PARTNERS_DIR);
  const alliance = await ensureDevAlliance(config.dataDir, DEV_MEMBERS.map((m, i) => ({ ...m, port: config.port + i, items: handled.get(m.id) })), nowSec);
  const first = alliance.members[0]!;
  return {
    memberId: first.id, publicUrl: first.publicUrl, port: config.port,
    signingJwk: readSigningKey(first.signingKeyPath), anchors: readAnchors(alliance.anchorJwksPath), registry: alliance.registryPath,
    databaseUrl: config.databaseUrl, pgliteDir: join(first.dataDir, 'db'), dev: { created: alliance.created, dir: alliance.dir },
  };
}

/**
 * The items each member handles by its partner file (agreements `handling` or `both`): what the dev
 * anchor lists as that member's registry `items[]`. Files that do not parse are skipped here; the
 * start validates them properly and names every problem.
 */
function handledItems(dir: string): Map<string, { code: string; modes: ('online' | 'proxy_intake' | 'joint')[] }[]> {
  const out = new Map<string, { code: string; modes: ('online' | 'proxy_intake' | 'joint')[] }[]>();
  for (const { json } of readPartnerFiles(dir)) {
    const p = partnerSchema.safeParse(json);
    if (!p.success) continue;
    out.set(p.data.member, p.data.agreements.filter((a) => a.direction !== 'intake').map((a) => ({ code: a.item, modes: a.modes })));
  }
  return out;
}
