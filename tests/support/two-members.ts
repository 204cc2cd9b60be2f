import { seedDefaultCatalog } from '../../src/entry/node/catalog';
import type { Gateway } from '../../src/gateway';
import { fixedClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { dbCatalogReader } from '../../src/services/catalog/catalog-in-force';
import { addClerk } from '../../src/services/clerks/add-clerk';
import type { ClerkRole } from '../../src/services/clerks/schema';
import { partnerSchema, type PartnerConfig } from '../../src/services/partners/schema';
import { createTestAlliance, type TestAlliance } from './alliance';
import { createTestDatabase, type TestDatabase } from './db';
import { inProcessFetch, startTestGateway } from './gateway';

export const ENDPOINTS = { gaoxin: 'https://gaoxin.example.test', xihaike: 'https://xihaike.example.test' } as const;
export type Member = keyof typeof ENDPOINTS;
export const ITEM = 'KS-GJJ-003';
/** Like ITEM (statutory 3, promised 1 working day), but also delivered by post. */
export const POSTED_ITEM = 'KS-GJJ-007';
/** Default catalog: statutory 3, promised 1 working day. */
export const SLA_HOURS = { transfer: 4, accept: 24, supplement: 120, decide: 48, ship: 72 } as const;
export const HOUR = 3_600_000;

/**
 * xihaike's agreement for the item, with no item mapping: its clerks handle the cases (no back office
 * takes them), and the hours apply on both sides (xihaike's own file; gaoxin's copy of xihaike's).
 */
export const xihaikeAgreement: PartnerConfig = partnerSchema.parse({
  member: 'xihaike', name: '西海岸新区行政审批服务局', adapter: 'standard', backOffice: { baseUrl: 'http://127.0.0.1:9' },
  agreements: [ITEM, POSTED_ITEM].map((item) => ({ item, modes: ['proxy_intake', 'online'], direction: 'handling', slaHours: SLA_HOURS })), items: {},
});

export interface TwoMembers {
  alliance: TestAlliance;
  clock: ReturnType<typeof fixedClock>;
  gw: Record<Member, Gateway>;
  dbs: Record<Member, TestDatabase>;
  clerk(member: Member, role: ClerkRole, window?: string): Promise<string>;
  api(member: Member, token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Takes a case in at gaoxin's window kuayu-1, completes it and transfers it; the receipt is back. */
  transferredCase(intakeToken: string, delivery?: { method: 'window' | 'post'; address?: string }, itemCode?: string): Promise<{ gx: string; xh: string }>;
  drop(): Promise<void>;
}

/** gaoxin takes cases in, xihaike handles them: each on its own database, one fixed clock, in process. */
export async function twoMembers(start: number): Promise<TwoMembers> {
  const clock = fixedClock(start);
  const alliance = await createTestAlliance(Object.entries(ENDPOINTS).map(([id, endpoint]) => ({ id, endpoint })));
  alliance.members.get('xihaike')!.items = [ITEM, POSTED_ITEM].map((code) => ({ code, modes: ['proxy_intake'] }));
  const iat = Math.floor(start / 1000) - 60;
  const registry = await alliance.sign(1, iat, iat + 7 * 86_400);
  const gw = {} as Record<Member, Gateway>;
  const dbs = {} as Record<Member, TestDatabase>;
  const fetch = inProcessFetch({ [ENDPOINTS.gaoxin]: { app: { fetch: (r) => gw.gaoxin.app.fetch(r) } }, [ENDPOINTS.xihaike]: { app: { fetch: (r) => gw.xihaike.app.fetch(r) } } });
  for (const id of ['gaoxin', 'xihaike'] as const) {
    dbs[id] = await createTestDatabase();
    await seedDefaultCatalog(dbs[id].database.db);
    gw[id] = await startTestGateway({
      alliance, memberId: id, database: dbs[id].database, clock, registry: () => registry,
      catalog: dbCatalogReader(dbs[id].database.db), fetch, partners: [xihaikeAgreement],
    });
  }
  const api: TwoMembers['api'] = async (member, token, method, path, body) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await gw[member].app.request(ENDPOINTS[member] + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, never> };
  };
  return {
    alliance, clock, gw, dbs, api,
    async clerk(member, role, window = 'kuayu-1') {
      const { token } = await addClerk({ ctx: { db: dbs[member].database.db, clock, ids: randomIds }, input: { name: `${member} ${role}`, window, role, windows: null } });
      return token;
    },
    async transferredCase(token, delivery = { method: 'window' }, itemCode = ITEM) {
      const created = await api('gaoxin', token, 'POST', '/api/v1/cases', {
        itemCode, mode: 'proxy_intake',
        applicant: { kind: 'person', name: '李四', idType: 'resident_id', idNumber: '370211199202021234' },
        identityCheck: { method: 'id_card_reader', result: 'passed' }, delivery, consent: { dataSharing: true, at: new Date(clock.now()).toISOString() },
      });
      if (created.status !== 201) throw new Error(`case not created: ${JSON.stringify(created.json)}`);
      const gx = created.json.ref as string;
      const missing = (await api('gaoxin', token, 'GET', `/api/v1/cases/${gx}/completeness`)).json.missing as { id: string }[];
      for (const { id: requirement } of missing) {
        const m = await api('gaoxin', token, 'POST', `/api/v1/cases/${gx}/materials`, { requirement, name: requirement, mediaType: 'application/pdf', content: btoa(`%PDF ${requirement}`) });
        if (m.status !== 201) throw new Error(`material refused: ${JSON.stringify(m.json)}`);
      }
      const t = await api('gaoxin', token, 'POST', `/api/v1/cases/${gx}/transfer`);
      if (t.status !== 202) throw new Error(`not transferred: ${JSON.stringify(t.json)}`);
      const sent = await gw.gaoxin.outbox.runOnce();
      if (!sent.includes('delivered')) throw new Error(`transfer not delivered: ${sent.join(', ')}`);
      const view = await api('gaoxin', token, 'GET', `/api/v1/cases/${gx}`);
      return { gx, xh: view.json.remoteRef as string };
    },
    drop: async () => { await Promise.all(Object.values(dbs).map((d) => d.drop())); },
  };
}
