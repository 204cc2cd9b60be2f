import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { Database } from '../../src/db/client';
import { evidenceRecords, idempotencyKeys, outboxMessages } from '../../src/db/schema/index';
import { startOutboxWorker } from '../../src/entry/node/outbox-worker';
import { createOutbox, type OutboxSettings } from '../../src/federation/outbox/outbox';
import type { OutboxMessage } from '../../src/federation/outbox/enqueue';
import { fixedClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { silentLogger } from '../../src/lib/logger';
import type { Gateway } from '../../src/gateway';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, openSameDatabase, type TestDatabase } from '../support/db';
import { inProcessFetch, startTestGateway } from '../support/gateway';

const ALPHA = 'https://alpha.example.test';
const BETA = 'https://beta.example.test';
const PING = { kind: 'ping', to: 'beta', method: 'POST', path: '/federation/v1/ping' } as const;

const clock = fixedClock(Date.now());
let alliance: TestAlliance;
let dbA: TestDatabase;
let dbB: TestDatabase;
let alpha: Gateway;
let beta: Gateway;
let betaBlockingAlpha: Gateway;

/** What B's front door saw: one entry per request that reached it. */
interface Seen { key: string | null; jti: string; status: number; replayed: boolean }
type Fault = 'unavailable' | 'lose_answer' | 'unsigned_ok';
const door = { seen: [] as Seen[], faults: [] as Fault[], down: false, receiver: null as Gateway | null, hold: null as Promise<void> | null };

const problem503 = () => new Response(JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'upstream_unavailable', detail: 'the receiver is overloaded' }), {
  status: 503, headers: { 'content-type': 'application/problem+json' },
});

/** In front of B: records each request, and can fail it the way a proxy or an outage would. */
async function frontDoor(req: Request): Promise<Response> {
  const jti = decodeJwt(req.headers.get('handshake-request') ?? '').jti!;
  const key = req.headers.get('idempotency-key');
  const hold = door.hold;
  door.hold = null;
  if (hold) await hold;
  const fault = door.down ? 'unavailable' : door.faults.shift();
  if (fault === 'unavailable') {
    door.seen.push({ key, jti, status: 503, replayed: false });
    return problem503();
  }
  if (fault === 'unsigned_ok') {
    door.seen.push({ key, jti, status: 200, replayed: false });
    return Response.json({ member: 'beta', at: new Date(clock.now()).toISOString() });
  }
  const res = await door.receiver!.app.fetch(req);
  door.seen.push({ key, jti, status: res.status, replayed: res.headers.get('idempotent-replayed') === 'true' });
  return fault === 'lose_answer' ? problem503() : res;
}

beforeAll(async () => {
  alliance = await createTestAlliance([{ id: 'alpha', endpoint: ALPHA }, { id: 'beta', endpoint: BETA }]);
  const token = await alliance.sign(1, Math.floor(clock.now() / 1000));
  [dbA, dbB] = [await createTestDatabase(), await createTestDatabase()];
  const fetch = inProcessFetch({ [BETA]: { app: { fetch: frontDoor } } });
  alpha = await startTestGateway({ alliance, memberId: 'alpha', database: dbA.database, clock, registry: () => token, fetch });
  beta = await startTestGateway({ alliance, memberId: 'beta', database: dbB.database, clock, registry: () => token });
  betaBlockingAlpha = await startTestGateway({ alliance, memberId: 'beta', database: dbB.database, clock, registry: () => token, blockedMembers: ['alpha'] });
});

afterAll(async () => {
  await dbA?.drop();
  await dbB?.drop();
});

beforeEach(async () => {
  await dbA.database.db.delete(outboxMessages);
  Object.assign(door, { seen: [], faults: [], down: false, receiver: beta, hold: null });
});

/** An outbox of member alpha with its own settings (and so its own circuits), on A's database or another pool of it. */
function outboxOfAlpha(settings: OutboxSettings = {}, database: Database = dbA.database) {
  return createOutbox({ random: () => 0.5, ...settings, db: database.db, client: alpha.client, clock, ids: randomIds, logger: silentLogger });
}

async function row(id: string): Promise<OutboxMessage> {
  const [r] = await dbA.database.db.select().from(outboxMessages).where(eq(outboxMessages.id, id));
  return r!;
}

/** Runs the outbox until nothing is left to do, moving the clock to each next attempt. */
async function drain(outbox: ReturnType<typeof outboxOfAlpha>, trail: Date[] = []) {
  for (let round = 0; round < 200; round++) {
    await outbox.runOnce(8);
    const waiting = await dbA.database.db.select().from(outboxMessages).where(eq(outboxMessages.status, 'pending'));
    if (!waiting.length) return;
    const next = Math.min(...waiting.map((m) => m.nextAttemptAt.getTime()));
    trail.push(new Date(next));
    clock.set(Math.max(clock.now(), next));
  }
  throw new Error('the outbox did not settle');
}

const keysAtB = async (key: string) => dbB.database.db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.iss, 'alpha'), eq(idempotencyKeys.key, key)));

describe('enqueue', () => {
  it('writes in the caller\'s transaction: rolled back, nothing is left; committed, the message waits, due now', async () => {
    const db = dbA.database.db;
    await expect(db.transaction(async (tx) => {
      await alpha.outbox.enqueue(tx, { ...PING, kind: 'rolled_back', body: { n: 1 } });
      tx.rollback();
    })).rejects.toThrow();
    expect(await db.select().from(outboxMessages).where(eq(outboxMessages.kind, 'rolled_back'))).toHaveLength(0);

    const m = await db.transaction((tx) => alpha.outbox.enqueue(tx, { ...PING, caseRef: 'cs_1', body: { n: 2 } }));
    expect(m.id).toMatch(/^ob_/);
    expect(await row(m.id)).toMatchObject({
      status: 'pending', attempts: 0, idempotencyKey: m.id, caseRef: 'cs_1', targetMember: 'beta', nextAttemptAt: new Date(clock.now()), leaseUntil: null,
    });
    expect(new TextDecoder().decode((await row(m.id)).body)).toBe('{"n":2}');
  });

  it('keeps given bytes and a given Idempotency-Key as they are, and refuses a malformed message', async () => {
    const bytes = new TextEncoder().encode('{"exact": "bytes" }');
    const m = await alpha.outbox.enqueue(dbA.database.db, { ...PING, body: bytes, idempotencyKey: 'my-key-1' });
    expect(new Uint8Array((await row(m.id)).body)).toEqual(bytes);
    expect(m.idempotencyKey).toBe('my-key-1');
    await expect(alpha.outbox.enqueue(dbA.database.db, { ...PING, to: 'Not A Member' })).rejects.toThrow(/not a member id/);
    await expect(alpha.outbox.enqueue(dbA.database.db, { ...PING, idempotencyKey: 'x'.repeat(129) })).rejects.toThrow(/idempotencyKey/);
  });
});

describe('personal data', () => {
  it('a personal body is sealed at rest, opened only to be sent: the receiver gets the exact bytes', async () => {
    const plain = JSON.stringify({ applicant: { idNumber: '370211199202021234' } });
    const m = await alpha.outbox.enqueue(dbA.database.db, { ...PING, body: JSON.parse(plain) as object, personal: true });
    const stored = await row(m.id);
    expect(stored.bodySealed).toBe(true);
    expect(Buffer.from(stored.body).toString('utf8')).not.toContain('370211199202021234');
    expect(Buffer.from(stored.body).toString('utf8')).not.toContain(Buffer.from(plain).toString('base64'));
    expect(await alpha.outbox.runOnce()).toEqual(['delivered']);
    const [sent] = await dbA.database.db.select().from(evidenceRecords).where(eq(evidenceRecords.kind, 'request_sent')).orderBy(desc(evidenceRecords.seq)).limit(1);
    expect(sent!.bodyDigest).toBe(createHash('sha256').update(plain).digest('base64url'));
    // An outbox without the data key cannot open it: the message waits rather than going out sealed.
    const keyless = outboxOfAlpha();
    const again = await alpha.outbox.enqueue(dbA.database.db, { ...PING, body: JSON.parse(plain) as object, personal: true });
    expect(await keyless.runOnce()).toEqual(['retry']);
    expect(await row(again.id)).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/sealed/) });
    expect(door.seen).toHaveLength(1);
  });
});

describe('delivery', () => {
  it('a verified 2xx marks the message delivered, keeps B\'s signed answer as the receipt and calls onDelivered in the same transaction', async () => {
    const hooked: { id: string; status: string; token: string | null }[] = [];
    const off = alpha.outbox.onDelivered((m, answer) => { hooked.push({ id: m.id, status: m.status, token: answer.responseToken }); });
    const m = await alpha.outbox.enqueue(dbA.database.db, { ...PING, body: { hello: 'beta' } });
    expect(await alpha.outbox.runOnce()).toEqual(['delivered']);
    off();
    const r = await row(m.id);
    expect(r).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 200, lastStatus: 200, lastError: null, leaseUntil: null, deliveredAt: new Date(clock.now()) });
    expect(JSON.parse(new TextDecoder().decode(r.responseBody!))).toMatchObject({ member: 'beta' });
    expect(decodeJwt(r.responseToken!)).toMatchObject({ iss: 'beta', aud: 'alpha', hts: 200, rqj: door.seen[0]!.jti });
    expect(hooked).toEqual([{ id: m.id, status: 'delivered', token: r.responseToken }]);
    expect(door.seen).toEqual([{ key: m.id, jti: expect.any(String), status: 200, replayed: false }]);
    expect(await keysAtB(m.id)).toMatchObject([{ status: 200, path: '/federation/v1/ping' }]);
  });

  it('after 503s it is retried with backoff, the same Idempotency-Key and a new jti each attempt, then delivered', async () => {
    const outbox = outboxOfAlpha({ retry: { baseMs: 1_000, factor: 2 } });
    door.faults = ['unavailable', 'unavailable'];
    const m = await outbox.enqueue(dbA.database.db, PING);
    const start = clock.now();
    expect(await outbox.runOnce()).toEqual(['retry']);
    // Full jitter with random() = 0.5: half of base * factor^(attempts-1).
    expect(await row(m.id)).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 503, nextAttemptAt: new Date(start + 500) });
    expect((await row(m.id)).lastError).toMatch(/^upstream_unavailable: the receiver is overloaded \(unsigned answer\)/);
    clock.advance(500);
    expect(await outbox.runOnce()).toEqual(['retry']);
    expect((await row(m.id)).nextAttemptAt).toEqual(new Date(start + 500 + 1_000));
    expect(await outbox.runOnce()).toEqual([]);
    clock.advance(1_000);
    expect(await outbox.runOnce()).toEqual(['delivered']);
    expect(await row(m.id)).toMatchObject({ status: 'delivered', attempts: 3, responseStatus: 200 });
    expect(door.seen.map((s) => s.key)).toEqual([m.id, m.id, m.id]);
    expect(new Set(door.seen.map((s) => s.jti)).size).toBe(3);
    expect(await keysAtB(m.id)).toHaveLength(1);
  });

  it('an answer lost on its way back: the retry gets B\'s first answer again, so B did the work once', async () => {
    const outbox = outboxOfAlpha();
    door.faults = ['lose_answer'];
    const m = await outbox.enqueue(dbA.database.db, PING);
    await drain(outbox);
    expect(await row(m.id)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(door.seen.map((s) => [s.status, s.replayed])).toEqual([[200, false], [200, true]]);
    expect(await keysAtB(m.id)).toHaveLength(1);
  });

  it('a 2xx without a valid response signature is not a result: it is retried', async () => {
    const outbox = outboxOfAlpha();
    door.faults = ['unsigned_ok'];
    const m = await outbox.enqueue(dbA.database.db, PING);
    expect(await outbox.runOnce()).toEqual(['retry']);
    expect((await row(m.id)).lastError).toMatch(/^bad_response_signature:/);
    await drain(outbox);
    expect(await row(m.id)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('a final 4xx (B shuts alpha out: 403 not_authorized) makes it dead at once; retryDead sends it again', async () => {
    const outbox = outboxOfAlpha();
    door.receiver = betaBlockingAlpha;
    const m = await outbox.enqueue(dbA.database.db, { ...PING, caseRef: 'cs_dead' });
    expect(await outbox.runOnce()).toEqual(['dead']);
    const dead = await row(m.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 1, lastStatus: 403, deadAt: new Date(clock.now()), leaseUntil: null });
    expect(dead.lastError).toMatch(/^not_authorized: route ping is not open to alpha$/);
    clock.advance(3600_000);
    expect(await outbox.runOnce()).toEqual([]);
    const listed = await outbox.listOutbox({ status: 'dead', member: 'beta', caseRef: 'cs_dead' });
    expect(listed.map((l) => l.id)).toEqual([m.id]);
    expect(listed[0]).not.toHaveProperty('body');
    expect(await outbox.listOutbox({ status: 'dead', member: 'gamma' })).toEqual([]);

    door.receiver = beta;
    expect(await outbox.retryDead(m.id)).toMatchObject({ status: 'pending', attempts: 1, deadAt: null, nextAttemptAt: new Date(clock.now()) });
    expect(await outbox.runOnce()).toEqual(['delivered']);
    expect(await row(m.id)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await outbox.retryDead(m.id)).toBeNull();
  });

  it('past its retry horizon a failing message is dead; no retry was planned beyond the horizon', async () => {
    const horizonMs = 30 * 60_000;
    const outbox = outboxOfAlpha({ retry: { baseMs: 60_000, capMs: 5 * 60_000, horizonMs }, circuit: { threshold: 1_000 } });
    door.down = true;
    const m = await outbox.enqueue(dbA.database.db, PING);
    const trail: Date[] = [];
    await drain(outbox, trail);
    const r = await row(m.id);
    const horizon = m.createdAt.getTime() + horizonMs;
    expect(r).toMatchObject({ status: 'dead', lastStatus: 503 });
    expect(r.lastError).toMatch(/retry horizon of 30 min passed after \d+ attempts\)$/);
    expect(r.deadAt!.getTime()).toBe(horizon);
    expect(trail.every((t) => t.getTime() <= horizon)).toBe(true);
    expect(r.attempts).toBe(door.seen.length);
    expect(r.attempts).toBeGreaterThan(5);
  });
});

describe('order within a case', () => {
  it("a case's messages to one member go one at a time, in the order queued; other cases' go alongside", async () => {
    const [first, second, other] = await dbA.database.db.transaction(async (tx) => [
      await alpha.outbox.enqueue(tx, { ...PING, caseRef: 'cs_order', body: { n: 1 } }),
      await alpha.outbox.enqueue(tx, { ...PING, caseRef: 'cs_order', body: { n: 2 } }),
      await alpha.outbox.enqueue(tx, { ...PING, caseRef: 'cs_other', body: { n: 3 } }),
    ]);
    expect(await alpha.outbox.runOnce(8)).toEqual(['delivered', 'delivered']);
    expect([(await row(first!.id)).status, (await row(second!.id)).status, (await row(other!.id)).status]).toEqual(['delivered', 'pending', 'delivered']);
    expect(await alpha.outbox.runOnce(8)).toEqual(['delivered']);
    expect((await row(second!.id)).status).toBe('delivered');
  });

  it('a message waiting for its retry holds the later ones of its case until it is delivered', async () => {
    const [first, second] = await dbA.database.db.transaction(async (tx) => [
      await alpha.outbox.enqueue(tx, { ...PING, caseRef: 'cs_wait', body: { n: 1 } }),
      await alpha.outbox.enqueue(tx, { ...PING, caseRef: 'cs_wait', body: { n: 2 } }),
    ]);
    door.faults.push('unavailable');
    expect(await alpha.outbox.runOnce(8)).toEqual(['retry']);
    expect(await alpha.outbox.runOnce(8)).toEqual([]);
    clock.set((await row(first!.id)).nextAttemptAt.getTime());
    expect(await alpha.outbox.runOnce(8)).toEqual(['delivered']);
    expect((await row(second!.id)).status).toBe('pending');
    expect(await alpha.outbox.runOnce(8)).toEqual(['delivered']);
    expect(door.seen.map((d) => d.key)).toEqual([first!.id, first!.id, second!.id]);
  });

  it('a dead message no longer holds the ones after it', async () => {
    const [first, second] = await dbA.database.db.transaction(async (tx) => [
      await alpha.outbox.enqueue(tx, { ...PING, caseRef: 'cs_dead', body: { n: 1 } }),
      await alpha.outbox.enqueue(tx, { ...PING, caseRef: 'cs_dead', body: { n: 2 } }),
    ]);
    door.receiver = betaBlockingAlpha;
    expect(await alpha.outbox.runOnce(8)).toEqual(['dead']);
    door.receiver = beta;
    expect(await alpha.outbox.runOnce(8)).toEqual(['delivered']);
    expect([(await row(first!.id)).status, (await row(second!.id)).status]).toEqual(['dead', 'delivered']);
  });
});

describe('several workers', () => {
  it('a claim whose lease ran out is taken over; the worker that lost it neither sends nor writes', async () => {
    const [one, two] = [outboxOfAlpha({ leaseMs: 10_000 }), outboxOfAlpha({ leaseMs: 10_000 })];
    const m = await one.enqueue(dbA.database.db, PING);
    const [claimed] = await one.claimDue(10);
    expect(claimed).toMatchObject({ id: m.id, status: 'delivering', attempts: 1 });
    expect(await two.claimDue(10)).toEqual([]);
    clock.advance(10_001);
    expect(await two.runOnce()).toEqual(['delivered']);
    expect(await one.deliver(claimed!)).toBe('lease_lost');
    expect(await row(m.id)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(door.seen).toHaveLength(1);
  });

  it('a worker whose lease ran out during its request cannot overwrite the outcome of the one that took over', async () => {
    const [one, two] = [outboxOfAlpha({ leaseMs: 10_000 }), outboxOfAlpha({ leaseMs: 10_000 })];
    let release!: () => void;
    door.hold = new Promise((r) => { release = r; });
    const m = await one.enqueue(dbA.database.db, PING);
    const first = one.runOnce();
    while (door.hold) await new Promise((r) => setTimeout(r, 5)); // its request is now held at B's door
    clock.advance(10_001);
    expect(await two.runOnce()).toEqual(['delivered']);
    release();
    // Its request reached B late: B answered from its record, and the stale worker's write was fenced off.
    expect(await first).toEqual(['lease_lost']);
    expect(await row(m.id)).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });
    expect(await keysAtB(m.id)).toHaveLength(1);
  });

  it('two workers on one database deliver each of 60 messages exactly once', async () => {
    const second = dbA.url ? await openSameDatabase(dbA.url) : dbA.database;
    try {
      const outboxes = [outboxOfAlpha(), outboxOfAlpha({}, second)];
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) ids.push((await outboxes[i % 2]!.enqueue(dbA.database.db, { ...PING, body: { i } })).id);
      const workers = outboxes.map((o) => startOutboxWorker(o, { logger: silentLogger, pollMs: 20, concurrency: 8 }));
      const deadline = Date.now() + 20_000;
      while ((await dbA.database.db.select().from(outboxMessages).where(eq(outboxMessages.status, 'delivered'))).length < 60) {
        if (Date.now() > deadline) throw new Error('not all delivered in time');
        await new Promise((r) => setTimeout(r, 20));
      }
      await Promise.all(workers.map((w) => w.stop()));
      const perKey = new Map<string, number>();
      for (const s of door.seen) perKey.set(s.key!, (perKey.get(s.key!) ?? 0) + 1);
      expect([...perKey.keys()].sort()).toEqual([...ids].sort());
      expect([...perKey.values()].every((n) => n === 1)).toBe(true);
      const wanted = new Set(ids);
      const atB = (await dbB.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.iss, 'alpha'))).filter((k) => wanted.has(k.key));
      expect(atB.map((k) => k.status)).toEqual(ids.map(() => 200));
      expect((await dbA.database.db.select().from(outboxMessages)).every((r) => r.attempts === 1)).toBe(true);
    } finally {
      if (second !== dbA.database) await second.close();
    }
  });

  it('the worker loop is woken by an enqueue, long before its next poll', async () => {
    const outbox = outboxOfAlpha();
    const worker = startOutboxWorker(outbox, { logger: silentLogger, pollMs: 60_000 });
    await new Promise((r) => setTimeout(r, 50));
    const m = await outbox.enqueue(dbA.database.db, PING);
    const deadline = Date.now() + 5_000;
    while ((await row(m.id)).status !== 'delivered' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect((await row(m.id)).status).toBe('delivered');
  });
});

describe('circuit per member', () => {
  it('opens after consecutive failures, puts messages off to the cooldown\'s end, then one probe closes it and the rest go', async () => {
    const outbox = outboxOfAlpha({ retry: { baseMs: 1_000 }, circuit: { threshold: 3, cooldownMs: 60_000 } });
    door.down = true;
    const ms: OutboxMessage[] = [];
    for (let i = 0; i < 5; i++) {
      ms.push(await outbox.enqueue(dbA.database.db, { ...PING, body: { i } }));
      clock.advance(1); // claims go oldest first: the first three fail, the last two meet the open circuit
    }
    for (let i = 0; i < 3; i++) expect(await outbox.runOnce(1)).toEqual(['retry']);
    expect(outbox.circuitState('beta')).toBe('open');
    const openedAt = clock.now();
    expect(await outbox.runOnce(10)).toEqual(['deferred', 'deferred']);
    expect(door.seen).toHaveLength(3);
    for (const m of ms.slice(3)) expect(await row(m.id)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: new Date(openedAt + 60_000) });
    clock.advance(30_000);
    expect(await outbox.runOnce(10)).toEqual(['deferred', 'deferred', 'deferred']);
    expect(door.seen).toHaveLength(3);

    clock.advance(30_000);
    door.down = false;
    expect(outbox.circuitState('beta')).toBe('half_open');
    const probe = await outbox.runOnce(10);
    expect(probe.filter((r) => r === 'delivered')).toHaveLength(1);
    expect(probe.filter((r) => r === 'deferred')).toHaveLength(4);
    expect(outbox.circuitState('beta')).toBe('closed');
    // Closing the circuit released the messages put off behind the probe.
    expect(await outbox.runOnce(10)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    expect(door.seen.filter((s) => s.status === 200)).toHaveLength(5);
    expect((await Promise.all(ms.map((m) => row(m.id)))).map((r) => r.attempts)).toEqual([2, 2, 2, 1, 1]);
  });

  it('a failed probe opens the circuit again for another cooldown', async () => {
    const outbox = outboxOfAlpha({ retry: { baseMs: 1_000 }, circuit: { threshold: 2, cooldownMs: 10_000 } });
    door.down = true;
    for (let i = 0; i < 3; i++) await outbox.enqueue(dbA.database.db, { ...PING, body: { i } });
    for (let i = 0; i < 2; i++) await outbox.runOnce(1);
    clock.advance(10_000);
    const probe = await outbox.runOnce(10);
    expect(probe.filter((r) => r === 'retry')).toHaveLength(1);
    expect(outbox.circuitState('beta')).toBe('open');
    expect(door.seen).toHaveLength(3);
  });
});
