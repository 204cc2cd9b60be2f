import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceRecords, outboxMessages, registrySnapshots, replayGuard } from '../../src/db/schema/index';
import { enqueueMessage } from '../../src/federation/outbox/enqueue';
import { createSealer } from '../../src/lib/sealed';
import { createHash } from 'node:crypto';
import { startTestGateway } from '../support/gateway';
import { freePort, listen } from '../support/http';
import { signRequest } from '../../src/federation/envelope/sign';
import { verifyResponse } from '../../src/federation/envelope/verify';
import { loadSigner, type Signer } from '../../src/federation/keys';
import { buildKeyIndex, type KeyIndex } from '../../src/federation/registry/key-index';
import { verifyRegistry } from '../../src/federation/registry/verify';
import { seconds, systemClock } from '../../src/lib/clock';
import { utf8 } from '../../src/lib/encoding';
import { randomIds } from '../../src/lib/ids';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';

// Member ids need at least two characters (§1), hence alpha and beta rather than a and b.
const A = 'alpha';
const B = 'beta';
const B_URL = 'https://b.example.test';
const PING = `${B_URL}/federation/v1/ping`;

/** What postgres.js's Cloudflare build imports; nodejs_compat provides these. Anything else is a leak. */
const RUNTIME_IMPORTS = ['cloudflare:sockets', 'node:buffer', 'node:events', 'node:stream'];

interface WorkerBuild { outfile: string; bytes: number; externalImports: string[] }
// A .mjs script: imported by URL so that tsc does not ask for its types.
const BUILD_SCRIPT = new URL('../../scripts/build-worker.mjs', import.meta.url).href;
const loadBuildScript = () => import(BUILD_SCRIPT) as Promise<{ buildWorker(o: { outfile: string }): Promise<WorkerBuild> }>;
const CONSOLE_SCRIPT = new URL('../../scripts/build-console.mjs', import.meta.url).href;
const buildConsoleInto = (outdir: string) => (import(CONSOLE_SCRIPT) as Promise<{ buildConsole(o: { outdir: string; minify: boolean }): Promise<unknown> }>).then((m) => m.buildConsole({ outdir, minify: false }));

describe.skipIf(!process.env.DATABASE_URL)('the Workers entry in workerd on PostgreSQL via Hyperdrive (needs DATABASE_URL: skipped without a PostgreSQL server)', () => {
  let dir: string;
  let bundle: WorkerBuild;
  let tdb: TestDatabase;
  let mf: Miniflare | undefined;
  let alpha: Signer;
  let registry: KeyIndex;
  let portA: number;
  let testAlliance: TestAlliance;
  let registryToken: string;
  let alphaServer: { close(): Promise<void> } | undefined;
  let alphaDb: TestDatabase | undefined;
  let consoleDir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'handshake-worker-'));
    consoleDir = join(dir, 'console');
    await buildConsoleInto(consoleDir);
    portA = await freePort();
    const [built, database, alliance] = await Promise.all([
      loadBuildScript().then((m) => m.buildWorker({ outfile: join(dir, 'worker.js') })),
      createTestDatabase(),
      // alpha is a Node gateway on loopback: the Worker's outbox delivers to it.
      createTestAlliance([{ id: A, endpoint: `http://127.0.0.1:${portA}` }, { id: B, endpoint: B_URL }]),
    ]);
    testAlliance = alliance;
    registryToken = await alliance.sign(1, seconds(systemClock));
    bundle = built;
    tdb = database;
    const token = registryToken;
    registry = buildKeyIndex(await verifyRegistry(token, alliance.anchors, seconds(systemClock), null));
    alpha = await loadSigner(alliance.members.get(A)!.privateJwk);
    // Miniflare's Hyperdrive wants a password in the URL; trust authentication ignores it.
    const hyperdrive = new URL(tdb.url!);
    hyperdrive.password ||= 'unused';
    mf = new Miniflare({
      modules: true, scriptPath: bundle.outfile, modulesRoot: dir,
      compatibilityDate: '2024-09-23', compatibilityFlags: ['nodejs_compat'],
      hyperdrives: { HYPERDRIVE: hyperdrive.toString() },
      // What wrangler.toml's [assets] binding gives the Worker: the built console, by path.
      serviceBindings: { ASSETS: async (req: { url: string }) => {
        const file = join(consoleDir, new URL(req.url).pathname);
        if (!existsSync(file)) return new Response('not found', { status: 404 });
        return new Response(readFileSync(file), { headers: { 'content-type': file.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8' } });
      } },
      bindings: {
        HANDSHAKE_MEMBER_ID: B, HANDSHAKE_PUBLIC_URL: B_URL,
        HANDSHAKE_SIGNING_KEY: JSON.stringify(alliance.members.get(B)!.privateJwk),
        HANDSHAKE_ANCHOR_JWKS: JSON.stringify(alliance.anchors),
        HANDSHAKE_REGISTRY: token,
        HANDSHAKE_DATA_KEY: 'ab'.repeat(32),
        LOG_LEVEL: 'warn',
      },
    });
    await mf.ready;
  });

  afterAll(async () => {
    // Each step runs even if one before it fails (a Miniflare that never started throws on dispose).
    const steps = await Promise.allSettled([mf?.dispose(), tdb?.drop(), alphaServer?.close(), alphaDb?.drop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
    for (const s of steps) if (s.status === 'rejected') throw s.reason;
  });

  async function signedPing(signedBody: string, sentBody = signedBody) {
    const { token, claims } = await signRequest(alpha, { iss: A, aud: B, method: 'POST', url: PING, body: utf8(signedBody) }, systemClock, randomIds);
    return { token, jti: claims.jti, send: (t = token) => post({ 'handshake-request': t }, sentBody) };
  }

  async function post(headers: Record<string, string>, body: string) {
    const res = await mf!.dispatchFetch(PING, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body });
    return { status: res.status, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) };
  }

  const json = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;

  const verifyAnswer = (res: { status: number; headers: { get(name: string): string | null }; body: Uint8Array }, requestJti: string) =>
    verifyResponse({ token: res.headers.get('handshake-response'), status: res.status, body: res.body, requestJti },
      { registry, selfId: A, nowSec: seconds(systemClock) });

  it('bundles no node: module but those postgres.js needs under nodejs_compat', () => {
    expect(bundle.externalImports).toEqual(RUNTIME_IMPORTS);
  });

  it('serves the window console from the assets binding, with its CSP, and nothing outside it', async () => {
    const page = await mf!.dispatchFetch(`${B_URL}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('/console/assets/app.js');
    const script = await mf!.dispatchFetch(`${B_URL}/console/assets/app.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(1000);
    expect((await mf!.dispatchFetch(`${B_URL}/console/assets/missing.js`)).status).toBe(404);
  });

  it('answers a signed ping with {member, at} and a response signature bound to the request', async () => {
    const ping = await signedPing('{"hello":"beta"}');
    const res = await ping.send();
    expect(res.status).toBe(200);
    const body = json(res.body);
    expect(body).toEqual({ member: B, at: expect.any(String) });
    expect(Math.abs(Date.parse(String(body.at)) - Date.now())).toBeLessThan(60_000);
    const { claims } = await verifyAnswer(res, ping.jti);
    expect(claims).toMatchObject({ iss: B, aud: A, rqj: ping.jti, hts: 200 });
  });

  it('refuses the same token again as a replay, remembered in PostgreSQL', async () => {
    const ping = await signedPing('{}');
    expect((await ping.send()).status).toBe(200);
    const again = await ping.send();
    expect(again.status).toBe(401);
    expect(json(again.body)).toMatchObject({ code: 'replay' });
    // §4: a replay passed steps 1-8, so its refusal is signed too.
    expect((await verifyAnswer(again, ping.jti)).claims.hts).toBe(401);
    const rows = await tdb.database.db.select().from(replayGuard).where(and(eq(replayGuard.iss, A), eq(replayGuard.jti, ping.jti)));
    expect(rows).toHaveLength(1);
  });

  it('refuses a body other than the one signed with digest_mismatch', async () => {
    const res = await (await signedPing('{"n":1}', '{"n":2}')).send();
    expect(res.status).toBe(401);
    expect(json(res.body)).toMatchObject({ code: 'digest_mismatch' });
  });

  it('refuses an unsigned request with missing_signature as problem+json', async () => {
    const res = await post({}, '{}');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(json(res.body)).toMatchObject({ code: 'missing_signature', status: 401 });
  });

  it('describes itself at /.well-known/handshake, with the registry it persisted', async () => {
    const res = await mf!.dispatchFetch(`${B_URL}/.well-known/handshake`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { member: string; endpoint: string; protocols: string[]; registrySeq: number; jwks: { keys: { kid: string }[] } };
    expect(body).toMatchObject({ member: B, endpoint: B_URL, protocols: ['handshake/1'], registrySeq: 1 });
    expect(body.jwks.keys.map((k) => k.kid)).toContain(registry.members.get(B)!.keys[0]!.kid);
    const stored = await tdb.database.db.select({ seq: registrySnapshots.seq }).from(registrySnapshots);
    expect(stored).toEqual([{ seq: 1 }]);
  });

  it('purges replay pairs past their keeping time on the cron trigger', async () => {
    await tdb.database.db.insert(replayGuard).values({ iss: A, jti: 'expired-pair', expiresAt: new Date(Date.now() - 60_000) });
    // Typed by hand: miniflare types its Fetcher from @cloudflare/workers-types, which this project does not install.
    const worker = (await mf!.getWorker()) as unknown as { scheduled(o: { cron: string }): Promise<{ outcome: string }> };
    const result = await worker.scheduled({ cron: '*/10 * * * *' });
    expect(result.outcome).toBe('ok');
    const left = await tdb.database.db.select().from(replayGuard).where(eq(replayGuard.jti, 'expired-pair'));
    expect(left).toEqual([]);
  });

  it('delivers the outbox on the every-minute cron: a sealed transfer-like body reaches a Node gateway, signed', async () => {
    alphaDb = await createTestDatabase();
    const alphaGateway = await startTestGateway({ alliance: testAlliance, memberId: A, database: alphaDb.database, clock: systemClock, registry: () => registryToken });
    alphaServer = await listen(alphaGateway.app.fetch, portA);
    // Enqueued as the Worker's own code would, sealed with the same data key the Worker has.
    const sealer = await createSealer(Uint8Array.from(Buffer.from('ab'.repeat(32), 'hex')));
    const message = await enqueueMessage(tdb.database.db, { kind: 'ping', to: A, method: 'POST', path: '/federation/v1/ping', body: { idNumber: '370211199202021234' }, personal: true }, { ids: randomIds, clock: systemClock, sealer });
    const worker = (await mf!.getWorker()) as unknown as { scheduled(o: { cron: string }): Promise<{ outcome: string }> };
    expect((await worker.scheduled({ cron: '* * * * *' })).outcome).toBe('ok');
    const [row] = await tdb.database.db.select().from(outboxMessages).where(eq(outboxMessages.id, message.id));
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 200 });
    expect(JSON.parse(new TextDecoder().decode(row!.responseBody!))).toMatchObject({ member: A });
    // alpha kept the request it received, with the body the Worker opened and signed.
    const [received] = await alphaDb.database.db.select().from(evidenceRecords).where(eq(evidenceRecords.kind, 'request_received'));
    expect(received).toMatchObject({ peer: B, path: '/federation/v1/ping', bodyDigest: createHash('sha256').update(JSON.stringify({ idNumber: '370211199202021234' })).digest('base64url') });
  });
});
