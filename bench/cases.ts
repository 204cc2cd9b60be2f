/**
 * `npm run bench:cases`: cases end to end through two member gateway processes (as `npm start` runs them),
 * each case 64 KiB of materials: at gaoxin's clerk API create + 5 materials + transfer, then delivered by
 * the outbox to xihaike, its receipt recorded back at gaoxin (and, once xihaike's gateway submits cases to
 * its back office, submitted to the standard sandbox). Then the latency the gateway hop adds: the standard
 * adapter's submitCase straight to the sandbox against the same case through gateway -> gateway, measured
 * alternately in the same run. Informational: exits 0 whatever the figures. Needs PostgreSQL (DATABASE_URL).
 */
import { createStandardAdapter } from '../adapters/standard/index';
import { createNodeFetch } from '../src/entry/node/http';
import { systemClock } from '../src/lib/clock';
import { silentLogger } from '../src/lib/logger';
import { clerkApi, ITEM, startPipeline, submissionOf, xihaikePartner, type Pipeline } from './lib/case-pipeline';
import { envInt, loadAverage, machineFacts } from './lib/report';

const CASES = envInt('BENCH_CASES', 150);
const CONCURRENCY = envInt('BENCH_CONCURRENCY', 8);
const SAMPLES = envInt('BENCH_LATENCY_SAMPLES', 40);
const WATCHDOG_MS = 240_000;
const API_KEY = 'bench-api-key';

const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN; };

interface Done { receipt: number; backOffice: number | null; remoteRef: string }

/**
 * When each case's receipt was recorded at gaoxin (its row's updated_at, ms) and, when xihaike has a back
 * office, when the sandbox took it in; polled until every case has both.
 */
async function receipts(m: Pipeline, refs: string[], submittedAt: (remoteRef: string) => number | null, timeoutMs = 120_000): Promise<Map<string, Done>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await m.sql.gaoxin`select ref, remote_ref, updated_at from cases where ref in ${m.sql.gaoxin(refs)} and state = 'received'`;
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
  const http = createNodeFetch();
  const members = await startPipeline(admin);
  const { sandbox } = members;
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
    console.log(`  ${(CASES / seconds).toFixed(1)} cases/s ${until}   (${seconds.toFixed(1)} s; ${(CASES * 64 / 1024 / seconds).toFixed(2)} MiB/s of materials)`);
    const rows: [string, number[]][] = [
      ['create -> receipt at gaoxin', refs.map((r) => done.get(r)!.receipt - startedAt.get(r)!)],
      ['transfer -> receipt at gaoxin', refs.map((r) => done.get(r)!.receipt - transferredAt.get(r)!)],
    ];
    if (backOffice.present) {
      rows.push(['create -> in the back office', refs.map((r) => done.get(r)!.backOffice! - startedAt.get(r)!)]);
      rows.push(['transfer -> in the back office', refs.map((r) => done.get(r)!.backOffice! - transferredAt.get(r)!)]);
    }
    console.log(table(rows));
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
      const submission = submissionOf(i);
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
    const taken = await members.sql.xihaike`select ref, received_at from cases where role = 'handling' and ref in ${members.sql.xihaike([...sentAt.keys()])}`;
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
    clearTimeout(watchdog);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
