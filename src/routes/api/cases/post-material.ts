import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv, Deps } from '../../../context';
import { AppError } from '../../../lib/errors';
import { addMaterial } from '../../../services/cases/intake/materials';
import type { NewMaterial } from '../../../services/cases/intake/types';
import { MAX_MATERIAL_BYTES } from '../../../services/cases/transfer-schema';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { caseCtxOf } from '../../../services/cases/case-ctx';
import { intakeCaseParams, materialSchema, newMaterialSchema } from './schema';

/** 10 MiB as base64, and room for the other fields. */
const MAX_BODY = Math.ceil(MAX_MATERIAL_BYTES / 3) * 4 + 64 * 1024;

/** `POST /api/v1/cases/{ref}/materials`: a scanned or uploaded material, base64 in JSON. */
export function registerPostMaterial(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/cases/{ref}/materials', operationId: 'postCaseMaterial', tags: ['cases'],
    summary: 'Add a material to a case at intake', security: CLERK_SECURITY,
    middleware: [
      clerkAuth(deps, { roles: ['intake'] }),
      bodyLimit({ maxSize: MAX_BODY, onError: () => { throw new AppError('payload_too_large', 'a material is at most 10 MiB'); } }),
    ] as const,
    request: { params: intakeCaseParams, body: { required: true, content: { 'application/json': { schema: newMaterialSchema } } } },
    responses: {
      201: { description: 'the material, its size and sha256 computed (no content)', content: { 'application/json': { schema: materialSchema } } },
      400: { ...invalidRequest, description: 'a field is not valid, a media type off the list, or a requirement the item lacks (`invalid_request`)' },
      ...clerkProblems,
      403: roleProblem,
      404: notFound,
      409: { ...notFound, description: 'the case has left the intake window (`invalid_transition`)' },
      413: { ...notFound, description: 'over 10 MiB (`payload_too_large`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { ref } = c.req.valid('param');
    const material = await addMaterial({ ctx: caseCtxOf(deps), input: { clerk: c.get('clerk'), ref, material: c.req.valid('json') as NewMaterial } });
    return c.json(material, 201);
  });
}
