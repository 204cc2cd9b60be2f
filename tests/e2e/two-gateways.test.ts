import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFederationClient } from '../../src/federation/client';
import { signRequest } from '../../src/federation/envelope/sign';
import { loadSigner } from '../../src/federation/keys';
import { RegistryStore } from '../../src/federation/registry/store';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { silentLogger } from '../../src/lib/logger';
import { createTestAlliance, writeAllianceFiles, type TestAlliance } from '../support/alliance';
import { freePort } from '../support/http';
import { createProcessDatabase, dropDatabases } from '../support/db';
import { startGatewayProcess, type GatewayProcess } from '../support/process';

const ids = ['alpha', 'beta'] as const;
let alliance: TestAlliance;
let files: ReturnType<typeof writeAllianceFiles>;
const procs: Record<string, GatewayProcess> = {};
const databases: string[] = [];
const admin = process.env.DATABASE_URL;

/** A separate database per process: a fresh PostgreSQL database when DATABASE_URL is set, else its own PGlite files. */
async function databaseFor(id: string): Promise<Record<string, string>> {
  if (!admin) return { HANDSHAKE_DATA_DIR: `${files.dir}/${id}` };
  const { name, url } = await createProcessDatabase(admin, `hs_e2e_${id}`);
  databases.push(name);
  return { DATABASE_URL: url, HANDSHAKE_DATA_DIR: `${files.dir}/${id}` };
}

beforeAll(async () => {
  const ports = { alpha: await freePort(), beta: await freePort() };
  alliance = await createTestAlliance(ids.map((id) => ({ id, endpoint: `http://127.0.0.1:${ports[id]}` })));
  files = writeAllianceFiles(alliance, await alliance.sign(1, Math.floor(Date.now() / 1000)));
  await Promise.all(ids.map(async (id) => {
    const env: Record<string, string> = {
      HANDSHAKE_MEMBER_ID: id, HANDSHAKE_PUBLIC_URL: `http://127.0.0.1:${ports[id]}`, HANDSHAKE_SIGNING_KEY: files.keyFile(id),
      HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: files.registry, HANDSHAKE_REGISTRY_REFRESH_SECONDS: '1', ...(await databaseFor(id)),
    };
    procs[id] = await startGatewayProcess(env, ports[id]);
  }));
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(procs).map((p) => p.stop()));
  if (admin) await dropDatabases(admin, databases);
});

/** A client acting as `id`, built from the same files as that member's process. */
async function clientAs(id: string) {
  const registry = new RegistryStore({
    anchors: alliance.anchors, source: () => readFile(files.registry, 'utf8'),
    repository: { latest: async () => null, save: async () => {} }, clock: systemClock, logger: silentLogger,
  });
  await registry.start();
  const signer = await loadSigner(alliance.members.get(id)!.privateJwk);
  return createFederationClient({ self: { memberId: id, publicUrl: `http://unused.test`, signer }, registry, fetch, clock: systemClock, ids: randomIds });
}

describe('two gateway processes on loopback, separate databases', () => {
  it('exchange signed pings both ways, each answer signed by the other and verified', async () => {
    for (const [from, to] of [['alpha', 'beta'], ['beta', 'alpha']] as const) {
      const answer = await (await clientAs(from)).send({ to, method: 'POST', path: '/federation/v1/ping' });
      expect(answer.status).toBe(200);
      expect(answer.verified).toBe(true);
      expect(answer.responseClaims).toMatchObject({ iss: to, aud: from, rqj: answer.requestJti, hts: 200 });
      expect(answer.json()).toMatchObject({ member: to });
    }
  });

  it('a delivered request replayed byte for byte is refused by the receiving process', async () => {
    const signer = await loadSigner(alliance.members.get('alpha')!.privateJwk);
    const url = `${procs.beta!.url}/federation/v1/ping`;
    const { token } = await signRequest(signer, { iss: 'alpha', aud: 'beta', method: 'POST', url, body: new Uint8Array() }, systemClock, randomIds);
    const first = await fetch(url, { method: 'POST', headers: { 'handshake-request': token } });
    expect(first.status).toBe(200);
    const again = await fetch(url, { method: 'POST', headers: { 'handshake-request': token } });
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ code: 'replay' });
  });

  it('a live process applies a suspension at its next registry refresh', async () => {
    alliance.members.get('alpha')!.status = 'suspended';
    writeFileSync(files.registry, await alliance.sign(2, Math.floor(Date.now() / 1000)));
    const client = await clientAs('alpha');
    let status = 0;
    for (let i = 0; i < 40 && status !== 403; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const answer = await client.send({ to: 'beta', method: 'POST', path: '/federation/v1/ping' });
      status = answer.status;
      if (status === 403) expect(answer.json()).toMatchObject({ code: 'member_suspended' });
    }
    expect(status).toBe(403);
  });
});
