// The Workers bundle in workerd (Miniflare) on a real PostgreSQL database behind a Hyperdrive binding.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import type { TestAlliance } from '../support/alliance';

export interface WorkerBuild { outfile: string; bytes: number; externalImports: string[] }

// A .mjs script: imported by URL so that tsc does not ask for its types.
const BUILD_SCRIPT = new URL('../../scripts/build-worker.mjs', import.meta.url).href;
const loadBuildScript = () => import(BUILD_SCRIPT) as Promise<{ buildWorker(o: { outfile: string }): Promise<WorkerBuild> }>;

/** The bundle of scripts/build-worker.mjs in a fresh temporary directory; `remove` deletes the directory. */
export async function buildWorkerBundle(): Promise<WorkerBuild & { dir: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'handshake-worker-'));
  const built = await loadBuildScript().then((m) => m.buildWorker({ outfile: join(dir, 'worker.js') }));
  return { ...built, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The bindings that make `memberId` of `alliance` a configured gateway, with `registry` as its registry JWS. */
export function memberBindings(alliance: TestAlliance, memberId: string, publicUrl: string, registry: string): Record<string, string> {
  return {
    HANDSHAKE_MEMBER_ID: memberId, HANDSHAKE_PUBLIC_URL: publicUrl,
    HANDSHAKE_SIGNING_KEY: JSON.stringify(alliance.members.get(memberId)!.privateJwk),
    HANDSHAKE_ANCHOR_JWKS: JSON.stringify(alliance.anchors),
    HANDSHAKE_REGISTRY: registry,
    LOG_LEVEL: 'warn',
  };
}

/** Starts the bundle in workerd with `bindings`, its HYPERDRIVE binding pointing at `databaseUrl`. */
export async function startWorker(bundle: WorkerBuild & { dir: string }, databaseUrl: string, bindings: Record<string, string>): Promise<Miniflare> {
  // Miniflare's Hyperdrive wants a password in the URL; trust authentication ignores it.
  const hyperdrive = new URL(databaseUrl);
  hyperdrive.password ||= 'unused';
  const mf = new Miniflare({
    modules: true, scriptPath: bundle.outfile, modulesRoot: bundle.dir,
    compatibilityDate: '2024-09-23', compatibilityFlags: ['nodejs_compat'],
    hyperdrives: { HYPERDRIVE: hyperdrive.toString() },
    bindings,
  });
  await mf.ready;
  return mf;
}

/** The worker's `scheduled` handler. Typed by hand: miniflare types its Fetcher from @cloudflare/workers-types, which this project does not install. */
export async function scheduledOf(mf: Miniflare): Promise<(cron: string) => Promise<{ outcome: string }>> {
  const worker = (await mf.getWorker()) as unknown as { scheduled(o: { cron: string }): Promise<{ outcome: string }> };
  return (cron) => worker.scheduled({ cron });
}
