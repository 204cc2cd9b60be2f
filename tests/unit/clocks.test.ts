import { describe, expect, it } from 'vitest';
import type { PartnerLink } from '../../src/context';
import { clockView, clocksAtReceipt, hopHours, nextHop, nextPauses } from '../../src/services/cases/clocks';
import { decodeCursor, encodeCursor } from '../../src/services/supervision/cursor';
import type { PartnerConfig } from '../../src/services/partners/schema';

const H = 3_600_000;
const T = Date.parse('2026-03-02T09:00:00+08:00');
const partner = (member: string, agreements: PartnerConfig['agreements']) => ({ config: { member, agreements } as PartnerConfig }) as PartnerLink;
const partners = new Map([
  ['xihaike', partner('xihaike', [
    { item: 'KS-GJJ-003', modes: ['online'], direction: 'handling', slaHours: { transfer: 2, accept: 12 } },
    { item: 'KS-GJJ-003', modes: ['proxy_intake'], direction: 'handling', slaHours: { transfer: 4, accept: 24, decide: 48 } },
    { item: 'KS-SCZT-001', modes: ['proxy_intake'], direction: 'intake', slaHours: { transfer: 4, accept: 24 } },
  ])],
]);
const intakeRow = { role: 'intake', handlingMember: 'xihaike', itemCode: 'KS-GJJ-003', mode: 'proxy_intake' };

describe('nextPauses', () => {
  it('opens a pause on 补正 and closes it on whatever comes next', () => {
    const open = nextPauses([], 'accepted', 'supplement_requested', T);
    expect(open).toEqual([{ from: T }]);
    expect(nextPauses(open, 'supplement_requested', 'under_review', T + 5 * H)).toEqual([{ from: T, to: T + 5 * H }]);
    expect(nextPauses(open, 'supplement_requested', 'withdrawn', T + H)).toEqual([{ from: T, to: T + H }]);
    expect(open).toEqual([{ from: T }]);
  });

  it('leaves the pauses alone when the clock neither stops nor starts', () => {
    expect(nextPauses([{ from: 1, to: 2 }], 'under_review', 'decided', T)).toEqual([{ from: 1, to: 2 }]);
  });
});

describe('hopHours', () => {
  it("reads the handling member's agreement for the item and mode; the intake side the handling member's file", () => {
    expect(hopHours({ partners, selfId: 'gaoxin' }, intakeRow, 'accept')).toBe(24);
    expect(hopHours({ partners, selfId: 'gaoxin' }, { ...intakeRow, mode: 'online' }, 'accept')).toBe(12);
    expect(hopHours({ partners, selfId: 'xihaike' }, { ...intakeRow, role: 'handling', handlingMember: 'xihaike' }, 'decide')).toBe(48);
  });

  it('is null without an agreement, without hours for the hop, or before a handling member is chosen', () => {
    expect(hopHours({ partners, selfId: 'gaoxin' }, intakeRow, 'ship')).toBeNull();
    expect(hopHours({ partners, selfId: 'gaoxin' }, { ...intakeRow, itemCode: 'KS-SCZT-001' }, 'accept')).toBeNull();
    expect(hopHours({ partners, selfId: 'gaoxin' }, { ...intakeRow, handlingMember: null }, 'transfer')).toBeNull();
    expect(hopHours({ partners, selfId: 'gaoxin' }, { ...intakeRow, role: 'handling' }, 'accept')).toBeNull();
  });
});

describe('nextHop', () => {
  const hours = (hop: string) => ({ transfer: 4, accept: 24, ship: 72 } as Record<string, number>)[hop] ?? null;
  const none = { hopStartedAt: null, hopDueAt: null };

  it('starts a hop on entering it, due after its hours', () => {
    expect(nextHop(none, 'intake', 'transferring', T, hours)).toEqual({ hopStartedAt: new Date(T), hopDueAt: new Date(T + 4 * H) });
  });

  it('keeps the same hop running, starts none without hours, clears it with no next hop', () => {
    const ship = { hopStartedAt: new Date(T), hopDueAt: new Date(T + 72 * H) };
    expect(nextHop(ship, 'decided', 'result_issued', T + H, hours)).toEqual(ship);
    expect(nextHop(none, 'received', 'accepted', T, hours)).toEqual({ hopStartedAt: new Date(T), hopDueAt: null });
    expect(nextHop(ship, 'received', 'rejected', T, hours)).toEqual(none);
  });

  it('gives a case just received its acceptance hop', () => {
    expect(clocksAtReceipt({ partners, selfId: 'xihaike' }, { ...intakeRow, role: 'handling' }, T)).toEqual({ hopStartedAt: new Date(T), hopDueAt: new Date(T + 24 * H) });
  });
});

describe('clockView', () => {
  const row = (state: string, hop: number | null, deadline: number | null) => ({ state, hopDueAt: hop === null ? null : new Date(hop), deadlineAt: deadline === null ? null : new Date(deadline) });

  it('is overdue when the hop or, until the decision, the deadline has passed', () => {
    expect(clockView(row('received', T, null), T + 1)).toEqual({ hop: 'accept', hopDueAt: new Date(T).toISOString(), deadlineAt: null, paused: false, overdue: true });
    expect(clockView(row('under_review', T + H, T), T + 1).overdue).toBe(true);
    expect(clockView(row('decided', T + H, T), T + 1).overdue).toBe(false);
    expect(clockView(row('accepted', T + H, T + H), T + 1).overdue).toBe(false);
  });

  it('is never overdue while paused (补正)', () => {
    expect(clockView(row('supplement_requested', T, T), T + H)).toMatchObject({ paused: true, overdue: false, hop: 'supplement' });
  });
});

describe('page cursors', () => {
  it('round-trips and refuses anything else with a 400 naming cursor', () => {
    expect(decodeCursor(encodeCursor({ at: T, id: 'cs_x' }))).toEqual({ at: T, id: 'cs_x' });
    for (const bad of ['x', 'bnVsbA', btoa('[1]'), btoa('["a","b"]')]) {
      expect(() => decodeCursor(bad)).toThrow(expect.objectContaining({ code: 'invalid_request', errors: [{ path: 'cursor', message: expect.any(String) }] }));
    }
  });
});
