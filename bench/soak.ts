/**
 * `npm run soak`: a bounded soak of the case pipeline. gaoxin and xihaike in their own processes, the
 * standard sandbox as xihaike's back office; first the pipeline's capacity (cases/s, closed loop), then an
 * open loop at half of it for SOAK_MINUTES: each arrival a clerk's case (create, 5 materials of 64 KiB
 * together, transfer), delivered by gaoxin's outbox, submitted to the sandbox, accepted there, and the
 * acceptance carried back by callback and event to gaoxin. RSS of both gateways every SOAK_SAMPLE_SECONDS.
 * A check, not a bench: exits 0 when there were no errors and memory stayed flat, 1 otherwise.
 */
import { createNodeFetch } from '../src/entry/node/http';
import { clerkApi, startPipeline, watchArrivals, type Pipeline } from './lib/case-pipeline';
import { runOpenLoop, type OpenLoopResult } from './lib/open-loop';
import { loadAverage, machineFacts } from './lib/report';
import { startWatchdog } from './lib/watchdog';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const MINUTES = num('SOAK_MINUTES', 10);
const SAMPLE_S = num('SOAK_SAMPLE_SECONDS', 10);
const CAPACITY_CASES = num('SOAK_CAPACITY_CASES', 120);
const PERCENT = num('SOAK_LOAD_PERCENT', 50);
/** Memory is flat when each gateway's median RSS over the last third is at most this much above the second third's. */
const RSS_TOLERANCE = num('SOAK_RSS_TOLERANCE', 0.15);
const DRAIN_MS = 180_000;

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? Number.NaN; };
const mib = (kib: number) => (kib / 1024).toFixed(0);

interface Errors { accept: number; firstAccept: string | null }

/** Accepts each case as it arrives in the sandbox (one at a time); the sandbox posts the signed callback to xihaike. */
function acceptor(p: Pipeline, errors: Errors) {
  const queue: string[] = [];
  let busy = false;
  const drain = async () => {
    if (busy) return;
    busy = true;
    while (queue.length) {
      const id = queue.shift()!;
      try {
        const { delivery } = await p.sandbox.control.advance(id, 'accepted', { note: '材料齐全，予以受理' });
        if (!delivery || !('status' in delivery) || delivery.status !== 200) throw new Error(`callback: ${JSON.stringify(delivery)}`);
      } catch (e) {
        errors.accept++;
        errors.firstAccept ??= e instanceof Error ? e.message : String(e);
      }
    }
    busy = false;
  };
  return { add: (id: string) => { queue.push(id); void drain(); }, pending: () => queue.length + (busy ? 1 : 0) };
}

async function states(p: Pipeline) {
  const [g] = await p.sql.gaoxin`select count(*)::int as all, count(*) filter (where state = 'accepted')::int as accepted from cases where role = 'intake'`;
  const outbox = async (sql: Pipeline['sql']['gaoxin']) => (await sql`select status, count(*)::int as n from outbox_messages group by status`).reduce<Record<string, number>>((o, r) => ({ ...o, [r.status as string]: r.n as number }), {});
  return { cases: g!.all as number, accepted: g!.accepted as number, outbox: { gaoxin: await outbox(p.sql.gaoxin), xihaike: await outbox(p.sql.xihaike) } };
}

async function main() {
  const watchdog = startWatchdog((MINUTES * 60 + 600) * 1000);
  const admin = process.env.DATABASE_URL;
  console.log('cloud-handshake soak');
  for (const line of machineFacts()) console.log(line);
  if (!admin) { console.log('skipped: needs PostgreSQL (DATABASE_URL)'); watchdog.clear(); return; }
  const http = createNodeFetch();
  const p = await startPipeline(admin, { HANDSHAKE_BACKOFFICE_POLL_SECONDS: '86400' });
  watchdog.cleanup(() => p.close());
  const errors: Errors = { accept: 0, firstAccept: null };
  const accept = acceptor(p, errors);
  const arrivals = watchArrivals(p, 50, (id) => accept.add(id));
  const clerk = clerkApi(p, http.fetch);
  let n = 0;
  const aCase = async () => { const ref = await clerk.prepare(n++); await clerk.transfer(ref); return true; };
  const waitAccepted = async (count: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await states(p);
      if (s.accepted >= count || Date.now() > deadline) return s;
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  let exit = 1;
  try {
    // Capacity: 8 clerks at once, CAPACITY_CASES cases, until every one is accepted back at gaoxin.
    const t0 = Date.now();
    let left = CAPACITY_CASES;
    let capacityErrors = 0;
    await Promise.all(Array.from({ length: 8 }, async () => { while (left-- > 0) await aCase().catch(() => { capacityErrors++; }); }));
    await waitAccepted(n, DRAIN_MS);
    const capacity = CAPACITY_CASES / ((Date.now() - t0) / 1000);
    const rate = (capacity * PERCENT) / 100;
    console.log(`pipeline gaoxin -> xihaike -> standard sandbox, accepted there, the acceptance back to gaoxin by callback + event`);
    console.log(`         (PostgreSQL, a fresh database per member; back-office status polls once a day, callbacks carry the states)`);
    console.log(`capacity ${capacity.toFixed(1)} cases/s (${CAPACITY_CASES} cases, 8 clerks at once, create -> accepted at gaoxin; ${capacityErrors} errors)`);
    console.log(`soak     ${rate.toFixed(1)} cases/s (${PERCENT}%, Poisson arrivals, open loop) for ${MINUTES} min; RSS every ${SAMPLE_S} s\n`);

    const rows: { t: number; gaoxin: number; xihaike: number; cases: number; inBackOffice: number; accepted: number; load: string }[] = [];
    const soakStart = Date.now();
    const sample = async () => {
      const s = await states(p);
      rows.push({ t: (Date.now() - soakStart) / 1000, gaoxin: await p.gaoxin.rssKiB(), xihaike: await p.xihaike.rssKiB(), cases: s.cases, inBackOffice: arrivals.count(), accepted: s.accepted, load: loadAverage() });
      const r = rows.at(-1)!;
      console.log(`${r.t.toFixed(0).padStart(6)}${mib(r.gaoxin).padStart(11)}${mib(r.xihaike).padStart(12)}${String(r.cases).padStart(8)}${String(r.inBackOffice).padStart(10)}${String(r.accepted).padStart(10)}   ${r.load}`);
    };
    console.log(`${'t s'.padStart(6)}${'gaoxin MiB'.padStart(11)}${'xihaike MiB'.padStart(12)}${'cases'.padStart(8)}${'back off.'.padStart(10)}${'accepted'.padStart(10)}   loadavg`);
    await sample();
    const sampler = setInterval(() => void sample(), SAMPLE_S * 1000);
    let soak: OpenLoopResult;
    try {
      [soak] = (await runOpenLoop([aCase], { ratePerSec: rate, durationMs: MINUTES * 60_000, rounds: 1, arrivals: 'poisson', maxInFlight: 64 })) as [OpenLoopResult];
    } finally {
      clearInterval(sampler);
    }
    await sample();
    const drainStart = Date.now();
    const end = await waitAccepted(n, DRAIN_MS);
    while (accept.pending() && Date.now() - drainStart < DRAIN_MS) await new Promise((r) => setTimeout(r, 250));
    const final = await states(p);
    const drainS = (Date.now() - drainStart) / 1000;

    const dead = (final.outbox.gaoxin.dead ?? 0) + (final.outbox.xihaike.dead ?? 0);
    const open = Object.entries(final.outbox).flatMap(([, o]) => Object.entries(o).filter(([k]) => k !== 'delivered' && k !== 'dead').map(([, v]) => v)).reduce((a, b) => a + b, 0);
    const notFinal = final.cases - final.accepted;
    console.log('');
    console.log(`arrivals ${soak.scheduled} scheduled, ${soak.ok} cases taken in and transferred (${soak.perSecond.toFixed(2)}/s), clerk p50 ${soak.p50Ms.toFixed(0)} ms, p99 ${soak.p99Ms.toFixed(0)} ms, max ${soak.maxMs.toFixed(0)} ms (create + 5 materials + transfer, from the scheduled time)`);
    console.log(`drain    ${drainS.toFixed(1)} s until every case was accepted at gaoxin (${end.accepted}/${end.cases})`);
    console.log(`outbox   gaoxin ${JSON.stringify(final.outbox.gaoxin)}, xihaike ${JSON.stringify(final.outbox.xihaike)}`);
    console.log(`errors   clerk API non-2xx or dropped ${soak.failures}${soak.firstError ? ` (first: ${soak.firstError})` : ''}; capacity phase ${capacityErrors}; acceptance callbacks ${errors.accept}${errors.firstAccept ? ` (first: ${errors.firstAccept})` : ''};`);
    console.log(`         dead outbox messages ${dead}; outbox messages not delivered after the drain ${open}; cases not accepted at gaoxin ${notFinal}; sandbox cases ${arrivals.count()} of ${final.cases}`);
    const errorCount = soak.failures + capacityErrors + errors.accept + dead + open + notFinal + (final.cases - arrivals.count());

    // Thirds of the soak's samples: the first is warm-up; memory is flat when the last third's median stays near the second's.
    const third = Math.floor(rows.length / 3);
    const flat = (['gaoxin', 'xihaike'] as const).map((g) => {
      const xs = rows.map((r) => r[g]);
      const second = median(xs.slice(third, 2 * third));
      const last = median(xs.slice(2 * third));
      const ok = third >= 1 && last <= second * (1 + RSS_TOLERANCE);
      console.log(`memory   ${g.padEnd(8)} median RSS second third ${mib(second)} MiB, last third ${mib(last)} MiB (${(((last - second) / second) * 100).toFixed(1)}%), peak ${mib(Math.max(...xs))} MiB   ${ok ? 'flat' : 'GROWING'}`);
      return ok;
    });
    const pass = errorCount === 0 && flat.every(Boolean);
    console.log(`verdict  ${pass ? 'PASS' : 'FAIL'}: ${errorCount} errors; memory ${flat.every(Boolean) ? 'flat' : 'not flat'} (rule: last third's median RSS <= second third's + ${(RSS_TOLERANCE * 100).toFixed(0)}%, each gateway)`);
    console.log(`loadavg  ${loadAverage()} (after the run)`);
    exit = pass ? 0 : 1;
  } finally {
    arrivals.stop();
    await p.close();
    await http.close();
    watchdog.clear();
  }
  process.exitCode = exit;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
