import { z } from 'zod';

// The standard API's shapes (see index.ts for the API itself). Unknown extra keys are tolerated and
// dropped: a member may add fields without breaking us; a missing or mistyped one is bad_response.

const instant = z.iso.datetime({ offset: true });
const data = z.record(z.string(), z.unknown());

export const valueMapsSchema = z.record(z.string().min(1), z.record(z.string(), z.union([z.string(), z.number()])));

/** `options` of a partner file with `adapter: standard`. */
export const standardOptionsSchema = z.object({
  /** Where the member posts its callbacks for our cases; without it the gateway polls. */
  callbackUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Alliance field -> (alliance value -> the member's code), for members that code enumerations. */
  valueMaps: valueMapsSchema.optional(),
}).strict();
export type StandardOptions = z.infer<typeof standardOptionsSchema>;

export const caseCreatedSchema = z.object({ id: z.string().min(1), status: z.string().min(1), createdAt: instant });

export const caseEventSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  at: instant,
  note: z.string().optional(),
  data: data.optional(),
});

export const caseSchema = z.object({
  id: z.string().min(1),
  externalRef: z.string().optional(),
  serviceCode: z.string().optional(),
  status: z.string().min(1),
  updatedAt: instant,
  events: z.array(caseEventSchema),
});
export type StandardCase = z.infer<typeof caseSchema>;

export const withdrawnSchema = z.object({ id: z.string().min(1), status: z.string().min(1) });
export const supplementedSchema = z.object({ id: z.string().min(1), status: z.string().min(1) });

export const healthSchema = z.object({ status: z.string() });

/** RFC 9457 problem details, as far as we read them. */
export const problemSchema = z.object({
  title: z.string().optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string().optional(), reason: z.string().optional() })).optional(),
});

/** A callback body: one event per POST, signed `X-Signature: sha256=<hex>` over the raw body. */
export const callbackSchema = z.object({
  eventId: z.string().min(1),
  caseId: z.string().min(1),
  externalRef: z.string().optional(),
  serviceCode: z.string().optional(),
  status: z.string().min(1),
  at: instant,
  note: z.string().optional(),
  data: data.optional(),
});
export type StandardCallback = z.infer<typeof callbackSchema>;

/** A failed options parse -> `field: reason` lines; an unknown key is named as the field. */
export function optionProblems(error: z.ZodError): string[] {
  return error.issues.flatMap((i) => {
    const at = i.path.join('.');
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => `${at ? `${at}.` : ''}${k}: is not an option of this adapter`);
    return [`${at || '(options)'}: ${i.message}`];
  });
}
