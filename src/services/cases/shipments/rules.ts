import type { Side } from '../events-schema';

export const SHIPMENT_DIRECTIONS = ['originals_to_handling', 'result_to_window', 'result_to_applicant'] as const;
export type ShipmentDirection = (typeof SHIPMENT_DIRECTIONS)[number];
export const SHIPMENT_STATUSES = ['in_transit', 'delivered', 'lost', 'returned'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** Carriers by the code clerks enter; anything else is `other:<name>`. */
export const KNOWN_CARRIERS = ['EMS', 'SF', 'JD', 'ZTO', 'YTO', 'STO', 'YUNDA', 'CHINAPOST'] as const;
export const CARRIER = new RegExp(`^(${KNOWN_CARRIERS.join('|')}|other:[^\\s:][^:]{0,47})$`);
export const TRACKING_NO = /^[A-Z0-9]{6,32}$/;

/** The names a §7.2 `shipped` event may give a carrier in, by code. */
const CARRIER_NAMES: Record<(typeof KNOWN_CARRIERS)[number], readonly string[]> = {
  EMS: ['ems', '邮政ems', '中国邮政速递', '邮政速递'], SF: ['sf', '顺丰', '顺丰速运', 'sf express'], JD: ['jd', '京东', '京东物流', '京东快递'],
  ZTO: ['zto', '中通', '中通快递'], YTO: ['yto', '圆通', '圆通速递'], STO: ['sto', '申通', '申通快递'], YUNDA: ['yunda', '韵达', '韵达快递'],
  CHINAPOST: ['chinapost', 'china post', '中国邮政', '邮政'],
};

/**
 * A carrier as another member's `shipped` event names it (free text in §7.2) -> our carrier code.
 * @example carrierOf('顺丰') // 'SF'; carrierOf('德邦') // 'other:德邦'
 */
export function carrierOf(name: string): string {
  const key = name.trim().toLowerCase();
  for (const [code, names] of Object.entries(CARRIER_NAMES)) if (names.includes(key)) return code;
  return CARRIER.test(name.trim()) ? name.trim() : `other:${name.trim().replaceAll(':', ' ').slice(0, 48)}`;
}

/** Which side sends a parcel: the originals go from the intake window, the result from the handling member (or the window, on to the applicant). */
export const DIRECTION_SENDERS: Record<ShipmentDirection, readonly Side[]> = {
  originals_to_handling: ['intake'],
  result_to_window: ['handling'],
  result_to_applicant: ['handling', 'intake'],
};

/** A parcel delivered, lost or returned has arrived at its end; only one in transit takes news. */
export function shipmentStepRefused(current: ShipmentStatus, _next: ShipmentStatus): string | null {
  return current === 'in_transit' ? null : `the shipment is already ${current}`;
}
