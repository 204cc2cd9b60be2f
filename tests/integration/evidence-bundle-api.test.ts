import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceRecords } from '../../src/db/schema/index';
import { verifyBundle, type EvidenceBundle } from '../../src/federation/evidence/bundle';
import type { Logger } from '../../src/lib/logger';
import { ENDPOINTS, twoMembers, type Member, type TwoMembers } from '../support/two-members';

const T0 = Date.parse('2026-03-02T09:00:00+08:00');
const ID_NUMBER = '370211199202021234';

const logged: object[] = [];
const recorder: Logger = {
  debug: (o) => logged.push(o), info: (o) => logged.push(o), warn: (o) => logged.push(o), error: (o) => logged.push(o),
  child: (b) => { logged.push(b); return recorder; },
};

let m: TwoMembers;
let tokens: Record<'intake' | 'gxHandling' | 'gxSupervisor' | 'xhSupervisor', string>;
let ref: { gx: string; xh: string };

beforeAll(async () => {
  m = await twoMembers(T0);
  tokens = {
    intake: await m.clerk('gaoxin', 'intake'), gxHandling: await m.clerk('gaoxin', 'handling'),
    gxSupervisor: await m.clerk('gaoxin', 'supervisor'), xhSupervisor: await m.clerk('xihaike', 'supervisor'),
  };
  ref = await m.transferredCase(tokens.intake);
  // One §7.2 event back, so that the bundle holds exchanges in both directions.
  const handling = await m.clerk('xihaike', 'handling');
  expect((await m.api('xihaike', handling, 'POST', `/api/v1/cases/${ref.xh}/events`, { type: 'accepted' })).status).toBe(200);
  expect(await m.gw.xihaike.outbox.runOnce()).toEqual(['delivered']);
  for (const member of ['gaoxin', 'xihaike'] as const) m.gw[member].deps.logger = recorder;
});

afterAll(async () => { await m?.drop(); });

async function download(member: Member, caseRef: string, token: string | null) {
  const res = await m.gw[member].app.request(`${ENDPOINTS[member]}/api/v1/cases/${caseRef}/evidence-bundle`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const verify = (member: Member, bundle: unknown) =>
  verifyBundle(bundle, { pinned: m.alliance.anchors, engine: m.gw[member].deps.engine, nowSec: Math.floor(m.clock.now() / 1000) });

const kinds = (bundle: EvidenceBundle) => bundle.records.map((r) => `${r.kind} ${r.method} ${r.path}`);

describe('GET /api/v1/cases/{ref}/evidence-bundle', () => {
  it("downloads the intake member's bundle for a supervisor, and it verifies offline with the pinned anchor keys", async () => {
    const r = await download('gaoxin', ref.gx, tokens.gxSupervisor);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/json');
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="evidence-${ref.gx}.json"`);
    const bundle = r.json as EvidenceBundle;
    expect(bundle).toMatchObject({ format: 'handshake-evidence-bundle/1', member: 'gaoxin', caseRef: ref.gx, exportedAt: new Date(m.clock.now()).toISOString() });
    expect(kinds(bundle)).toEqual(expect.arrayContaining([
      'request_sent POST /federation/v1/cases', 'response_received POST /federation/v1/cases',
      `request_received POST /federation/v1/cases/${ref.xh}/events`, `response_sent POST /federation/v1/cases/${ref.xh}/events`,
    ]));
    expect(await verify('gaoxin', bundle)).toEqual({ anchors: 'pinned', snapshots: 1, records: bundle.records.length, firstBad: null });
    // The bodies sealed at rest are opened: the auditor needs no data key (and so the bundle is for supervisors only).
    const transfer = bundle.records.find((x) => x.kind === 'request_sent' && x.path === '/federation/v1/cases')!;
    const [stored] = await m.dbs.gaoxin.database.db.select({ body: evidenceRecords.body }).from(evidenceRecords).where(eq(evidenceRecords.seq, transfer.seq));
    expect(stored!.body).toMatch(/^v1\./);
    expect(transfer.body).not.toMatch(/^v1\./);
    expect(JSON.parse(Buffer.from(transfer.body!, 'base64').toString('utf8'))).toMatchObject({ applicant: { idNumber: ID_NUMBER } });
  });

  it('the verifier finds a changed record, so the download is what the log holds', async () => {
    const bundle = (await download('gaoxin', ref.gx, tokens.gxSupervisor)).json as EvidenceBundle;
    const changed = structuredClone(bundle);
    changed.records[0]!.path = '/federation/v1/ping';
    expect(await verify('gaoxin', changed)).toMatchObject({ firstBad: { seq: bundle.records[0]!.seq } });
  });

  it("downloads the handling member's bundle under its own ref, and it verifies too", async () => {
    const r = await download('xihaike', ref.xh, tokens.xhSupervisor);
    expect(r.status).toBe(200);
    const bundle = r.json as EvidenceBundle;
    expect(bundle).toMatchObject({ member: 'xihaike', caseRef: ref.xh });
    expect(kinds(bundle)).toEqual(expect.arrayContaining(['request_received POST /federation/v1/cases', 'response_sent POST /federation/v1/cases']));
    expect((await verify('xihaike', bundle)).firstBad).toBeNull();
  });

  it('logs the export with the case ref and the clerk, never the content', async () => {
    logged.length = 0;
    expect((await download('gaoxin', ref.gx, tokens.gxSupervisor)).status).toBe(200);
    expect(logged).toContainEqual(expect.objectContaining({ caseRef: ref.gx, clerk: expect.stringMatching(/^ck_/), records: expect.any(Number) }));
    const text = JSON.stringify(logged);
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain('李四');
    expect(text).not.toContain(Buffer.from(ID_NUMBER).toString('base64').slice(0, 16));
  });

  it('is for supervisors only: intake and handling clerks are 403; no token is 401', async () => {
    expect(await download('gaoxin', ref.gx, tokens.intake)).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
    expect(await download('gaoxin', ref.gx, tokens.gxHandling)).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
    const anon = await download('gaoxin', ref.gx, null);
    expect(anon).toMatchObject({ status: 401, json: { code: 'not_authorized' } });
    expect(anon.headers.get('content-disposition')).toBeNull();
  });

  it('a case this member does not hold is 404 (an unknown ref, the other member\'s ref); a malformed ref 400', async () => {
    expect(await download('gaoxin', 'cs_0000000000000000', tokens.gxSupervisor)).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect(await download('gaoxin', ref.xh, tokens.gxSupervisor)).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect(await download('xihaike', ref.gx, tokens.xhSupervisor)).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect(await download('gaoxin', 'not-a-ref', tokens.gxSupervisor)).toMatchObject({ status: 400, json: { code: 'invalid_request', errors: [{ path: 'ref' }] } });
  });
});
