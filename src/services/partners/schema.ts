import { z } from 'zod';
import { PARTNER_STATES } from '../../../adapters/types';
import { MEMBER_ID, MODES } from '../../federation/registry/schema';
import { ITEM_CODE } from '../catalog/item-schema';

/** Secrets are named by environment variable, never stored in a partner file. */
const ENV_NAME = z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'must be an environment variable name (A-Z, 0-9, _)');
const statusMap = z.record(z.string().min(1), z.enum(PARTNER_STATES));

/** How one alliance item maps onto the partner's API: data, so adding an item needs no code. */
export const itemMappingSchema = z.object({
  /** The partner's own code for the service (事项编码 in its system). */
  serviceCode: z.string().min(1).max(64),
  /** Alliance field (e.g. `applicant.idNumber`) -> the partner's field name. */
  fieldMap: z.record(z.string().min(1), z.string().min(1)),
  /** The partner's status code -> alliance state, over the partner-wide map. */
  statusMap: statusMap.optional(),
}).strict();

export const HOPS = ['transfer', 'accept', 'supplement', 'decide', 'ship', 'deliver'] as const;

export const agreementSchema = z.object({
  item: z.string().regex(ITEM_CODE),
  modes: z.array(z.enum(MODES)).min(1),
  /**
   * The partner's role for the item: `handling`, its back office decides cases of it (so the item needs a
   * mapping); `intake`, it takes applications for it at its windows on others' behalf; `both`.
   */
  direction: z.enum(['handling', 'intake', 'both']),
  /** Hours each hop may take (SLA), at least for the transfer and the acceptance. */
  slaHours: z.object({ transfer: z.number().positive(), accept: z.number().positive() })
    .catchall(z.number().positive())
    .refine((s) => Object.keys(s).every((k) => (HOPS as readonly string[]).includes(k)), `hops are ${HOPS.join(', ')}`),
}).strict();

export const windowSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  name: z.string().min(1).max(100),
  address: z.string().max(200).optional(),
  phone: z.string().max(40).optional(),
}).strict();

export const partnerSchema = z.object({
  member: z.string().regex(MEMBER_ID),
  name: z.string().min(1).max(100),
  /** A key of adapters/registry.ts. */
  adapter: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
  backOffice: z.object({
    baseUrl: z.url({ protocol: /^https?$/ }),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  }).strict(),
  /** Role -> environment variable name (e.g. `clientSecret: XIHAIKE_CLIENT_SECRET`). */
  auth: z.record(z.string().min(1), ENV_NAME).default({}),
  /** The adapter's own settings, checked by that adapter. */
  options: z.unknown().optional(),
  /** The partner's status codes -> alliance states, for every item. */
  statusMap: statusMap.default({}),
  agreements: z.array(agreementSchema),
  windows: z.array(windowSchema).default([]),
  items: z.record(z.string().regex(ITEM_CODE), itemMappingSchema),
}).strict();

export type PartnerConfig = z.infer<typeof partnerSchema>;
export type ItemMapping = z.infer<typeof itemMappingSchema>;
export type Agreement = z.infer<typeof agreementSchema>;
