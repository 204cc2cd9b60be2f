import { describe, expect, it } from 'vitest';
import { xihaikeAdapter } from '../../adapters/xihaike/index';
import { eventsFromXhkCallback, fromXhkTime, kindForCode, reportFromXhkCase, toXhkCase, toXhkTime, xhkState } from '../../adapters/xihaike/mapping';
import { createTokenCache } from '../../adapters/xihaike/token';
import { AdapterError } from '../../adapters/types';
import { fixedClock } from '../../src/lib/clock';
import { partnerConfig, sampleSubmission } from './support/harness';

const partner = partnerConfig({
  member: 'xihaike', name: '青岛西海岸新区', adapter: 'xihaike',
  backOffice: { baseUrl: 'https://xhk.example.test' },
  statusMap: { 10: 'received', 20: 'accepted', 40: 'approved', 60: 'shipped' },
  agreements: [],
  items: {
    'KS-GJJ-001': {
      serviceCode: 'XHK-37021100123',
      fieldMap: { serviceCode: 'sxbm', caseRef: 'wbbh', 'applicant.name': 'sqrxm', 'applicant.idNumber': 'sfzh', 'applicant.kind': 'sqrlx', 'intake.receivedAt': 'sjsj', 'delivery.method': 'sdfs' },
      statusMap: { 40: 'result_issued' },
    },
  },
});

describe('xihaike mapping (pure)', () => {
  it('maps a submission to pinyin fields with coded values and Beijing time', async () => {
    const input = await sampleSubmission('KS-GJJ-001', { caseRef: 'cs_1' });
    const body = toXhkCase(input, partner);
    expect(body).toMatchObject({ sxbm: 'XHK-37021100123', wbbh: 'cs_1', sqrxm: '张三', sfzh: '370211199001011234', sqrlx: '1', sjsj: '2025-03-01 10:30:00', sdfs: '2' });
    expect(Object.keys(body).sort()).toEqual(['cllb', 'sdfs', 'sfzh', 'sjsj', 'sqrlx', 'sqrxm', 'sxbm', 'wbbh']);
    expect(toXhkCase(input, partner, { 'delivery.method': { post: '9' } })).toMatchObject({ sdfs: '9' });
  });

  it('refuses an unmapped item and an uncoded value', async () => {
    await expect(async () => toXhkCase(await sampleSubmission('KS-NONE-001'), partner)).rejects.toMatchObject({ kind: 'unmapped', message: expect.stringContaining('KS-NONE-001') });
    const drone = await sampleSubmission('KS-GJJ-001', { delivery: { method: 'drone' as never } });
    expect(() => toXhkCase(drone, partner)).toThrow(expect.objectContaining({ kind: 'unmapped' }));
  });

  it('converts Beijing wall-clock time both ways and refuses impossible times', () => {
    expect(toXhkTime('2025-12-31T16:30:05Z')).toBe('2026-01-01 00:30:05');
    expect(fromXhkTime('2026-01-01 00:30:05')).toBe('2025-12-31T16:30:05.000Z');
    expect(() => fromXhkTime('2025-02-30 10:00:00')).toThrow(expect.objectContaining({ kind: 'bad_response' }));
    expect(() => fromXhkTime('2025/03/01 10:00')).toThrow(AdapterError);
  });

  it('maps numeric codes via the item map over the partner map, and refuses unknown ones', () => {
    expect(xhkState(40, 'XHK-37021100123', partner)).toBe('result_issued');
    expect(xhkState(40, 'XHK-OTHER', partner)).toBe('approved');
    expect(() => xhkState(99, 'XHK-37021100123', partner)).toThrow(expect.objectContaining({ kind: 'unmapped', message: expect.stringContaining('99') }));
  });

  it('maps details to §7.2 data and notifications to events', () => {
    expect(reportFromXhkCase({ ajid: 'A1', zt: 60, gxsj: '2025-03-01 08:00:00', kdgs: 'EMS', kddh: 'E1', bz: '寄出' }, partner))
      .toEqual({ partnerRef: 'A1', state: 'shipped', at: '2025-03-01T00:00:00.000Z', note: '寄出', data: { carrier: 'EMS', trackingNo: 'E1' } });
    expect(eventsFromXhkCallback({ tzlb: [{ tzid: 'T1', ajid: 'A1', wbbh: 'cs_1', zt: 20, gxsj: '2025-03-01 08:00:00' }] }, partner))
      .toEqual([{ eventId: 'T1', caseRef: 'cs_1', partnerRef: 'A1', state: 'accepted', at: '2025-03-01T00:00:00.000Z' }]);
  });

  it('classifies envelope codes by table, then by range', () => {
    expect([40101, 40100, 40102, 40301, 40401, 42201, 50000, 40999, 59999, 1].map(kindForCode))
      .toEqual(['token', 'token', 'auth', 'auth', 'not_found', 'rejected', 'unavailable', 'rejected', 'unavailable', 'bad_response']);
  });
});

describe('xihaike token cache', () => {
  const issuer = (lifetime = 7200) => {
    let n = 0;
    // Resolves a macrotask later, so that concurrent callers overlap with the request in flight.
    const issue = async () => { const token = `t${++n}`; await new Promise((r) => setTimeout(r, 5)); return { token, expiresIn: lifetime }; };
    return { issue, count: () => n };
  };

  it('shares one renewal among concurrent callers and renews early', async () => {
    const clock = fixedClock(0);
    const { issue, count } = issuer();
    const cache = createTokenCache(issue, clock, 60_000);
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual(['t1', 't1', 't1']);
    expect(count()).toBe(1);
    clock.advance(7140_000 - 1);
    expect(await cache.get()).toBe('t1');
    clock.advance(1);
    expect(await cache.get()).toBe('t2');
  });

  it('forgets only the token that was refused', async () => {
    const { issue } = issuer();
    const cache = createTokenCache(issue, fixedClock(0), 60_000);
    const first = await cache.get();
    cache.invalidate(first);
    const second = await cache.get();
    cache.invalidate(first); // a late refusal of the old token keeps the new one
    expect(await cache.get()).toBe(second);
  });

  it('rejects every waiter when the renewal fails, then tries again', async () => {
    let fail = true;
    const cache = createTokenCache(async () => { if (fail) throw new AdapterError('unavailable', 'down'); return { token: 'ok', expiresIn: 10 }; }, fixedClock(0), 60_000);
    const results = await Promise.allSettled([cache.get(), cache.get()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await cache.get()).toBe('ok');
  });
});

describe('xihaike factory', () => {
  it('validates its options field by field', () => {
    expect(xihaikeAdapter.validateOptions(undefined)).toEqual([]);
    expect(xihaikeAdapter.validateOptions({ pageSize: 100, refreshEarlySeconds: 30 })).toEqual([]);
    const problems = xihaikeAdapter.validateOptions({ pageSize: 500, tokenPath: 'oauth', colour: 'red' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['colour', 'pageSize', 'tokenPath']);
  });

  it('requires the fields the back office needs', () => {
    expect(xihaikeAdapter.requiredFields(partner.items['KS-GJJ-001']!)).toEqual(['serviceCode', 'caseRef', 'applicant.name', 'applicant.idType', 'applicant.idNumber', 'intake.receivedAt', 'delivery.method']);
  });
});
