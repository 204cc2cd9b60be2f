import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { idempotencyKeys } from '../../src/db/schema/index';
import { IdempotencyStore, STALE_CLAIM_MS, type IdempotencyRequest } from '../../src/federation/idempotency';
import { heartbeat } from '../../src/federation/instances';
import { createTestDatabase, type TestDatabase } from '../support/db';

// §5 claims of one database's instances: a claim whose instance went silent is taken over by the next
// retry at once; one whose instance is alive stays "in progress"; one that names no instance (Workers)
// waits STALE_CLAIM_MS as before.

const DEAD_MS = 2_000;
const t0 = Date.parse('2026-11-29T08:00:00Z');
const at = (ms: number) => new Date(t0 + ms);
let tdb: TestDatabase;
let n = 0;
const request = (): IdempotencyRequest => ({ iss: 'gaoxin', key: `key-${n++}`, method: 'POST', path: '/federation/v1/cases', bodyDigest: 'digest' });

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

describe('taking over §5 claims of other instances', () => {
  it('in progress while its instance beats; taken over once it has been silent for longer than the dead time', async () => {
    const a = new IdempotencyStore(tdb.database.db, { instanceId: 'gw_a', instanceDeadMs: DEAD_MS });
    const b = new IdempotencyStore(tdb.database.db, { instanceId: 'gw_b', instanceDeadMs: DEAD_MS });
    const req = request();
    await heartbeat(tdb.database.db, 'gw_a', at(0));
    expect(await a.claim(req, at(0))).toEqual({ kind: 'claimed', resumed: false });
    expect(await b.claim(req, at(1_000))).toEqual({ kind: 'in_progress' });
    await heartbeat(tdb.database.db, 'gw_a', at(1_500));
    expect(await b.claim(req, at(3_000))).toEqual({ kind: 'in_progress' });
    // a's own retry never takes its own claim over, whatever its heartbeat says.
    expect(await a.claim(req, at(9_000))).toEqual({ kind: 'in_progress' });
    expect(await b.claim(req, at(3_600))).toEqual({ kind: 'claimed', resumed: true });
    const [row] = await tdb.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, req.key));
    expect({ claimedBy: row!.claimedBy, createdAt: row!.createdAt.getTime() }).toEqual({ claimedBy: 'gw_b', createdAt: t0 + 3_600 });
    // Now b's claim: a third instance leaves it alone while b is alive.
    await heartbeat(tdb.database.db, 'gw_b', at(3_600));
    expect(await new IdempotencyStore(tdb.database.db, { instanceId: 'gw_c', instanceDeadMs: DEAD_MS }).claim(req, at(4_000))).toEqual({ kind: 'in_progress' });
    await b.complete(req, { status: 202, contentType: 'application/json', body: new TextEncoder().encode('{"ok":true}') });
    expect(await a.claim(req, at(60_000))).toMatchObject({ kind: 'replay', answer: { status: 202 } });
  });

  it('two retries racing for one abandoned claim: exactly one takes it over', async () => {
    const req = request();
    await heartbeat(tdb.database.db, 'gw_gone', at(0));
    await new IdempotencyStore(tdb.database.db, { instanceId: 'gw_gone', instanceDeadMs: DEAD_MS }).claim(req, at(0));
    // Live instances (each said so before serving); the one that wins is then alive to the others.
    for (const id of ['gw_x', 'gw_y', 'gw_z']) await heartbeat(tdb.database.db, id, at(9_000));
    const stores = ['gw_x', 'gw_y', 'gw_z'].map((id) => new IdempotencyStore(tdb.database.db, { instanceId: id, instanceDeadMs: DEAD_MS }));
    const results = await Promise.all(stores.map((s) => s.claim(req, at(10_000))));
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'in_progress')).toHaveLength(2);
  });

  it('a claim naming an instance this database never heard of is abandoned', async () => {
    const req = request();
    await new IdempotencyStore(tdb.database.db, { instanceId: 'gw_unknown', instanceDeadMs: DEAD_MS }).claim(req, at(0));
    expect(await new IdempotencyStore(tdb.database.db, { instanceId: 'gw_b', instanceDeadMs: DEAD_MS }).claim(req, at(1))).toEqual({ kind: 'claimed', resumed: true });
  });

  it('a claim that names no instance (Workers) is in progress until STALE_CLAIM_MS, as before', async () => {
    const req = request();
    await new IdempotencyStore(tdb.database.db).claim(req, at(0));
    const b = new IdempotencyStore(tdb.database.db, { instanceId: 'gw_b', instanceDeadMs: DEAD_MS });
    expect(await b.claim(req, at(STALE_CLAIM_MS))).toEqual({ kind: 'in_progress' });
    expect(await b.claim(req, at(STALE_CLAIM_MS + 1))).toEqual({ kind: 'claimed', resumed: true });
  });
});
