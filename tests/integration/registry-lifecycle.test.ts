import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/federation/envelope/sign';
import { generateSigningKey, loadSigner } from '../../src/federation/keys';
import { fixedClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import type { JWK } from 'jose';
import type { Gateway } from '../../src/gateway';
import type { Logger } from '../../src/lib/logger';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';

const BASE = 'https://beta.example.test';
const T0 = 1_800_000_000;
const clock = fixedClock(T0 * 1000);
const nowSec = () => Math.floor(clock.now() / 1000);
let alliance: TestAlliance;
let tdb: TestDatabase;
let gw: Gateway;
let published: string;
let fetches = 0;
const logged: { level: string; obj: Record<string, unknown> }[] = [];

const recorder = (): Logger => {
  const l: Logger = {
    debug: () => {}, info: () => {},
    warn: (obj) => logged.push({ level: 'warn', obj: obj as Record<string, unknown> }),
    error: (obj) => logged.push({ level: 'error', obj: obj as Record<string, unknown> }),
    child: () => l,
  };
  return l;
};

beforeAll(async () => {
  alliance = await createTestAlliance([{ id: 'alpha', endpoint: 'https://alpha.example.test' }, { id: 'beta', endpoint: BASE }]);
  published = await alliance.sign(1, T0);
  tdb = await createTestDatabase();
  gw = await startTestGateway({ alliance, memberId: 'beta', database: tdb.database, clock, logger: recorder(), registry: () => { fetches++; return published; } });
});

afterAll(async () => {
  await tdb?.drop();
});

async function pingWith(jwk: JWK) {
  const signer = await loadSigner(jwk);
  const { token } = await signRequest(signer, { iss: 'alpha', aud: 'beta', method: 'POST', url: `${BASE}/federation/v1/ping`, body: new Uint8Array() }, clock, randomIds);
  const res = await gw.app.request(`${BASE}/federation/v1/ping`, { method: 'POST', headers: { 'handshake-request': token } });
  return { status: res.status, code: res.status === 200 ? 'ok' : ((await res.json()) as { code: string }).code };
}

const alpha = () => alliance.members.get('alpha')!;

describe('registry rotation, revocation, suspension and expiry (§2)', () => {
  let oldKey: JWK;
  let newKey: JWK;

  it('rotation: a newly published key is found by one refresh on unknown kid; the retiring key still works', async () => {
    oldKey = alpha().privateJwk;
    newKey = (await generateSigningKey()).privateJwk;
    expect(await pingWith(oldKey)).toEqual({ status: 200, code: 'ok' });
    alpha().keyStatus = 'retiring';
    alpha().extraKeys = [{ jwk: newKey, status: 'active' }];
    clock.advance(60_000);
    published = await alliance.sign(2, nowSec());
    expect(await pingWith(newKey)).toEqual({ status: 200, code: 'ok' });
    expect(gw.registry.current()!.seq).toBe(2);
    expect(await pingWith(oldKey)).toEqual({ status: 200, code: 'ok' });
  });

  it('an unknown kid refreshes at most once per 30 s', async () => {
    const stranger = (await generateSigningKey()).privateJwk;
    const before = fetches;
    clock.advance(31_000);
    expect((await pingWith(stranger)).code).toBe('unknown_key');
    expect((await pingWith(stranger)).code).toBe('unknown_key');
    expect(fetches - before).toBe(1);
  });

  it('revocation takes effect at the next refresh, not before', async () => {
    alpha().keyStatus = 'revoked';
    clock.advance(60_000);
    published = await alliance.sign(3, nowSec());
    expect((await pingWith(oldKey)).code).toBe('ok');
    expect((await gw.registry.refresh()).outcome).toBe('taken');
    expect(await pingWith(oldKey)).toEqual({ status: 401, code: 'key_revoked' });
    expect((await pingWith(newKey)).code).toBe('ok');
  });

  it('a suspended member is refused after the refresh', async () => {
    alpha().status = 'suspended';
    clock.advance(60_000);
    published = await alliance.sign(4, nowSec());
    await gw.registry.refresh();
    expect(await pingWith(newKey)).toEqual({ status: 403, code: 'member_suspended' });
    alpha().status = 'active';
    clock.advance(60_000);
    published = await alliance.sign(5, nowSec());
    await gw.registry.refresh();
    expect((await pingWith(newKey)).code).toBe('ok');
  });

  it('a bad or older snapshot is refused and the last good one kept', async () => {
    const good = published;
    const [h, p, s] = good.split('.');
    // Change a data-carrying character (the last one of an Ed25519 signature is half padding bits).
    published = `${h}.${p}.${s!.slice(0, 10)}${s![10] === 'A' ? 'B' : 'A'}${s!.slice(11)}`;
    expect(await gw.registry.refresh()).toMatchObject({ outcome: 'refused' });
    published = await alliance.sign(4, nowSec());
    expect(await gw.registry.refresh()).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('lower') });
    const foreign = await createTestAlliance([{ id: 'alpha', endpoint: 'https://alpha.example.test' }]);
    published = await foreign.sign(99, nowSec());
    expect(await gw.registry.refresh()).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('not a pinned anchor key') });
    expect(gw.registry.current()!.seq).toBe(5);
    published = good;
    expect((await gw.registry.refresh()).outcome).toBe('unchanged');
  });

  it('the last good snapshot survives a restart when the source is down', async () => {
    const restarted = await startTestGateway({ alliance, memberId: 'beta', database: tdb.database, clock, registry: () => { throw new Error('source down'); } });
    expect(restarted.registry.current()!.seq).toBe(5);
    expect(restarted.registry.status().expired).toBe(false);
  });

  it('past exp with no fresh snapshot: known keys still verify, new keys are refused, /ready fails and an alert is logged', async () => {
    const stranger = (await generateSigningKey()).privateJwk;
    clock.advance(8 * 24 * 3600 * 1000);
    logged.length = 0;
    expect(await gw.registry.refresh()).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('expired') });
    expect(logged.some((l) => l.level === 'error' && l.obj.alert === 'registry_expired')).toBe(true);
    expect((await pingWith(newKey)).code).toBe('ok');
    expect((await pingWith(stranger)).code).toBe('unknown_key');
    const ready = await gw.app.request(`${BASE}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ code: 'upstream_unavailable', errors: [{ path: 'registry' }] });
    published = await alliance.sign(6, nowSec());
    await gw.registry.refresh();
    expect((await gw.app.request(`${BASE}/ready`)).status).toBe(200);
  });
});
