import { z } from '@hono/zod-openapi';
import { ERROR_STATUS, PROBLEM_CONTENT_TYPE } from '../../lib/errors';

/** The security scheme every clerk operation declares (`security: CLERK_SECURITY`). */
export const CLERK_SCHEME = 'clerkToken';
export const CLERK_SECURITY = [{ [CLERK_SCHEME]: [] }];

export const problemSchema = z.object({
  type: z.string().openapi({ example: 'urn:handshake:problem:not_authorized' }),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
  requestId: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
}).openapi('Problem', { description: 'RFC 9457 problem details with a handshake/1 §6 code' });

const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } });

/** What every clerk operation may answer besides its own (spread into `responses`). */
export const clerkProblems = {
  401: problem('no bearer token, or one that is unknown or revoked (`not_authorized`, with `WWW-Authenticate: Bearer`)'),
} as const;

/** For operations whose clerkAuth names `roles`. */
export const roleProblem = problem("the clerk's role may not do this (`not_authorized`)");

export const invalidRequest = problem('a parameter is not valid (`invalid_request`, each one in `errors[]`)');
export const notFound = problem('no such thing (`not_found`)');
