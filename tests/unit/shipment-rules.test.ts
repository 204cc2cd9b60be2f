import { describe, expect, it } from 'vitest';
import { CARRIER, DIRECTION_SENDERS, TRACKING_NO, carrierOf, shipmentStepRefused } from '../../src/services/cases/shipments/rules';

describe('carriers and tracking numbers', () => {
  it('takes the known codes and other:<name>', () => {
    for (const ok of ['EMS', 'SF', 'JD', 'ZTO', 'YTO', 'STO', 'YUNDA', 'CHINAPOST', 'other:德邦', 'other:DHL Express']) expect(CARRIER.test(ok), ok).toBe(true);
    for (const bad of ['sf', 'DHL', 'other:', 'other: x', 'other:a:b', `other:${'x'.repeat(49)}`]) expect(CARRIER.test(bad), bad).toBe(false);
  });

  it('tracking numbers are 6-32 capital letters or digits', () => {
    expect(TRACKING_NO.test('SF1234567890')).toBe(true);
    for (const bad of ['SF123', 'sf1234567', 'SF-1234567', 'A'.repeat(33)]) expect(TRACKING_NO.test(bad), bad).toBe(false);
  });

  it("maps a §7.2 event's carrier name onto our codes, else other:<name>", () => {
    expect(carrierOf('顺丰')).toBe('SF');
    expect(carrierOf(' ems ')).toBe('EMS');
    expect(carrierOf('中国邮政')).toBe('CHINAPOST');
    expect(carrierOf('YUNDA')).toBe('YUNDA');
    expect(carrierOf('德邦')).toBe('other:德邦');
    expect(carrierOf('a:b')).toBe('other:a b');
    expect(CARRIER.test(carrierOf('x'.repeat(100)))).toBe(true);
  });
});

describe('who sends what, and when a parcel takes news', () => {
  it('originals leave the intake window; the result the handling member (or the window, on to the applicant)', () => {
    expect(DIRECTION_SENDERS.originals_to_handling).toEqual(['intake']);
    expect(DIRECTION_SENDERS.result_to_window).toEqual(['handling']);
    expect(DIRECTION_SENDERS.result_to_applicant).toEqual(['handling', 'intake']);
  });

  it('only a parcel in transit takes another status', () => {
    expect(shipmentStepRefused('in_transit', 'delivered')).toBeNull();
    expect(shipmentStepRefused('delivered', 'returned')).toMatch(/already delivered/);
    expect(shipmentStepRefused('lost', 'in_transit')).toMatch(/already lost/);
  });
});
