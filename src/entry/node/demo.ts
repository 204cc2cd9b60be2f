import { join } from 'node:path';
import type { Config } from '../../config';
import type { Logger } from '../../lib/logger';
import { partnerSchema, type PartnerConfig } from '../../services/partners/schema';
import type { runGateway } from '../node';
import { pgliteImages } from './database';
import { ensureDemoClerks } from './demo-clerks';
import { demoHowTo } from './demo-howto';
import { devSecrets, pointAtSandboxes, startDemoSandboxes } from './demo-sandboxes';
import { freeLoopbackPort } from './free-port';
import { PARTNERS_DIR, readPartnerFiles } from './partners';
import { DEV_MEMBERS, resolveDevAlliance } from './resolve';

type RunningGateway = Awaited<ReturnType<typeof runGateway>>;

export interface RunningDemo {
  /** What to print: the members, the tokens file, a case to take end to end. */
  howTo: string;
  /** Stops the three gateways, then the sandboxes. */
  stop(): Promise<void>;
}

/**
 * `npm start` without configuration: the dev alliance (gaoxin, xihaike, chengdu-gx) in this one process,
 * on PORT, PORT+1 and PORT+2 of loopback, each member with its own embedded database, data key and keys,
 * and each partner file's back office served by its adapter's sandbox with generated dev secrets.
 * One clerk per role and member is made on first start; the tokens go to a 0600 file, never to the log.
 * `run` is the Node entry's runGateway (passed in, so nothing imports the entry).
 */
export async function runDemoAlliance(config: Config, logger: Logger, run: typeof runGateway): Promise<RunningDemo> {
  const ports = config.port === 0 ? await Promise.all(DEV_MEMBERS.map(() => freeLoopbackPort())) : DEV_MEMBERS.map((_, i) => config.port + i);
  const members = await resolveDevAlliance(config, ports, Math.floor(Date.now() / 1000));
  const gatewayOf = (member: string) => members.find((m) => m.memberId === member);
  const callbackUrl = (member: string) => { const m = gatewayOf(member); return m ? `${m.publicUrl}/partners/v1/${member}/callbacks` : undefined; };
  const files = parsedPartnerFiles(config.partnersDir ?? PARTNERS_DIR);
  const secrets = devSecrets(files);
  const sandboxes = await startDemoSandboxes(files, secrets, callbackUrl);
  const gateways: RunningGateway[] = [];
  const stop = async () => {
    await Promise.allSettled(gateways.map((g) => g.stop()));
    await Promise.allSettled(sandboxes.map((s) => s.close()));
  };
  // The members' new databases start from the first one's migrated image: initdb once, not three times.
  const images = pgliteImages();
  try {
    // One at a time: a failure names one member, and the members already running are stopped with the sandboxes.
    for (const member of members) {
      gateways.push(await run(member, config, logger.child({ gateway: member.memberId }), {
        secret: (name) => secrets.get(name) ?? process.env[name],
        partners: (loaded) => pointAtSandboxes(loaded, sandboxes, callbackUrl),
        pgliteImages: images,
      }));
    }
    const clerksFile = join(members[0]!.dev!.dir, 'clerks.env');
    const newClerks = await ensureDemoClerks(clerksFile, gateways.map((g, i) => ({
      member: members[i]!.memberId, db: g.gateway.deps.database.db, windows: files.find((p) => p.member === members[i]!.memberId)?.windows ?? null,
    })));
    const howTo = demoHowTo({
      members, sandboxes, dataDir: config.dataDir, dir: members[0]!.dev!.dir, created: members[0]!.dev!.created,
      clerksFile, newClerks, databaseUrlIgnored: !!config.databaseUrl,
    });
    return { howTo, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The partner files that parse (the gateways validate them all properly at start and name every problem). */
function parsedPartnerFiles(dir: string): PartnerConfig[] {
  return readPartnerFiles(dir).flatMap(({ json }) => {
    const p = partnerSchema.safeParse(json);
    return p.success ? [p.data] : [];
  });
}

