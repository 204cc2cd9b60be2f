import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from '../../lib/http';

/** undici with a keep-alive pool and a timeout at each stage; never retries (a retry would replay). */
export function createNodeFetch(opts: { connectTimeoutMs?: number; headersTimeoutMs?: number; bodyTimeoutMs?: number } = {}): { fetch: FetchLike; close(): Promise<void> } {
  const agent = new Agent({
    connect: { timeout: opts.connectTimeoutMs ?? 5_000 },
    headersTimeout: opts.headersTimeoutMs ?? 15_000,
    bodyTimeout: opts.bodyTimeoutMs ?? 30_000,
    keepAliveTimeout: 30_000,
    connections: 64,
    pipelining: 1,
  });
  const fetchFn = ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as string, { ...(init as object), dispatcher: agent } as Parameters<typeof undiciFetch>[1])) as unknown as FetchLike;
  return { fetch: fetchFn, close: () => agent.close() };
}
