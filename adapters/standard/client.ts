import type { z } from 'zod';
import { AdapterError, type AdapterContext } from '../types';
import { decodeJson, exchange, kindForStatus, parseAnswer, partnerText } from '../common/http';
import { problemSchema } from './schema';

export interface StandardCall<S extends z.ZodType> {
  method: 'GET' | 'POST';
  path: string;
  schema: S;
  body?: unknown;
  /** `GET /api/health` is open; everything else carries the API key. */
  anonymous?: boolean;
}

/** The HTTP side of the standard adapter: bearer API key, JSON in and out, problem+json errors. */
export function createStandardClient(ctx: AdapterContext) {
  const base = ctx.partner.backOffice.baseUrl.replace(/\/+$/, '');
  const timeoutMs = ctx.partner.backOffice.timeoutMs;

  async function call<S extends z.ZodType>(req: StandardCall<S>): Promise<z.infer<S>> {
    const what = `${ctx.partner.member}: ${req.method} ${req.path}`;
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (!req.anonymous) headers.authorization = `Bearer ${secretFor(ctx, 'apiKey')}`;
    if (req.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    const init: RequestInit = { method: req.method, headers, ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}) };
    const answer = await exchange(ctx.fetch, base + req.path, init, timeoutMs, what);
    if (answer.status >= 200 && answer.status < 300) return parseAnswer(answer.body, req.schema, what);
    throw new AdapterError(kindForStatus(answer.status), `${what}: ${answer.status}${problemText(answer.body)}`);
  }

  return { call };
}

export type StandardClient = ReturnType<typeof createStandardClient>;

/** The secret a role of `auth` names; a missing role or an unset variable is an auth error, never sent. */
export function secretFor(ctx: AdapterContext, role: string): string {
  const name = Object.hasOwn(ctx.partner.auth, role) ? ctx.partner.auth[role] : undefined;
  if (!name) throw new AdapterError('auth', `${ctx.partner.member}: auth.${role} is not configured`, false);
  const value = ctx.secret(name);
  if (!value) throw new AdapterError('auth', `${ctx.partner.member}: ${name} (auth.${role}) is not set`, false);
  return value;
}

function problemText(body: Uint8Array): string {
  const problem = problemSchema.safeParse(decodeJson(body));
  if (!problem.success) return '';
  const { title, detail, errors } = problem.data;
  const fields = errors?.map((e) => [e.field, e.reason].filter(Boolean).join(' ')).join(', ');
  const text = [title, detail, fields].filter(Boolean).join(': ');
  return text ? ` ${partnerText(text)}` : '';
}
