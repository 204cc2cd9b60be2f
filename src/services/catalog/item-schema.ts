import { z } from 'zod';
import { MODES } from '../../federation/registry/schema';

/** Alliance item codes, e.g. `KS-SCZT-001`: stable, never reused for another item. */
export const ITEM_CODE = /^[A-Z][A-Z0-9]{1,9}(-[A-Z0-9]{1,12}){1,3}$/;

/** GB/T 39554.1-2020 item types. */
export const ITEM_TYPES = ['行政许可', '行政确认', '行政给付', '行政裁决', '行政奖励', '行政备案', '其他行政权力', '公共服务'] as const;
export const MATERIAL_FORMS = ['原件', '复印件', '电子'] as const;
/** 必需 / 容缺 / 情形 */
export const REQUIREMENTS = ['required', 'optional', 'conditional'] as const;
/** A issued with an electronic seal; B original checked at a window; C uploaded, to be checked; D the applicant's declaration. */
export const TRUST_LEVELS = ['A', 'B', 'C', 'D'] as const;
export const RESULT_KINDS = ['certificate', 'approval', 'other'] as const;
export const DELIVERY_METHODS = ['window', 'post', 'electronic'] as const;

export const materialSchema = z.object({
  /** Stable within the item: the `requirement` a transferred material names (§7.1). */
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
  name: z.string().min(1).max(200),
  form: z.enum(MATERIAL_FORMS),
  copies: z.number().int().min(0).max(99),
  requirement: z.enum(REQUIREMENTS),
  /** For conditional materials: when they are needed (情形). */
  condition: z.string().min(1).max(500).optional(),
  trustLevel: z.enum(TRUST_LEVELS),
}).refine((m) => m.requirement !== 'conditional' || !!m.condition, { message: 'a conditional material says when it is needed', path: ['condition'] });

/** Where an item record comes from. Never present an item as official when it is not. */
export const provenanceSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('verified'), source: z.url() }),
  z.object({ status: z.literal('unverified'), note: z.string().max(500).optional() }),
  z.object({ status: z.literal('local'), note: z.string().max(500).optional() }),
]);

export const catalogItemSchema = z.object({
  code: z.string().regex(ITEM_CODE, 'must look like KS-SCZT-001'),
  name: z.string().min(1).max(200),
  /** The national 跨省通办 list's name for it, where it is on that list. */
  nationalName: z.string().min(1).max(200).optional(),
  /** 基本编码, where known. */
  baseCode: z.string().regex(/^[0-9A-Z-]{4,40}$/).optional(),
  itemType: z.enum(ITEM_TYPES),
  department: z.string().min(1).max(100),
  modes: z.array(z.enum(MODES)).min(1),
  materials: z.array(materialSchema),
  /** 法定办结时限, working days; 0 is handled on the spot (即办件). */
  statutoryDays: z.number().int().min(0).max(365),
  /** 承诺办结时限, working days, never longer than the statutory one. */
  promisedDays: z.number().int().min(0).max(365),
  resultKind: z.enum(RESULT_KINDS),
  electronicLicence: z.boolean(),
  deliveryMethods: z.array(z.enum(DELIVERY_METHODS)).min(1),
  provenance: provenanceSchema,
}).refine((i) => i.promisedDays <= i.statutoryDays, { message: 'promisedDays is longer than statutoryDays', path: ['promisedDays'] })
  .refine((i) => new Set(i.materials.map((m) => m.id)).size === i.materials.length, { message: 'material ids repeat', path: ['materials'] });

export type CatalogItem = z.infer<typeof catalogItemSchema>;
export type Material = z.infer<typeof materialSchema>;
