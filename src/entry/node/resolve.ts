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

/** The development alliance of `npm start` without configuration: three members on loopback, in this order. */
export const DEV_MEMBERS = [
  { id: 'gaoxin', name: '高新区行政审批服务中心（开发）', region: '370000' },
  { id: 'xihaike', name: '青岛西海岸新区政务服务中心（开发）', region: '370211' },
  { id: 'chengdu-gx', name: '成都高新区政务服务中心（开发）', region: '510109' },
];

/**
 * The configured member; without HANDSHAKE_MEMBER_ID, the dev alliance's first member (gaoxin), as the CLI
 * acts for it (on DATABASE_URL when set, else gaoxin's embedded database).
 */
export async function resolveMember(config: Config, nowSec: number): Promise<ResolvedMember> {
  if (config.member) {
    const m = config.member;
    return {
      memberId: m.memberId, publicUrl: m.publicUrl, port: config.port,
      signingJwk: readSigningKey(m.signingKey), anchors: readAnchors(m.anchorJwks), registry: m.registry,
      databaseUrl: config.databaseUrl, pgliteDir: join(config.dataDir, 'db'), dev: null,
    };
  }
  const [first] = await resolveDevAlliance(config, DEV_MEMBERS.map((_, i) => config.port + i), nowSec);
  return { ...first!, databaseUrl: config.databaseUrl };
}

/**
 * Every member of the dev alliance, listening on `ports` (one per DEV_MEMBERS entry), each with its own
 * embedded database under `<data dir>/<member>/db`: one PostgreSQL database cannot hold three members.
 */
export async function resolveDevAlliance(config: Config, ports: number[], nowSec: number): Promise<ResolvedMember[]> {
  const handled = handledItems(config.partnersDir ?? PARTNERS_DIR);
  const alliance = await ensureDevAlliance(config.dataDir, DEV_MEMBERS.map((m, i) => ({ ...m, port: ports[i]!, items: handled.get(m.id) })), nowSec);
  const anchors = readAnchors(alliance.anchorJwksPath);
  return alliance.members.map((m, i) => ({
    memberId: m.id, publicUrl: m.publicUrl, port: ports[i]!,
    signingJwk: readSigningKey(m.signingKeyPath), anchors, registry: alliance.registryPath,
    databaseUrl: null, pgliteDir: join(m.dataDir, 'db'), dev: { created: alliance.created, dir: alliance.dir },
  }));
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
