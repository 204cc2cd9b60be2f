import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTED_ITEM, twoMembers, type Member, type TwoMembers } from '../support/two-members';

const T0 = Date.parse('2026-03-02T09:00:00+08:00');

let m: TwoMembers;
let tokens: Record<'intake' | 'otherWindow' | 'gxHandling' | 'gxSupervisor' | 'handling' | 'xhIntake', string>;
let posted: { gx: string; xh: string };
let originals: string;

beforeAll(async () => {
  m = await twoMembers(T0);
  tokens = {
    intake: await m.clerk('gaoxin', 'intake'), otherWindow: await m.clerk('gaoxin', 'intake', 'kuayu-2'), gxHandling: await m.clerk('gaoxin', 'handling'),
    gxSupervisor: await m.clerk('gaoxin', 'supervisor'), handling: await m.clerk('xihaike', 'handling'), xhIntake: await m.clerk('xihaike', 'intake'),
  };
  posted = await m.transferredCase(tokens.intake, { method: 'post', address: '青岛市黄岛区长江中路1号' }, POSTED_ITEM);
});

afterAll(async () => { await m?.drop(); });

const ship = (member: Member, token: string, ref: string, body: unknown) => m.api(member, token, 'POST', `/api/v1/cases/${ref}/shipments`, body);
const scan = (member: Member, token: string, ref: string, id: string, body: unknown) => m.api(member, token, 'POST', `/api/v1/cases/${ref}/shipments/${id}/events`, body);
const list = (member: Member, token: string, ref: string) => m.api(member, token, 'GET', `/api/v1/cases/${ref}/shipments`);

async function event(ref: string, body: object) {
  expect((await m.api('xihaike', tokens.handling, 'POST', `/api/v1/cases/${ref}/events`, body)).status).toBe(200);
  expect(await m.gw.xihaike.outbox.runOnce()).toEqual(['delivered']);
}

describe('POST /api/v1/cases/{ref}/shipments and its events', () => {
  it('the intake window posts the originals to the handling member: in transit, with that as its first event', async () => {
    const r = await ship('gaoxin', tokens.intake, posted.gx, { direction: 'originals_to_handling', carrier: 'EMS', trackingNo: 'EA123456789CN' });
    expect(r).toMatchObject({ status: 201, json: {
      id: expect.stringMatching(/^sh_/), caseRef: posted.gx, direction: 'originals_to_handling', carrier: 'EMS', trackingNo: 'EA123456789CN', status: 'in_transit',
      createdAt: new Date(T0).toISOString(), events: [{ status: 'in_transit', at: new Date(T0).toISOString() }],
    } });
    originals = r.json.id as string;
  });

  it('records scans in order until the parcel is delivered; after that, 409', async () => {
    m.clock.advance(3 * 3_600_000);
    const a = await scan('gaoxin', tokens.intake, posted.gx, originals, { status: 'in_transit', at: '2026-03-02T11:30:00+08:00', location: '青岛转运中心' });
    expect(a).toMatchObject({ status: 201, json: { status: 'in_transit', events: [{ status: 'in_transit' }, { status: 'in_transit', location: '青岛转运中心' }] } });
    const d = await scan('gaoxin', tokens.intake, posted.gx, originals, { status: 'delivered', at: '2026-03-02T09:50:00+08:00', note: '签收' });
    expect(d.json.status).toBe('delivered');
    expect((d.json.events as { status: string }[]).map((e) => e.status)).toEqual(['in_transit', 'delivered', 'in_transit']);
    expect(await scan('gaoxin', tokens.intake, posted.gx, originals, { status: 'returned', at: '2026-03-02T10:00:00+08:00' })).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
  });

  it('the same carrier and tracking number twice on a case is 409', async () => {
    expect(await ship('gaoxin', tokens.intake, posted.gx, { direction: 'originals_to_handling', carrier: 'EMS', trackingNo: 'EA123456789CN' })).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
  });

  it('a supervisor reads the shipments of the member\'s cases', async () => {
    const r = await list('gaoxin', tokens.gxSupervisor, posted.gx);
    expect(r).toMatchObject({ status: 200, json: { caseRef: posted.gx, shipments: [{ id: originals, status: 'delivered' }] } });
  });
});

describe('a §7.2 shipped event records the shipment it announces, on both sides', () => {
  it('by post: result_to_applicant, the carrier named as our code', async () => {
    await event(posted.xh, { type: 'accepted' });
    await event(posted.xh, { type: 'decided', data: { outcome: 'approved' } });
    await event(posted.xh, { type: 'result_issued' });
    await event(posted.xh, { type: 'shipped', data: { carrier: '顺丰', trackingNo: 'SF1234567890' } });
    const xh = await list('xihaike', tokens.handling, posted.xh);
    expect(xh.json.shipments).toMatchObject([{ direction: 'result_to_applicant', carrier: 'SF', trackingNo: 'SF1234567890', status: 'in_transit', createdBy: 'xihaike', events: [{ status: 'in_transit' }] }]);
    const gx = await list('gaoxin', tokens.intake, posted.gx);
    expect(gx.json.shipments).toMatchObject([{ id: originals }, { direction: 'result_to_applicant', carrier: 'SF', trackingNo: 'SF1234567890', createdBy: 'xihaike' }]);
  });

  it('picked up at the window: result_to_window; an unknown carrier is other:<name>', async () => {
    const c = await m.transferredCase(tokens.intake);
    await event(c.xh, { type: 'accepted' });
    await event(c.xh, { type: 'decided', data: { outcome: 'approved' } });
    await event(c.xh, { type: 'result_issued' });
    await event(c.xh, { type: 'shipped', data: { carrier: '德邦', trackingNo: 'DPK300012345' } });
    expect((await list('gaoxin', tokens.intake, c.gx)).json.shipments).toMatchObject([{ direction: 'result_to_window', carrier: 'other:德邦', trackingNo: 'DPK300012345' }]);
    const mine = await ship('xihaike', tokens.handling, c.xh, { direction: 'result_to_window', carrier: 'other:德邦物流', trackingNo: 'DPK300099999' });
    expect(mine).toMatchObject({ status: 201, json: { carrier: 'other:德邦物流' } });
  });
});

describe('bad input, roles and visibility', () => {
  it('a body off the schema is 400 naming each field', async () => {
    const r = await ship('gaoxin', tokens.intake, posted.gx, { direction: 'to_moon', carrier: 'DHL', trackingNo: 'ab-1' });
    expect(r).toMatchObject({ status: 400, json: { code: 'invalid_request' } });
    expect((r.json.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['carrier', 'direction', 'trackingNo']);
    expect((await ship('gaoxin', tokens.intake, posted.gx, { direction: 'originals_to_handling', carrier: 'SF', trackingNo: 'SF1234567', extra: 1 })).status).toBe(400);
    const e = await scan('gaoxin', tokens.intake, posted.gx, originals, { status: 'stolen', at: 'yesterday' });
    expect((e.json.errors as { path: string }[]).map((x) => x.path).sort()).toEqual(['at', 'status']);
    expect(await scan('gaoxin', tokens.intake, posted.gx, originals, { status: 'in_transit', at: '2027-01-01T00:00:00+08:00' })).toMatchObject({ status: 400, json: { errors: [{ path: 'at' }] } });
    expect(await scan('gaoxin', tokens.intake, posted.gx, 'nope', { status: 'in_transit', at: '2026-03-02T10:00:00+08:00' })).toMatchObject({ status: 400, json: { errors: [{ path: 'id' }] } });
    expect(await list('gaoxin', tokens.intake, 'not-a-ref')).toMatchObject({ status: 400, json: { errors: [{ path: 'ref' }] } });
  });

  it('403: a supervisor writes nothing, a clerk of the other role neither, nor a direction the case\'s side does not send', async () => {
    const body = { direction: 'originals_to_handling', carrier: 'SF', trackingNo: 'SF7777777777' };
    expect(await ship('gaoxin', tokens.gxSupervisor, posted.gx, body)).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
    expect(await ship('gaoxin', tokens.gxHandling, posted.gx, body)).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
    expect(await ship('gaoxin', tokens.intake, posted.gx, { ...body, direction: 'result_to_window' })).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
    expect(await ship('xihaike', tokens.handling, posted.xh, body)).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
    expect(await ship('xihaike', tokens.xhIntake, posted.xh, { ...body, direction: 'result_to_applicant' })).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
    expect(await scan('gaoxin', tokens.gxSupervisor, posted.gx, originals, { status: 'lost', at: '2026-03-02T10:00:00+08:00' })).toMatchObject({ status: 403 });
  });

  it('404: another window\'s case, another member\'s ref, a shipment of another case', async () => {
    const body = { direction: 'originals_to_handling', carrier: 'SF', trackingNo: 'SF7777777777' };
    expect(await ship('gaoxin', tokens.otherWindow, posted.gx, body)).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect((await list('gaoxin', tokens.otherWindow, posted.gx)).status).toBe(404);
    expect((await list('gaoxin', tokens.intake, posted.xh)).status).toBe(404);
    expect((await list('xihaike', tokens.handling, 'cs_AAAAAAAAAAAAAAAA')).status).toBe(404);
    const other = await m.transferredCase(tokens.intake);
    expect(await scan('gaoxin', tokens.intake, other.gx, originals, { status: 'lost', at: '2026-03-02T10:00:00+08:00' })).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect(await scan('gaoxin', tokens.intake, posted.gx, 'sh_AAAAAAAAAAAAAAAA', { status: 'lost', at: '2026-03-02T10:00:00+08:00' })).toMatchObject({ status: 404 });
  });

  it('the OpenAPI document lists the operations', async () => {
    const res = await m.gw.gaoxin.app.request('https://gaoxin.example.test/api/v1/openapi.json');
    const doc = (await res.json()) as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.paths['/api/v1/cases/{ref}/shipments']).toMatchObject({ post: { operationId: 'createShipment' }, get: { operationId: 'listShipments' } });
    expect(doc.paths['/api/v1/cases/{ref}/shipments/{id}/events']?.post?.operationId).toBe('addShipmentEvent');
    expect(doc.paths['/api/v1/supervision/overdue']?.get?.operationId).toBe('listOverdueCases');
    expect(doc.paths['/api/v1/outbox']?.get?.operationId).toBe('listOutbox');
    expect(doc.paths['/api/v1/outbox/{id}/retry']?.post?.operationId).toBe('retryOutboxMessage');
  });
});
