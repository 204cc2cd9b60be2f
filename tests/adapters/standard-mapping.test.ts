import { describe, expect, it } from 'vitest';
import { standardAdapter } from '../../adapters/standard/index';
import { eventFromCallback, reportFromCase, standardState, toCaseRequest } from '../../adapters/standard/mapping';
import { mapFields, mapStatus, readPath } from '../../adapters/common/tables';
import { AdapterError } from '../../adapters/types';
import { validatePartners } from '../../src/services/partners/validate';
import { catalogItemSchema } from '../../src/services/catalog/item-schema';
import { partnerConfig, sampleSubmission } from './support/harness';

const raw = {
  member: 'std-member', name: '标准接口成员', adapter: 'standard',
  backOffice: { baseUrl: 'https://std.example.test', timeoutMs: 1000 },
  statusMap: { in_review: 'accepted', received: 'accepted' },
  agreements: [],
  items: {
    'KS-GJJ-001': {
      serviceCode: 'STD-SVC-001',
      fieldMap: { 'applicant.name': 'applicant_name', 'applicant.idType': 'id_type', 'applicant.idNumber': 'id_number', 'applicant.phone': 'phone', 'form.unit': 'unit' },
      statusMap: { in_review: 'supplement_requested' },
    },
  },
};
const partner = partnerConfig(raw);

describe('standard mapping (pure)', () => {
  it('builds the case request from the fieldMap, leaving out fields the submission lacks', async () => {
    const input = await sampleSubmission('KS-GJJ-001', { applicant: { kind: 'person', name: '王五', idType: '111', idNumber: '110105199001011234' }, form: { unit: '青岛某公司' } });
    const body = toCaseRequest(input, partner, { callbackUrl: 'https://gw.example.test/callbacks/std' });
    expect(body).toMatchObject({
      serviceCode: 'STD-SVC-001', externalRef: input.caseRef, mode: 'proxy_intake', callbackUrl: 'https://gw.example.test/callbacks/std',
      fields: { applicant_name: '王五', id_type: '111', id_number: '110105199001011234', unit: '青岛某公司' },
    });
    expect(body.fields).not.toHaveProperty('phone');
    expect(atob(body.materials[0]!.content)).toBe('scan of the id card');
  });

  it('codes values through valueMaps and refuses a value without a code', async () => {
    expect(mapFields({ delivery: { method: 'post' } }, { 'delivery.method': 'sdfs' }, { 'delivery.method': { post: 2 } })).toEqual({ sdfs: 2 });
    expect(() => mapFields({ delivery: { method: 'drone' } }, { 'delivery.method': 'sdfs' }, { 'delivery.method': { post: 2 } })).toThrow(/delivery.method value "drone"/);
  });

  it('reads paths without reaching into the prototype', () => {
    expect(readPath({ a: { b: 1 } }, 'a.b')).toBe(1);
    expect(readPath({ a: {} }, 'a.toString')).toBeUndefined();
    expect(readPath({ a: null }, 'a.b')).toBeUndefined();
  });

  it('refuses an unmapped item naming it', async () => {
    const e = (() => { try { toCaseRequest({ itemCode: 'KS-NONE-001' } as never, partner); } catch (x) { return x; } })();
    expect(e).toBeInstanceOf(AdapterError);
    expect(e).toMatchObject({ kind: 'unmapped', message: expect.stringContaining('KS-NONE-001') });
    expect(() => toCaseRequest({ itemCode: 'toString' } as never, partner)).toThrow(AdapterError);
  });

  it('maps statuses item map first, then the partner map, then the native names', () => {
    expect(standardState('in_review', 'STD-SVC-001', partner)).toBe('supplement_requested');
    expect(standardState('in_review', 'OTHER', partner)).toBe('accepted');
    expect(standardState('received', undefined, partner)).toBe('accepted'); // the partner map overrides a native name
    expect(standardState('shipped', undefined, partner)).toBe('shipped');
    expect(() => standardState('archived', undefined, partner)).toThrow(expect.objectContaining({ kind: 'unmapped', message: expect.stringContaining('archived') }));
    expect(() => mapStatus('constructor', [{}], 'm')).toThrow(AdapterError);
  });

  it('reads a case: state, time, and the note and data of the newest event of that status', () => {
    const report = reportFromCase({
      id: 'SC-1', serviceCode: 'STD-SVC-001', status: 'shipped', updatedAt: '2025-03-02T00:00:00Z',
      events: [{ id: 'e1', status: 'shipped', at: '2025-03-01T00:00:00Z', note: 'first' }, { id: 'e2', status: 'shipped', at: '2025-03-02T00:00:00Z', data: { trackingNo: '1' } }],
    }, partner);
    expect(report).toEqual({ partnerRef: 'SC-1', state: 'shipped', at: '2025-03-02T00:00:00Z', data: { trackingNo: '1' } });
  });

  it('maps a callback body to an event', () => {
    expect(eventFromCallback({ eventId: 'ev-1', caseId: 'SC-1', externalRef: 'cs_1', status: 'approved', at: '2025-03-01T00:00:00Z', data: { documentNo: 'X' } }, partner))
      .toEqual({ eventId: 'ev-1', partnerRef: 'SC-1', caseRef: 'cs_1', state: 'approved', at: '2025-03-01T00:00:00Z', data: { documentNo: 'X' } });
  });
});

describe('standard factory', () => {
  it('validates its options field by field', () => {
    expect(standardAdapter.validateOptions(undefined)).toEqual([]);
    expect(standardAdapter.validateOptions({ callbackUrl: 'https://gw.example.test/cb' })).toEqual([]);
    const problems = standardAdapter.validateOptions({ callbackUrl: 'ftp://x', extra: 1 });
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.startsWith('callbackUrl: '))).toBe(true);
    expect(problems).toContain('extra: is not an option of this adapter');
  });

  it('makes the partner-file coverage check ask for the applicant fields', () => {
    const item = catalogItemSchema.parse({
      code: 'KS-GJJ-001', name: '住房公积金个人缴存证明', itemType: '公共服务', department: '住房公积金管理中心', modes: ['online'], materials: [],
      statutoryDays: 5, promisedDays: 3, resultKind: 'other', electronicLicence: false, deliveryMethods: ['window'], provenance: { status: 'local' },
    });
    const file = { ...raw, agreements: [{ item: 'KS-GJJ-001', modes: ['online'], direction: 'handling', slaHours: { transfer: 1, accept: 24 } }],
      items: { 'KS-GJJ-001': { serviceCode: 'S', fieldMap: { 'applicant.name': 'n' } } } };
    expect(() => validatePartners([{ file: 'partners/std.json', json: file }], new Map([[item.code, item]]), () => standardAdapter))
      .toThrow(/does not map applicant.idType, applicant.idNumber/);
  });
});
