import type { FetchLike } from '../../lib/http';
import type { RegistrySource } from './store';

/** The configured registry URL, fetched with a timeout; never a URL named inside a request (§2). */
export function urlRegistrySource(url: string, fetchFn: FetchLike, timeoutMs = 10_000): RegistrySource {
  return async () => {
    const res = await fetchFn(url, { headers: { accept: 'application/jwt' }, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
    return res.text();
  };
}
