/**
 * `npm run bench:cases-scale`: the clerk API's case list and search (GET /api/v1/cases) on 1,000,000 seeded
 * cases against the same queries on 10,000, in the same run: two gateway processes (as `npm start` runs
 * them), one on each database, queried in alternating slices. Target: case search p99 under 50 ms at 1M.
 * Then, labelled as an experiment, the same queries with indexes created by hand in the bench's own
 * databases (never a migration). Samples the big gateway's RSS. Needs PostgreSQL (DATABASE_URL); creates
 * and drops its own databases. Informational: exits 0 whatever the figures. Bounded; a watchdog.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '../src/entry/node/database';
import { createNodeFetch } from '../src/entry/node/http';
import { readDefaultCatalog } from '../src/entry/node/catalog';
import { systemClock } from '../src/lib/clock';
import { randomIds } from '../src/lib/ids';
import { createSealer } from '../src/lib/sealed';
import { addClerk } from '../src/services/clerks/add-clerk';
import type { ClerkIdentity } from '../src/services/clerks/schema';
import { createTestAlliance, writeAllianceFiles } from '../tests/support/alliance';
import { createProcessDatabase, dropDatabases } from '../tests/support/db';
import { caseQueries, explainQuery, planSummary, queryPath, type CaseQuery } from './lib/case-queries';
import { countOverdue, seedCases } from './lib/case-seed';
import { spawnGateway, type SpawnedGateway } from './lib/gateway-spawn';
import { runAlternating, type LoadResult, type Shot } from './lib/load';
import { envInt, loadAverage, machineFacts } from './lib/report';
import { latencyPairTable } from './lib/scale-report';
import { EXPERIMENTS, RssSampler } from './lib/case-scale-extras';
import { startWatchdog } from './lib/watchdog';

const BIG = envInt('BENCH_CASES_BIG', 1_000_000);
const SMALL = envInt('BENCH_CASES_SMALL', 10_000);
const PER_QUERY_MS = envInt('BENCH_QUERY_MS', 3_000);
const TARGET_MS = 50;
const WATCHDOG_MS = 295_000;
const SELF = 'gaoxin';
const slices = { concurrency: 1, durationMs: PER_QUERY_MS, maxRequests: 300, rounds: 4 };
/** A side's name by its size: 10k, 1m (the database's name too). */
const sizeName = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}m` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n));
const LABELS = [sizeName(SMALL), sizeName(BIG)] as [string, string];
const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

interface Side { name: string; count: number; url: string; dbName: string; tokens: { supervisor: string; intake: string }; gateway?: SpawnedGateway }

/** A fresh database, migrated, seeded with `count` cases, vacuumed and analyzed, with a supervisor and an intake clerk. */
async function prepareDatabase(admin: string, name: string, count: number, seed: Omit<Parameters<typeof seedCases>[1], 'count'>): Promise<Side> {
  const { name: dbName, url } = await createProcessDatabase(admin, `hs_bench_cases_${name}`);
  const database = await openDatabase({ databaseUrl: url, pgliteDir: '', maxConnections: 1 });
  const ctx = { db: database.db, clock: systemClock, ids: randomIds };
  const supervisor = await addClerk({ ctx, input: { name: '李主任', window: 'kuayu-1', role: 'supervisor', windows: null } });
  const intake = await addClerk({ ctx, input: { name: '王五', window: 'kuayu-1', role: 'intake', windows: null } });
  await database.close();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const t0 = performance.now();
    await seedCases(sql, { ...seed, count });
    const seeded = secs(t0);
    await sql.unsafe('vacuum analyze cases');
    const [size] = await sql`select pg_size_pretty(pg_total_relation_size('cases')) as total`;
    console.log(`  ${name}: ${count.toLocaleString('en-US')} cases seeded in ${seeded} s (${secs(t0)} s with vacuum analyze); table and indexes ${size!.total}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
  return { name, count, url, dbName, tokens: { supervisor: supervisor.token, intake: intake.token } };
}

/** Values the searches look for, taken from the big database (the same text is sent to both). */
async function pickValues(url: string, items: string[]) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // The seed's refs are md5('case' || g): the case at three quarters of the two years, and a 3-character name from a third of the way.
    const ref = (g: number) => `cs_${createHash('md5').update(`case${g}`).digest('hex').slice(0, 16)}`;
    const [row] = await sql`select applicant_name, intake_case_id from cases where ref = ${ref(Math.floor(BIG * 0.75))}`;
    const [full] = await sql`select applicant_name from cases where char_length(applicant_name) = 3 and ref >= ${ref(Math.floor(BIG / 3))} order by ref limit 1`;
    return { item: items[10]!, fullName: (full?.applicant_name as string) ?? '王欣怡', shortName: '王芳', rareShortName: '曹轩', caseId: (row?.intake_case_id as string) ?? `${SELF}-20250101-0001` };
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function main() {
  const watchdog = startWatchdog(WATCHDOG_MS);
  console.log('cloud-handshake cases scale benchmark');
  for (const line of machineFacts()) console.log(line);
  const admin = process.env.DATABASE_URL;
  if (!admin) {
    console.log('skipped: needs PostgreSQL (DATABASE_URL): it seeds 1,000,000 cases in a database of its own');
    return;
  }
  const now = new Date();
  const dataKey = randomBytes(32);
  const sealer = await createSealer(dataKey);
  const items = (readDefaultCatalog().file as { items: { code: string }[] }).items.map((i) => i.code);
  const seed = { self: SELF, items, now, sealedId: await sealer.seal('370102199003071234'), sealedPhone: await sealer.seal('13805321234') };
  const alliance = await createTestAlliance([{ id: SELF, endpoint: 'http://127.0.0.1:9/gaoxin' }, { id: 'xihaike', endpoint: 'http://127.0.0.1:9/xihaike' }]);
  const files = writeAllianceFiles(alliance, await alliance.sign(1, Math.floor(now.getTime() / 1000) - 60));
  const partnersDir = join(files.dir, 'partners'); // no partner files: no back-office worker polling the seeded cases
  mkdirSync(partnersDir);
  const sides: Side[] = [];
  const http = createNodeFetch();
  const rss = new RssSampler();
  // Once, whoever asks first (the run's end or the watchdog); the other waits for the same promise.
  let tearing: Promise<void> | null = null;
  const teardown = () => (tearing ??= (async () => {
    rss.stop();
    await Promise.all(sides.map((s) => s.gateway?.close()));
    await http.close();
    await dropDatabases(admin, sides.map((s) => s.dbName));
    await rm(files.dir, { recursive: true, force: true });
  })());
  watchdog.cleanup(teardown);
  try {
    console.log(`\nseeding (one INSERT ... SELECT FROM generate_series each; ${items.length} catalog items, ${SELF} and 12 other members, two years):`);
    sides.push(await prepareDatabase(admin, LABELS[0], SMALL, seed));
    sides.push(await prepareDatabase(admin, LABELS[1], BIG, seed));
    const [small, big] = sides as [Side, Side];
    const values = await pickValues(big.url, items);
    for (const side of sides) {
      side.gateway = await spawnGateway({
        HANDSHAKE_MEMBER_ID: SELF, HANDSHAKE_SIGNING_KEY: files.keyFile(SELF), HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: files.registry,
        HANDSHAKE_PARTNERS_DIR: partnersDir, HANDSHAKE_DATA_DIR: join(files.dir, side.name), HANDSHAKE_DATA_KEY: dataKey.toString('hex'),
        HANDSHAKE_PUBLIC_URL: 'http://127.0.0.1:9/gaoxin', DATABASE_URL: side.url,
      });
    }
    rss.start({ [small.name]: small.gateway!, [big.name]: big.gateway! });
    console.log(`\ngateways: member ${SELF} in two processes (as npm start runs them, LOG_LEVEL=warn), one on each database; loadavg ${loadAverage()}`);
    console.log(`load: one clerk at a time (concurrency 1), each query ${PER_QUERY_MS} ms per side in ${slices.rounds} alternating slices (at most ${slices.maxRequests} per side),`);
    console.log(`after 3 unmeasured requests per side; supervisor's token unless the query says intake clerk; every answer a 200 with its rows read\n`);

    const queries = caseQueries(values, now);
    const measure = async (list: CaseQuery[]) => {
      const rows: Parameters<typeof latencyPairTable>[0] = [];
      for (const q of list) {
        const seen = ['', ''];
        const shots = sides.map((side, i): Shot => async () => {
          const res = await http.fetch(side.gateway!.url + queryPath(q), { headers: { authorization: `Bearer ${side.tokens[q.clerk]}` } });
          const body = (await res.json()) as unknown[];
          if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body).slice(0, 200)}`);
          seen[i] = String(body.length);
          return true;
        });
        for (let i = 0; i < 3; i++) for (const shot of shots) await shot();
        const [s, b] = await runAlternating(shots, slices);
        rows.push({ name: q.name, small: s!, big: b!, target: TARGET_MS, returned: `${seen[0]}/${seen[1]}` });
      }
      return rows;
    };
    const health = await runAlternating(sides.map((side): Shot => async () => (await http.fetch(`${side.gateway!.url}/health`)).ok), slices);
    const first = await measure(queries);
    printTable(first, health as [LoadResult, LoadResult]);
    const overdueRows = first.find((r) => r.name === 'overdue=true')?.returned ?? '?';
    const overdue500 = await Promise.all(sides.map(async (side) => ((await (await http.fetch(`${side.gateway!.url}/api/v1/cases?overdue=true&limit=500`, { headers: { authorization: `Bearer ${side.tokens.supervisor}` } })).json()) as unknown[]).length));
    console.log(`\noverdue check: overdue=true answered ${overdueRows} rows (${LABELS.join('/')}), overdue=true&limit=500 ${overdue500.join('/')} rows;`);
    console.log(`  the databases hold ${await overdueCount(small.url)}/${await overdueCount(big.url)} cases overdue by clockView (open clocks past due)`);
    const missed = queries.filter((q) => first.find((r) => r.name === q.name)!.big.p99Ms >= TARGET_MS);
    console.log(`\nplans at ${big.name} of the queries over ${TARGET_MS} ms (EXPLAIN ANALYZE of the SQL listCases sends, run once more):`);
    const clerk = (role: 'supervisor' | 'intake'): ClerkIdentity => ({ id: 'ck_bench', name: 'bench', window: 'kuayu-1', role, member: SELF });
    for (const q of missed) console.log(`  ${q.name.padEnd(38)} ${planSummary(await explainQuery(big.url, q, clerk(q.clerk), now))}`);
    rss.mark('after the queries');

    // EXPERIMENT: indexes created by hand in the bench's own databases, then every query each may help, again.
    const latest = new Map(first.map((r) => [r.name, r.big.p99Ms]));
    for (const exp of EXPERIMENTS) {
      const affected = queries.filter((q) => exp.helps(q));
      console.log(`\nEXPERIMENT (not a migration: created by hand in the bench databases): ${exp.label}`);
      for (const side of sides) console.log(`  ${side.name}: ${await exp.create(side.url)}`);
      const rows = await measure(affected);
      printTable(rows);
      for (const r of rows) latest.set(r.name, r.big.p99Ms);
      for (const q of affected.filter((x) => missed.includes(x))) console.log(`  plan at ${big.name}: ${q.name.padEnd(36)} ${planSummary(await explainQuery(big.url, q, clerk(q.clerk), now))}`);
    }
    const still = [...latest].filter(([, p99]) => p99 >= TARGET_MS).map(([name, p99]) => `${name} (${p99.toFixed(1)} ms)`);
    console.log(`\nover ${TARGET_MS} ms p99 at ${big.name} with every experiment's index: ${still.join(', ') || 'none'}`);
    console.log(`\nRSS of the gateway processes (VmRSS, sampled every 250 ms):`);
    for (const line of rss.report()) console.log(`  ${line}`);
    console.log(`loadavg  ${loadAverage()} (after the run)`);
  } finally {
    await teardown();
    watchdog.clear();
  }
}

function printTable(rows: Parameters<typeof latencyPairTable>[0], health?: [LoadResult, LoadResult]) {
  const all = health ? [{ name: 'GET /health (no database)', small: health[0], big: health[1] }, ...rows] : rows;
  for (const line of latencyPairTable(all, LABELS)) console.log(line);
}

async function overdueCount(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await countOverdue(sql, SELF, new Date());
  } finally {
    await sql.end({ timeout: 1 });
  }
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
