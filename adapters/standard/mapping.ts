import type { PartnerConfig } from '../../src/services/partners/schema';
import { PARTNER_STATES, type CallbackEvent, type CaseMaterial, type CaseSubmission, type PartnerState, type StatusReport } from '../types';
import type { StandardCallback, StandardCase, StandardOptions } from './schema';
import { base64, itemForServiceCode, itemMapping, mapFields, mapStatus, submissionView } from '../common/tables';

/** The standard API speaks the alliance's states natively; a partner file may still remap any of them. */
export const NATIVE_STATES: Readonly<Record<string, PartnerState>> = Object.fromEntries(PARTNER_STATES.map((s) => [s, s]));

/** The alliance fields every item mapping of a standard partner must carry. */
export const STANDARD_REQUIRED_FIELDS = ['applicant.name', 'applicant.idType', 'applicant.idNumber'] as const;

export interface StandardCaseRequest {
  serviceCode: string;
  externalRef: string;
  mode: CaseSubmission['mode'];
  callbackUrl?: string;
  fields: Record<string, unknown>;
  materials: { requirement: string; name: string; mediaType: string; size: number; sha256: string; content: string }[];
}

/** CaseSubmission -> the body of `POST /api/cases`, through the item's fieldMap. */
export function toCaseRequest(input: CaseSubmission, partner: PartnerConfig, options: StandardOptions = {}): StandardCaseRequest {
  const mapping = itemMapping(partner, input.itemCode);
  return {
    serviceCode: mapping.serviceCode,
    externalRef: input.caseRef,
    mode: input.mode,
    ...(options.callbackUrl ? { callbackUrl: options.callbackUrl } : {}),
    fields: mapFields(submissionView(input, mapping), mapping.fieldMap, options.valueMaps),
    materials: toStandardMaterials(input.materials),
  };
}

/** Materials as `POST /api/cases` and `POST /api/cases/{id}/supplements` carry them: the content in base64. */
export function toStandardMaterials(materials: readonly CaseMaterial[]): StandardCaseRequest['materials'] {
  return materials.map((m) => ({ requirement: m.requirement, name: m.name, mediaType: m.mediaType, size: m.size, sha256: m.sha256, content: base64(m.content) }));
}

/** The body of `POST /api/cases/{id}/supplements`. */
export function toSupplementRequest(materials: readonly CaseMaterial[], note?: string): { materials: StandardCaseRequest['materials']; note?: string } {
  return { materials: toStandardMaterials(materials), ...(note ? { note } : {}) };
}

/** A status string of a case of `serviceCode` -> alliance state (item map, partner map, native names). */
export function standardState(status: string, serviceCode: string | undefined, partner: PartnerConfig): PartnerState {
  return mapStatus(status, [itemForServiceCode(partner, serviceCode)?.statusMap, partner.statusMap, NATIVE_STATES], partner.member);
}

/** `GET /api/cases/{id}` -> StatusReport; the note and data come from the newest event of that status. */
export function reportFromCase(body: StandardCase, partner: PartnerConfig): StatusReport {
  const state = standardState(body.status, body.serviceCode, partner);
  const last = body.events.findLast((e) => e.status === body.status);
  return {
    partnerRef: body.id, state, at: body.updatedAt,
    ...(last?.note !== undefined ? { note: last.note } : {}),
    ...(last?.data !== undefined ? { data: last.data } : {}),
  };
}

export function eventFromCallback(body: StandardCallback, partner: PartnerConfig): CallbackEvent {
  return {
    eventId: body.eventId, partnerRef: body.caseId, state: standardState(body.status, body.serviceCode, partner), at: body.at,
    ...(body.externalRef !== undefined ? { caseRef: body.externalRef } : {}),
    ...(body.note !== undefined ? { note: body.note } : {}),
    ...(body.data !== undefined ? { data: body.data } : {}),
  };
}
