import { z } from 'zod';
import { MEMBER_ID, MODES } from '../../federation/registry/schema';
import { ITEM_CODE } from '../catalog/item-schema';

export const MAX_MATERIAL_BYTES = 10 * 1024 * 1024;
export const MAX_TRANSFER_BYTES = 32 * 1024 * 1024;

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true });

/** §7.1 `materials[]`: `content` base64, at most 10 MiB decoded (checked after parsing: 413). */
export const transferMaterialSchema = z.object({
  requirement: text(64),
  name: text(200),
  mediaType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/i, 'must be a media type such as application/pdf'),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be lower-case hex SHA-256'),
  content: z.string(),
}).strict();

/** §7.1 request body. */
export const transferSchema = z.object({
  caseId: text(64),
  itemCode: z.string().regex(ITEM_CODE, 'must be an alliance item code such as KS-SCZT-001'),
  mode: z.enum(MODES),
  step: text(64).optional(),
  jointId: text(64).optional(),
  applicant: z.object({
    kind: z.enum(['person', 'organization']),
    name: text(100),
    idType: text(32),
    idNumber: text(64),
    phone: z.string().regex(/^[0-9+\- ]{5,20}$/, 'must be a phone number').optional(),
  }).strict(),
  intake: z.object({
    member: z.string().regex(MEMBER_ID),
    window: text(64),
    clerk: text(64),
    receivedAt: instant,
    identityCheck: z.object({ method: text(64), result: text(64) }).strict(),
  }).strict(),
  materials: z.array(transferMaterialSchema).max(100),
  form: z.record(z.string(), z.unknown()).optional(),
  delivery: z.object({ method: z.enum(['window', 'post', 'electronic']), address: text(300).optional() }).strict()
    .refine((d) => d.method !== 'post' || !!d.address, { message: 'an address is needed to deliver by post', path: ['address'] }),
  consent: z.object({ dataSharing: z.literal(true, 'the applicant must have consented to data sharing'), at: instant }).strict(),
}).strict().refine((b) => b.mode !== 'joint' || (!!b.step && !!b.jointId), { message: 'joint handling needs step and jointId', path: ['step'] });

export type TransferBody = z.infer<typeof transferSchema>;
