import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { startSandbox } from '../../adapters/standard/sandbox';
import type { CaseSubmission } from '../../adapters/types';
import { openDatabase } from '../../src/entry/node/database';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { addClerk } from '../../src/services/clerks/add-clerk';
import { partnerSchema } from '../../src/services/partners/schema';
import { createTestAlliance, writeAllianceFiles } from '../../tests/support/alliance';
import { freePort } from '../../tests/support/http';
import { spawnGateway, type SpawnedGateway } from './gateway-spawn';

/**
 * The case pipeline of bench:cases, for the open-loop benches: gaoxin (intake) and xihaike (handling) each
 * in its own process (bench/lib/gateway-process.ts, runGateway as `npm start`), each on a fresh PostgreSQL
 * database; xihaike's back office is the standard sandbox served by this process, which posts its signed
 * callbacks to xihaike's gateway, so a case the bench advances there travels back to gaoxin as an event.
 */
export const ITEM = 'KS-GJJ-003';
const REQUIRED = ['id-card', 'purchase-contract', 'invoice', 'marriage-certificate', 'bank-card'];
/** 64 KiB per case, over the item's five required materials. */
const SIZES = [13_108, 13_107, 13_107, 13_107, 13_107];
const API_KEY = 'bench-api-key';
const CALLBACK_SECRET = 'bench-callback-secret';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** The applicant's name of case `n`: the sandbox keeps it in `fields.name`, so an arrival there is found by it. */
export const applicantName = (n: number) => `申请人${n}`;

export const materialsOf = (n: number) => REQUIRED.map((requirement, i) => {
  const content = randomBytes(SIZES[i]!);
  content.write(`%PDF-1.7 ${requirement} ${n}\n`);
  return { requirement, name: requirement, mediaType: 'application/pdf', content };
});

export function xihaikePartner(sandboxUrl: string, callbackUrl?: string) {
  return partnerSchema.parse({
    member: 'xihaike', name: '青岛西海岸新区行政审批服务局', adapter: 'standard',
    backOffice: { baseUrl: sandboxUrl, timeoutMs: 10_000 }, auth: { apiKey: 'XIHAIKE_STD_API_KEY', callbackSecret: 'XIHAIKE_STD_CALLBACK_SECRET' },
    ...(callbackUrl ? { options: { callbackUrl } } : {}),
    agreements: [{ item: ITEM, modes: ['proxy_intake'], direction: 'handling', slaHours: { transfer: 4, accept: 24 } }],
    items: { [ITEM]: { serviceCode: 'STD-GJJ-003', fieldMap: { 'applicant.name': 'name', 'applicant.idType': 'idType', 'applicant.idNumber': 'idNumber' } } },
  });
}

/** The same 64 KiB case as the clerk's, as the adapter submits it straight to the back office. */
export function submissionOf(n: number): CaseSubmission {
  return {
    caseRef: `cs_direct${String(n).padStart(7, '0')}`, itemCode: ITEM, mode: 'proxy_intake',
    applicant: { kind: 'person', name: `直连${n}`, idType: 'resident_id', idNumber: '370211199202021234' },
    intake: { member: 'gaoxin', window: 'kuayu-1', clerk: 'ck_bench', receivedAt: new Date().toISOString() },
    materials: materialsOf(n).map((mt) => ({ ...mt, size: mt.content.byteLength, sha256: sha256(mt.content), content: new Uint8Array(mt.content) })),
    delivery: { method: 'window' },
  };
}

async function createDatabase(admin: string, name: string): Promise<string> {
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${name}`);
  await sql.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Starts the sandbox and both gateways; `env` is added to both gateways' environment. */
export async function startPipeline(admin: string, env: Record<string, string> = {}) {
  const sandbox = await startSandbox({ apiKey: API_KEY, callbackSecret: CALLBACK_SECRET, services: { 'STD-GJJ-003': [] } });
  const ports = { gaoxin: await freePort(), xihaike: await freePort() };
  const alliance = await createTestAlliance([{ id: 'gaoxin', endpoint: `http://127.0.0.1:${ports.gaoxin}` }, { id: 'xihaike', endpoint: `http://127.0.0.1:${ports.xihaike}` }]);
  alliance.members.get('xihaike')!.items = [{ code: ITEM, modes: ['proxy_intake'] }];
  const files = writeAllianceFiles(alliance, await alliance.sign(1, Math.floor(Date.now() / 1000) - 60));
  const partnersDir = join(files.dir, 'partners');
  mkdirSync(partnersDir);
  writeFileSync(join(partnersDir, 'xihaike.json'), JSON.stringify(xihaikePartner(sandbox.url, `http://127.0.0.1:${ports.xihaike}/partners/v1/xihaike/callbacks`)));
  const stamp = Date.now().toString(36);
  const names = { gaoxin: `hs_bench_pipe_gaoxin_${stamp}`, xihaike: `hs_bench_pipe_xihaike_${stamp}` };
  const urls = { gaoxin: await createDatabase(admin, names.gaoxin), xihaike: await createDatabase(admin, names.xihaike) };
  const envOf = (id: 'gaoxin' | 'xihaike'): Record<string, string> => ({
    HANDSHAKE_MEMBER_ID: id, HANDSHAKE_PUBLIC_URL: `http://127.0.0.1:${ports[id]}`, HANDSHAKE_SIGNING_KEY: files.keyFile(id),
    HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: files.registry, HANDSHAKE_PARTNERS_DIR: partnersDir,
    DATABASE_URL: urls[id], HANDSHAKE_DATA_DIR: `${files.dir}/${id}`, HANDSHAKE_DATA_KEY: randomBytes(32).toString('hex'),
    XIHAIKE_STD_API_KEY: API_KEY, XIHAIKE_STD_CALLBACK_SECRET: CALLBACK_SECRET, LOG_LEVEL: 'warn', PORT: String(ports[id]), ...env,
  });
  const gateways = await Promise.allSettled([spawnGateway(envOf('gaoxin')), spawnGateway(envOf('xihaike'))]);
  const dropAll = async () => {
    const root = postgres(admin, { max: 1, onnotice: () => {} });
    for (const name of Object.values(names)) await root.unsafe(`drop database if exists ${name} with (force)`);
    await root.end();
  };
  if (gateways.some((g) => g.status === 'rejected')) {
    await Promise.all(gateways.map((g) => (g.status === 'fulfilled' ? g.value.close() : undefined)));
    await sandbox.close();
    await dropAll();
    throw (gateways.find((g) => g.status === 'rejected') as PromiseRejectedResult).reason;
  }
  const [gaoxin, xihaike] = gateways.map((g) => (g as PromiseFulfilledResult<SpawnedGateway>).value) as [SpawnedGateway, SpawnedGateway];
  const clerkDb = await openDatabase({ databaseUrl: urls.gaoxin, pgliteDir: '', migrate: false, maxConnections: 1 });
  const { token } = await addClerk({ ctx: { db: clerkDb.db, clock: systemClock, ids: randomIds }, input: { name: '王五', window: 'kuayu-1', role: 'intake', windows: null } });
  await clerkDb.close();
  const sql = { gaoxin: postgres(urls.gaoxin, { max: 2, onnotice: () => {} }), xihaike: postgres(urls.xihaike, { max: 1, onnotice: () => {} }) };
  return {
    sandbox, gaoxin, xihaike, token, sql,
    async close() {
      await Promise.all([gaoxin.close(), xihaike.close()]);
      await Promise.all([sql.gaoxin.end({ timeout: 1 }), sql.xihaike.end({ timeout: 1 })]);
      await sandbox.close();
      await dropAll();
    },
  };
}

export type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** The clerk's side of a case at gaoxin: create + 5 materials (prepare), then transfer. Any non-2xx throws. */
export function clerkApi(p: Pipeline, fetch: Fetch) {
  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const headers: Record<string, string> = { authorization: `Bearer ${p.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(p.gaoxin.url + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }
  async function prepare(n: number): Promise<string> {
    const created = await call('POST', '/api/v1/cases', {
      itemCode: ITEM, mode: 'proxy_intake', applicant: { kind: 'person', name: applicantName(n), idType: 'resident_id', idNumber: `37021119920${String(n).padStart(7, '0')}` },
      identityCheck: { method: 'id_card_reader', result: 'passed' }, delivery: { method: 'window' }, consent: { dataSharing: true, at: new Date().toISOString() },
    });
    if (created.status !== 201) throw new Error(`create case: ${created.status} ${JSON.stringify(created.json)}`);
    const ref = created.json.ref as string;
    for (const mt of materialsOf(n)) {
      const up = await call('POST', `/api/v1/cases/${ref}/materials`, { ...mt, content: mt.content.toString('base64') });
      if (up.status !== 201 || up.json.sha256 !== sha256(mt.content)) throw new Error(`material: ${up.status} ${JSON.stringify(up.json)}`);
    }
    return ref;
  }
  async function transfer(ref: string): Promise<void> {
    const t = await call('POST', `/api/v1/cases/${ref}/transfer`);
    if (t.status !== 202) throw new Error(`transfer ${ref}: ${t.status} ${JSON.stringify(t.json)}`);
  }
  return { prepare, transfer };
}

/**
 * Watches the sandbox for cases arriving (every `everyMs`): `waitFor(name)` resolves when the case of that
 * applicant is in the back office; `onArrival` sees each new sandbox case once.
 */
export function watchArrivals(p: Pipeline, everyMs: number, onArrival?: (id: string) => void) {
  const waiters = new Map<string, () => void>();
  const arrived = new Set<string>();
  let seen = 0;
  const timer = setInterval(() => {
    const cases = p.sandbox.control.cases;
    if (cases.size === seen) return;
    let i = 0;
    for (const k of cases.values()) {
      if (i++ < seen) continue;
      const name = String(k.fields.name);
      arrived.add(name);
      waiters.get(name)?.();
      waiters.delete(name);
      onArrival?.(k.id);
    }
    seen = cases.size;
  }, everyMs);
  timer.unref();
  return {
    waitFor: (name: string) => (arrived.has(name) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(name, resolve))),
    count: () => seen,
    stop: () => clearInterval(timer),
  };
}
