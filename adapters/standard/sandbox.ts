import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { systemClock, type Clock } from '../../src/lib/clock';
import { hex, sha256, utf8 } from '../../src/lib/encoding';
import { hmacSha256 } from '../common/signature';
import { applyFault, createFaultQueue, recordRequests, serveOnLoopback, type RecordedRequest, type RunningSandbox, type SandboxFault } from '../common/sandbox-kit';

// A faithful in-memory member offering the standard API (documented in index.ts), with control hooks
// for tests. Run it alone: `npx tsx -e "import('./adapters/standard/sandbox.ts').then(m => m.startSandbox({ port: 8701 }))"`.

export interface StandardSandboxOptions {
  apiKey?: string;
  callbackSecret?: string;
  /** Service code -> the `fields` names a case of it must carry. */
  services?: Record<string, string[]>;
  clock?: Clock;
  /** For delivering callbacks; the global fetch by default. */
  fetch?: typeof fetch;
}

interface SandboxEvent { id: string; status: string; at: string; note?: string; data?: Record<string, unknown> }
export interface StandardSandboxCase {
  id: string; externalRef: string; serviceCode: string; mode: string; callbackUrl?: string;
  fields: Record<string, unknown>; materials: unknown[]; status: string; createdAt: string; updatedAt: string; events: SandboxEvent[];
  /** What the applicant supplemented (补正), oldest first. */
  supplements?: { materials: SandboxMaterial[]; note?: string; at: string }[];
  /** The status a case returns to once its supplements arrive: the one it had when they were requested. */
  resumeStatus?: string;
}

const WITHDRAWABLE = new Set(['received', 'accepted', 'supplement_requested']);
const materialSchema = z.object({
  requirement: z.string().min(1), name: z.string().min(1), mediaType: z.string().min(1), size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/), content: z.base64(),
});
type SandboxMaterial = z.infer<typeof materialSchema>;
const requestSchema = z.object({
  serviceCode: z.string().min(1), externalRef: z.string().min(1), mode: z.enum(['online', 'proxy_intake', 'joint']),
  callbackUrl: z.url().optional(), fields: z.record(z.string(), z.unknown()), materials: z.array(materialSchema),
});
const supplementSchema = z.object({ materials: z.array(materialSchema).min(1), note: z.string().max(1000).optional() });

/** The first material whose size or sha256 does not match its content, as a problem's `errors`; null when all match. */
async function materialMismatch(materials: SandboxMaterial[]): Promise<{ field: string; reason: string }[] | null> {
  for (const [i, m] of materials.entries()) {
    const bytes = Uint8Array.from(atob(m.content), (ch) => ch.charCodeAt(0));
    if (bytes.length !== m.size || hex(await sha256(bytes)) !== m.sha256) return [{ field: `materials[${i}]`, reason: 'size or sha256 does not match the content' }];
  }
  return null;
}
const sameSupplement = (a: SandboxMaterial[], b: SandboxMaterial[]) => a.length === b.length && a.every((m, i) => m.sha256 === b[i]!.sha256);

const problem = (c: Context, status: 400 | 401 | 404 | 409 | 422, title: string, detail?: string, errors?: { field: string; reason: string }[]) =>
  c.body(JSON.stringify({ type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) }), status, { 'content-type': 'application/problem+json' });

export function createStandardSandbox(opts: StandardSandboxOptions = {}) {
  const settings = { apiKey: opts.apiKey ?? 'sandbox-api-key', callbackSecret: opts.callbackSecret ?? 'sandbox-callback-secret' };
  const services = opts.services ?? { 'STD-SVC-001': [] };
  const clock = opts.clock ?? systemClock;
  const send = opts.fetch ?? fetch;
  const cases = new Map<string, StandardSandboxCase>();
  const requests: RecordedRequest[] = [];
  const faults = createFaultQueue<SandboxFault>();
  let seq = 0;
  const now = () => new Date(clock.now()).toISOString();
  const view = (k: StandardSandboxCase) => ({ id: k.id, externalRef: k.externalRef, serviceCode: k.serviceCode, status: k.status, updatedAt: k.updatedAt, events: k.events });

  function record(k: StandardSandboxCase, status: string, extra: { note?: string; data?: Record<string, unknown> } = {}): SandboxEvent {
    const event = { id: `ev-${++seq}`, status, at: now(), ...extra };
    if (status === 'supplement_requested' && k.status !== status) k.resumeStatus = k.status;
    k.status = status; k.updatedAt = event.at; k.events.push(event);
    return event;
  }

  async function deliver(k: StandardSandboxCase, event: SandboxEvent): Promise<{ status: number } | { error: string } | null> {
    if (!k.callbackUrl) return null;
    const body = utf8(JSON.stringify({ eventId: event.id, caseId: k.id, externalRef: k.externalRef, serviceCode: k.serviceCode, status: event.status, at: event.at, ...(event.note ? { note: event.note } : {}), ...(event.data ? { data: event.data } : {}) }));
    const signature = `sha256=${hex(await hmacSha256(settings.callbackSecret, body))}`;
    try {
      const res = await send(k.callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': signature }, body: body as Uint8Array<ArrayBuffer> });
      await res.arrayBuffer();
      return { status: res.status };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  const app = new Hono();
  app.use('/api/*', recordRequests(requests));
  app.use('/api/*', async (c, next) => {
    const injected = await applyFault(c, faults.take(c.req.path));
    if (injected) return injected;
    if (c.req.path === '/api/health') return next();
    if (c.req.header('authorization') !== `Bearer ${settings.apiKey}`) return problem(c, 401, 'Unauthorized', 'a valid bearer API key is required');
    return next();
  });
  app.get('/api/health', (c) => c.json({ status: 'ok', time: now() }));

  app.post('/api/cases', async (c) => {
    const parsed = requestSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return problem(c, 400, 'Invalid request', undefined, parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })));
    const r = parsed.data;
    const required = Object.hasOwn(services, r.serviceCode) ? services[r.serviceCode]! : null;
    if (!required) return problem(c, 422, 'Unknown service', `service ${r.serviceCode} is not offered here`);
    const missing = required.filter((f) => r.fields[f] === undefined || r.fields[f] === '');
    if (missing.length) return problem(c, 422, 'Missing fields', undefined, missing.map((field) => ({ field: `fields.${field}`, reason: 'required' })));
    const mismatch = await materialMismatch(r.materials);
    if (mismatch) return problem(c, 422, 'Material mismatch', undefined, mismatch);
    const existing = [...cases.values()].find((k) => k.externalRef === r.externalRef);
    if (existing) return c.json({ id: existing.id, status: existing.status, createdAt: existing.createdAt }, 200);
    const at = now();
    const k: StandardSandboxCase = { id: `SC-${String(cases.size + 1).padStart(6, '0')}`, ...r, status: 'received', createdAt: at, updatedAt: at, events: [] };
    record(k, 'received');
    cases.set(k.id, k);
    return c.json({ id: k.id, status: k.status, createdAt: k.createdAt }, 201);
  });

  app.get('/api/cases/:id', (c) => {
    const k = cases.get(c.req.param('id'));
    return k ? c.json(view(k)) : problem(c, 404, 'Not found', `no case ${c.req.param('id')}`);
  });

  app.post('/api/cases/:id/withdraw', async (c) => {
    const k = cases.get(c.req.param('id'));
    if (!k) return problem(c, 404, 'Not found', `no case ${c.req.param('id')}`);
    const body = z.object({ reason: z.string().min(1) }).safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return problem(c, 400, 'Invalid request', undefined, [{ field: 'reason', reason: 'required' }]);
    if (!WITHDRAWABLE.has(k.status)) return problem(c, 409, 'Invalid transition', `a ${k.status} case cannot be withdrawn`);
    record(k, 'withdrawn', { note: body.data.reason });
    return c.json({ id: k.id, status: k.status });
  });

  app.post('/api/cases/:id/supplements', async (c) => {
    const k = cases.get(c.req.param('id'));
    if (!k) return problem(c, 404, 'Not found', `no case ${c.req.param('id')}`);
    const parsed = supplementSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return problem(c, 400, 'Invalid request', undefined, parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })));
    const mismatch = await materialMismatch(parsed.data.materials);
    if (mismatch) return problem(c, 422, 'Material mismatch', undefined, mismatch);
    const last = k.supplements?.at(-1);
    // A repeat of the supplement just taken (its answer was lost on the way) is answered as it was.
    if (k.status !== 'supplement_requested' && last && sameSupplement(last.materials, parsed.data.materials)) return c.json({ id: k.id, status: k.status });
    if (k.status !== 'supplement_requested') return problem(c, 409, 'Invalid transition', `a ${k.status} case is not waiting for supplements`);
    const at = now();
    (k.supplements ??= []).push({ materials: parsed.data.materials, at, ...(parsed.data.note ? { note: parsed.data.note } : {}) });
    record(k, k.resumeStatus ?? 'received', { note: 'supplements received' });
    return c.json({ id: k.id, status: k.status });
  });

  const control = {
    requests, cases, settings,
    /** Makes the next matching call fail (see SandboxFault). */
    failNext: (fault: SandboxFault) => faults.push(fault),
    clearFaults: () => faults.clear(),
    /** Moves a case to `status` as the back office would, and posts the signed callback if the case has a URL. */
    async advance(id: string, status: string, extra: { note?: string; data?: Record<string, unknown> } = {}) {
      const k = cases.get(id);
      if (!k) throw new Error(`sandbox: no case ${id}`);
      const event = record(k, status, extra);
      return { event, delivery: await deliver(k, event) };
    },
    /** Revokes the current API key (every call is then 401) and installs another. */
    rotateApiKey(apiKey: string) { settings.apiKey = apiKey; },
  };
  return { app, control };
}

export type StandardSandbox = ReturnType<typeof createStandardSandbox>;

export async function startSandbox(opts: StandardSandboxOptions & { port?: number } = {}): Promise<StandardSandbox & RunningSandbox> {
  const sandbox = createStandardSandbox(opts);
  return { ...sandbox, ...(await serveOnLoopback(sandbox.app, opts.port)) };
}
