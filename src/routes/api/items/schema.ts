import { z } from '@hono/zod-openapi';
import { MODES } from '../../../federation/registry/schema';
import { DELIVERY_METHODS, ITEM_CODE, ITEM_TYPES, MATERIAL_FORMS, REQUIREMENTS, RESULT_KINDS, TRUST_LEVELS } from '../../../services/catalog/item-schema';

// Made here with @hono/zod-openapi's z, so `.openapi()` is safe; the catalog's own schema gives only constants.
const modes = z.array(z.enum(MODES));

const provenanceSchema = z.object({
  status: z.enum(['verified', 'unverified', 'local']).openapi({ description: 'verified: checked against `source`; unverified: not yet checked; local: an alliance item, on no national list' }),
  source: z.string().optional(),
  note: z.string().optional(),
}).openapi('ItemProvenance', { description: 'where the record comes from: never present an unverified item as official' });

export const itemSearchQuery = z.object({
  q: z.string().trim().max(100).optional().openapi({ description: 'a substring of the name, the national name, the code or the 基本编码 (case-insensitive)', example: '公积金' }),
  department: z.string().trim().min(1).max(100).optional().openapi({ description: 'the department, exactly as `departments` lists it', example: '住房和城乡建设部' }),
  mode: z.enum(MODES).optional().openapi({ description: 'only items the catalog allows in this mode' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const itemSummarySchema = z.object({
  code: z.string().openapi({ example: 'KS-GJJ-003' }),
  name: z.string().openapi({ example: '购房提取住房公积金' }),
  department: z.string(),
  type: z.enum(ITEM_TYPES),
  modes: modes.openapi({ description: "the modes the catalog allows; a member's own modes are in `GET /api/v1/items/{code}`" }),
  legalDays: z.number().int().openapi({ description: '法定办结时限, working days (0: 即办件)' }),
  promisedDays: z.number().int().openapi({ description: '承诺办结时限, working days' }),
  provenance: provenanceSchema,
  offeredBy: z.array(z.string()).openapi({ description: 'the active members the registry in force lists as handling it', example: ['xihaike'] }),
}).openapi('ItemSummary');

export const itemPageSchema = z.object({
  items: z.array(itemSummarySchema).openapi({ description: 'by code' }),
  total: z.number().int().openapi({ description: 'how many match, over all pages' }),
  departments: z.array(z.string()).openapi({ description: 'every department of the catalog in force, for a filter' }),
}).openapi('ItemPage');

export const itemParams = z.object({ code: z.string().regex(ITEM_CODE, 'must be an item code such as KS-GJJ-003') });

const materialSchema = z.object({
  id: z.string(), name: z.string(), form: z.enum(MATERIAL_FORMS), copies: z.number().int(),
  requirement: z.enum(REQUIREMENTS).openapi({ description: 'required 必需; optional 容缺; conditional 情形 (see condition)' }),
  condition: z.string().optional(),
  trustLevel: z.enum(TRUST_LEVELS),
}).openapi('ItemMaterial');

export const itemDetailSchema = z.object({
  code: z.string().openapi({ example: 'KS-GJJ-003' }),
  name: z.string(),
  nationalName: z.string().optional(),
  baseCode: z.string().optional().openapi({ description: '基本编码' }),
  itemType: z.enum(ITEM_TYPES),
  department: z.string(),
  modes,
  materials: z.array(materialSchema),
  statutoryDays: z.number().int(),
  promisedDays: z.number().int(),
  resultKind: z.enum(RESULT_KINDS),
  electronicLicence: z.boolean(),
  deliveryMethods: z.array(z.enum(DELIVERY_METHODS)),
  provenance: provenanceSchema,
  offeredBy: z.array(z.object({ member: z.string(), name: z.string(), modes })).openapi({ description: 'the active members handling it, with the modes the registry lists for each' }),
}).openapi('Item', { description: 'An item of the catalog in force (the alliance catalog record) and who offers it' });
