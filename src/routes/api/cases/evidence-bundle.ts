import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { exportCaseEvidence } from '../../../services/cases/evidence-bundle';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { intakeCaseParams } from './schema';

const evidenceRecordSchema = z.object({
  seq: z.number().int(), at: z.string(), kind: z.string(), caseRef: z.string().nullable(), peer: z.string(), method: z.string(), path: z.string(),
  token: z.string().openapi({ description: 'the compact JWS (Handshake-Request or Handshake-Response)' }),
  bodyDigest: z.string(), body: z.string().nullable().openapi({ description: 'base64, opened if it was sealed at rest' }),
  registrySeq: z.string().nullable(), prevHash: z.string(), hash: z.string(),
});

const evidenceBundleSchema = z.object({
  format: z.literal('handshake-evidence-bundle/1'),
  member: z.string().nullable(),
  caseRef: z.string(),
  exportedAt: z.string(),
  anchorJwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
  snapshots: z.array(z.string()).openapi({ description: 'the anchor-signed registry snapshots the records\' keys come from' }),
  records: z.array(evidenceRecordSchema).openapi({ description: "the case's records and the other half of each exchange, seq ascending" }),
}).openapi('EvidenceBundle', { description: "What `handshake audit export` writes; `handshake audit verify --bundle` checks it offline" });

/**
 * `GET /api/v1/cases/{ref}/evidence-bundle`: the case's evidence bundle as a download. Supervisors only: its
 * bodies are opened, and a transfer carries the applicant's full ID number.
 */
export function registerEvidenceBundle(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/cases/{ref}/evidence-bundle', operationId: 'getEvidenceBundle', tags: ['cases'],
    summary: "The case's evidence bundle (signed messages, registry snapshots, anchor keys), to verify offline", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['supervisor'] })] as const,
    request: { params: intakeCaseParams },
    responses: {
      200: {
        description: 'the bundle, as an attachment `evidence-<ref>.json`',
        headers: { 'content-disposition': { schema: { type: 'string' }, example: 'attachment; filename="evidence-cs_Jx3o9cV2bq1mT8aQ.json"' } },
        content: { 'application/json': { schema: evidenceBundleSchema } },
      },
      400: invalidRequest,
      ...clerkProblems,
      403: roleProblem,
      404: { ...notFound, description: 'this member holds no such case (`not_found`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { ref } = c.req.valid('param');
    const bundle = await exportCaseEvidence({
      ctx: { db: deps.database.db, engine: deps.engine, anchors: deps.registry.anchors(), sealer: deps.sealer, memberId: deps.self.memberId, now: deps.clock.now(), logger: c.get('log') },
      input: { clerk: c.get('clerk'), ref },
    });
    c.header('content-disposition', `attachment; filename="evidence-${ref}.json"`);
    c.header('cache-control', 'no-store');
    return c.json(bundle, 200);
  });
}
