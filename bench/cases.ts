/**
 * `npm run bench:cases`: cases end to end through two member gateway processes (as `npm start` runs them),
 * each case 64 KiB of materials: at gaoxin's clerk API create + 5 materials + transfer, then delivered by
 * the outbox to xihaike, its receipt recorded back at gaoxin (and, once xihaike's gateway submits cases to
 * its back office, submitted to the standard sandbox). Then the latency the gateway hop adds: the standard
 * adapter's submitCase straight to the sandbox against the same case through gateway -> gateway, measured
 * alternately in the same run. Informational: exits 0 whatever the figures. Needs PostgreSQL (DATABASE_URL).
 */
import { randomBytes, createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { createStandardAdapter } from '../adapters/standard/index';
import { startSandbox } from '../adapters/standard/sandbox';
import type { CaseSubmission } from '../adapters/types';
import { openDatabase } from '../src/entry/node/database';
import { createNodeFetch } from '../src/entry/node/http';
import { systemClock } from '../src/lib/clock';
import { randomIds } from '../src/lib/ids';
import { silentLogger } from '../src/lib/logger';
import { addClerk } from '../src/services/clerks/add-clerk';
import { partnerSchema } from '../src/services/partners/schema';
import { createTestAlliance, writeAllianceFiles } from '../tests/support/alliance';
import { freePort } from '../tests/support/http';
import { startGatewayProcess, type GatewayProcess } from '../tests/support/process';
import { loadAverage, machineFacts } from './lib/report';

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const CASES = int('BENCH_CASES', 150);
const CONCURRENCY = int('BENCH_CONCURRENCY', 8);
const SAMPLES = int('BENCH_LATENCY_SAMPLES', 40);
const WATCHDOG_MS = 240_000;
const ITEM = 'KS-GJJ-003';
const REQUIRED = ['id-card', 'purchase-contract', 'invoice', 'marriage-certificate', 'bank-card'];
/** 64 KiB per case, over the item's five required materials. */
const SIZES = [13_108, 13_107, 13_107, 13_107, 13_107];
const API_KEY = 'bench-api-key';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN; };
const materialsOf = (n: number) => REQUIRED.map((requirement, i) => {
  const content = randomBytes(SIZES[i]!);
  content.write(`%PDF-1.7 ${requirement} ${n}\n`);
  return { requirement, name: requirement, mediaType: 'application/pdf', content };
});

/** xihaike's own partner file: the standard API at the sandbox, so its back office (when wired) has somewhere to go. */
function xihaikePartner(sandboxUrl: string) {
  return partnerSchema.parse({
    member: 'xihaike', name: '青岛西海岸新区行政审批服务局', adapter: 'standard',
    backOffice: { baseUrl: sandboxUrl, timeoutMs: 10_000 }, auth: { apiKey: 'XIHAIKE_STD_API_KEY' },
    agreements: [{ item: ITEM, modes: ['proxy_intake'], direction: 'handling', slaHours: { transfer: 4, accept: 24 } }],
    items: { [ITEM]: { serviceCode: 'STD-GJJ-003', fieldMap: { 'applicant.name': 'name', 'applicant.idType': 'idType', 'applicant.idNumber': 'idNumber' } } },
  });
}

async function createDatabase(admin: string, name: string): Promise<string> {
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${name}`);
  await sql.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

async function startMembers(admin: string, sandboxUrl: string) {
  const ports = { gaoxin: await freePort(), xihaike: await freePort() };
  const alliance = await createTestAlliance([{ id: 'gaoxin', endpoint: `http://127.0.0.1:${ports.gaoxin}` }, { id: 'xihaike', endpoint: `http://127.0.0.1:${ports.xihaike}` }]);
  alliance.members.get('xihaike')!.items = [{ code: ITEM, modes: ['proxy_intake'] }];
  const files = writeAllianceFiles(alliance, await alliance.sign(1, Math.floor(Date.now() / 1000) - 60));
  const partnersDir = join(files.dir, 'partners');
  mkdirSync(partnersDir);
  writeFileSync(join(partnersDir, 'xihaike.json'), JSON.stringify(xihaikePartner(sandboxUrl)));
  const stamp = Date.now().toString(36);
  const names = { gaoxin: `hs_bench_cases_gaoxin_${stamp}`, xihaike: `hs_bench_cases_xihaike_${stamp}` };
  const urls = { gaoxin: await createDatabase(admin, names.gaoxin), xihaike: await createDatabase(admin, names.xihaike) };
  const env = (id: 'gaoxin' | 'xihaike'): Record<string, string> => ({
    HANDSHAKE_MEMBER_ID: id, HANDSHAKE_PUBLIC_URL: `http://127.0.0.1:${ports[id]}`, HANDSHAKE_SIGNING_KEY: files.keyFile(id),
    HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: files.registry, HANDSHAKE_PARTNERS_DIR: partnersDir,
    DATABASE_URL: urls[id], HANDSHAKE_DATA_DIR: `${files.dir}/${id}`, HANDSHAKE_DATA_KEY: randomBytes(32).toString('hex'),
    XIHAIKE_STD_API_KEY: API_KEY, LOG_LEVEL: 'warn',
  });
  const procs: GatewayProcess[] = [];
  try {
    procs.push(...await Promise.all([startGatewayProcess(env('gaoxin'), ports.gaoxin), startGatewayProcess(env('xihaike'), ports.xihaike)]));
  } catch (e) {
    await Promise.all(procs.map((p) => p.stop(true)));
    throw e;
  }
  const clerkDb = await openDatabase({ databaseUrl: urls.gaoxin, pgliteDir: '', migrate: false, maxConnections: 1 });
  const { token } = await addClerk({ ctx: { db: clerkDb.db, clock: systemClock, ids: randomIds }, input: { name: '王五', window: 'kuayu-1', role: 'intake', windows: null } });
  await clerkDb.close();
  const sql = postgres(urls.gaoxin, { max: 2, onnotice: () => {} });
  const xihaikeSql = postgres(urls.xihaike, { max: 1, onnotice: () => {} });
  return {
    gaoxinUrl: `http://127.0.0.1:${ports.gaoxin}`, token, sql, xihaikeSql,
    /** What gaoxin's process logged (LOG_LEVEL=warn). */
    gaoxinLog: () => procs[0]!.output(),
    async close() {
      await Promise.all(procs.map((p) => p.stop()));
      await Promise.all([sql.end({ timeout: 1 }), xihaikeSql.end({ timeout: 1 })]);
      const root = postgres(admin, { max: 1, onnotice: () => {} });
      for (const name of Object.values(names)) await root.unsafe(`drop database if exists ${name} with (force)`);
      await root.end();
    },
  };
}

type Members = Awaited<ReturnType<typeof startMembers>>;

/** The clerk's side of a case: take it in and add its materials (untimed in the latency runs). */
function clerkApi(m: Members, fetch: ReturnType<typeof createNodeFetch>['fetch']) {
  let createRetries = 0;
  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const headers: Record<string, string> = { authorization: `Bearer ${m.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(m.gaoxinUrl + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }
  async function prepare(n: number): Promise<string> {
    const body = {
      itemCode: ITEM, mode: 'proxy_intake', applicant: { kind: 'person', name: `申请人${n}`, idType: 'resident_id', idNumber: `37021119920${String(n).padStart(7, '0')}` },
      identityCheck: { method: 'id_card_reader', result: 'passed' }, delivery: { method: 'window' }, consent: { dataSharing: true, at: new Date().toISOString() },
    };
    let created = await call('POST', '/api/v1/cases', body);
    // Windows numbering a case at once collide; the service retries 5 times, then answers 500. Counted, then retried.
    for (let i = 0; created.status === 500 && i < 5; i++, createRetries++) created = await call('POST', '/api/v1/cases', body);
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
  return { prepare, transfer, createRetries: () => createRetries };
}

interface Done { receipt: number; backOffice: number | null; remoteRef: string }

/**
 * When each case's receipt was recorded at gaoxin (its row's updated_at, ms) and, when xihaike has a back
 * office, when the sandbox took it in; polled until every case has both.
 */
async function receipts(m: Members, refs: string[], submittedAt: (remoteRef: string) => number | null, timeoutMs = 120_000): Promise<Map<string, Done>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await m.sql`select ref, remote_ref, updated_at from cases where ref in ${m.sql(refs)} and state = 'received'`;
    const done = new Map<string, Done>();
    for (const r of rows) {
      const submitted = backOffice.present ? submittedAt(r.remote_ref as string) : null;
      if (!backOffice.present || submitted !== null) done.set(r.ref as string, { receipt: (r.updated_at as Date).getTime(), backOffice: submitted, remoteRef: r.remote_ref as string });
    }
    if (done.size === refs.length) return done;
    if (Date.now() > deadline) throw new Error(`only ${done.size} of ${refs.length} cases done after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, refs.length > 1 ? 20 : 2));
  }
}

function table(rows: [string, number[]][]): string {
  const head = `  ${''.padEnd(40)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'n'.padStart(6)}`;
  return [head, ...rows.map(([name, xs]) => `  ${name.padEnd(40)}${quantile(xs, 0.5).toFixed(1).padStart(10)}${quantile(xs, 0.99).toFixed(1).padStart(10)}${String(xs.length).padStart(6)}`)].join('\n');
}

/** The end of a case's journey: in its back office when there is one, else its receipt at gaoxin. */
const endOf = (d: Done) => d.backOffice ?? d.receipt;

const backOffice = { present: false };

async function main() {
  const watchdog = setTimeout(() => { console.error(`bench: still running after ${WATCHDOG_MS / 1000} s, giving up`); process.exit(1); }, WATCHDOG_MS);
  watchdog.unref();
  const admin = process.env.DATABASE_URL;
  console.log('cloud-handshake cases benchmark');
  for (const line of machineFacts()) console.log(line);
  if (!admin) {
    console.log('skipped: needs PostgreSQL (DATABASE_URL), to read case states from the gateways\' databases');
    return;
  }
  const sandbox = await startSandbox({ apiKey: API_KEY, services: { 'STD-GJJ-003': [] } });
  const http = createNodeFetch();
  const members = await startMembers(admin, sandbox.url);
  const submittedAt = (remoteRef: string) => {
    const k = [...sandbox.control.cases.values()].find((c) => c.externalRef === remoteRef);
    return k ? Date.parse(k.createdAt) : null;
  };
  try {
    const clerk = clerkApi(members, http.fetch);
    // Warm-up, and whether xihaike's gateway passes cases to its back office yet.
    const warm = await Promise.all(Array.from({ length: 8 }, (_, i) => clerk.prepare(100_000 + i)));
    await Promise.all(warm.map((ref) => clerk.transfer(ref)));
    await receipts(members, warm, submittedAt);
    const waitUntil = Date.now() + 5_000;
    while (!sandbox.control.cases.size && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 100));
    backOffice.present = sandbox.control.cases.size > 0;
    console.log(`back office ${backOffice.present ? 'xihaike submits each received case to the standard sandbox: counted in every figure' : 'NOT measured: xihaike\'s gateway submitted nothing to its back office within 5 s of the warm-up (the back-office path is not wired yet)'}`);
    console.log(`database PostgreSQL (DATABASE_URL, a fresh database per member); members gaoxin and xihaike in their own processes, as npm start runs them`);
    console.log(`case     ${ITEM} proxy_intake, 5 materials, 64 KiB together (base64 in JSON at the clerk API and in the §7.1 body)\n`);

    // 1. Throughput: CONCURRENCY clerks, each case create + 5 materials + transfer, until its receipt is in.
    const refs: string[] = [];
    const startedAt = new Map<string, number>();
    const transferredAt = new Map<string, number>();
    const t0 = Date.now();
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < CASES) {
        const n = next++;
        const start = Date.now();
        const ref = await clerk.prepare(n);
        startedAt.set(ref, start);
        transferredAt.set(ref, Date.now());
        await clerk.transfer(ref);
        refs.push(ref);
      }
    }));
    const done = await receipts(members, refs, submittedAt);
    const seconds = (Math.max(...[...done.values()].map(endOf)) - t0) / 1000;
    const until = backOffice.present ? 'in the back office' : 'receipt at gaoxin';
    console.log(`throughput: ${CASES} cases, ${CONCURRENCY} clerks at once, each case 7 clerk API calls (create, 5 materials, transfer)`);
    console.log(`  ${(CASES / seconds).toFixed(1)} cases/s ${until}   (${seconds.toFixed(1)} s; ${(CASES * 64 / 1024 / seconds).toFixed(2)} MiB/s of materials; create answered 500 and was retried ${clerk.createRetries()} times)`);
    const rows: [string, number[]][] = [
      ['create -> receipt at gaoxin', refs.map((r) => done.get(r)!.receipt - startedAt.get(r)!)],
      ['transfer -> receipt at gaoxin', refs.map((r) => done.get(r)!.receipt - transferredAt.get(r)!)],
    ];
    if (backOffice.present) {
      rows.push(['create -> in the back office', refs.map((r) => done.get(r)!.backOffice! - startedAt.get(r)!)]);
      rows.push(['transfer -> in the back office', refs.map((r) => done.get(r)!.backOffice! - transferredAt.get(r)!)]);
    }
    console.log(table(rows));
    if (clerk.createRetries()) console.log(`  (gaoxin logged "could not number the case" ${members.gaoxinLog().split('could not number the case').length - 1} times: concurrent windows collide on max(case number) + 1)`);
    console.log('');

    // 2. Latency, one case at a time, alternating: the adapter straight to the sandbox, and the gateway hop.
    // A random pause before each pair, so the cases do not fall into step with the workers' polling.
    const adapter = createStandardAdapter({ partner: xihaikePartner(sandbox.url), fetch: http.fetch, clock: systemClock, logger: silentLogger, secret: () => API_KEY });
    const prepared = await Promise.all(Array.from({ length: SAMPLES }, (_, i) => clerk.prepare(200_000 + i)));
    const direct: number[] = [];
    const answered: number[] = [];
    const toReceipt: number[] = [];
    const toBackOffice: number[] = [];
    const sentAt = new Map<string, number>();
    for (let i = 0; i < SAMPLES; i++) {
      const submission: CaseSubmission = {
        caseRef: `cs_bench${String(i).padStart(8, '0')}`, itemCode: ITEM, mode: 'proxy_intake',
        applicant: { kind: 'person', name: `申请人${i}`, idType: 'resident_id', idNumber: '370211199202021234' },
        intake: { member: 'gaoxin', window: 'kuayu-1', clerk: 'ck_bench', receivedAt: new Date().toISOString() },
        materials: materialsOf(i).map((mt) => ({ ...mt, size: mt.content.byteLength, sha256: sha256(mt.content), content: new Uint8Array(mt.content) })),
        delivery: { method: 'window' },
      };
      const runDirect = async () => { const t = performance.now(); await adapter.submitCase(submission); direct.push(performance.now() - t); };
      const runGateway = async () => {
        const ref = prepared[i]!;
        const t = Date.now();
        await clerk.transfer(ref);
        answered.push(Date.now() - t);
        const d = (await receipts(members, [ref], submittedAt)).get(ref)!;
        sentAt.set(d.remoteRef, t);
        toReceipt.push(d.receipt - t);
        if (d.backOffice !== null) toBackOffice.push(d.backOffice - t);
      };
      await new Promise((r) => setTimeout(r, Math.random() * 1_000));
      if (i % 2) { await runDirect(); await runGateway(); } else { await runGateway(); await runDirect(); }
    }
    console.log(`latency: ${SAMPLES} cases one at a time, gateway and direct alternating (the gateway side timed from the transfer call)`);
    // When xihaike took each case in (its row's received_at): the outbound hop, without the way back.
    const taken = await members.xihaikeSql`select ref, received_at from cases where role = 'handling' and ref in ${members.xihaikeSql([...sentAt.keys()])}`;
    const toXihaike = taken.map((r) => (r.received_at as Date).getTime() - sentAt.get(r.ref as string)!);
    const latency: [string, number[]][] = [['direct: adapter.submitCase -> sandbox', direct], ['gateway -> gateway (receipt at gaoxin)', toReceipt]];
    if (toBackOffice.length) latency.push(['gateway -> gateway -> back office', toBackOffice]);
    console.log(table([...latency, ['  of which: transfer call answered (202)', answered], ['  of which: taken in at xihaike', toXihaike]]));
    for (const [name, xs] of latency.slice(1)) {
      console.log(`  ${name} / direct: p50 ${(quantile(xs, 0.5) / quantile(direct, 0.5)).toFixed(1)}x, p99 ${(quantile(xs, 0.99) / quantile(direct, 0.99)).toFixed(1)}x`);
    }
    console.log(`loadavg  ${loadAverage()} (after the run)`);
  } finally {
    await members.close();
    await http.close();
    await sandbox.close();
    clearTimeout(watchdog);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
