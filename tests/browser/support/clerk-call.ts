import { expect } from 'vitest';

/** A clerk API call made beside the browser (setting a case up, checking what the page saved): GET, or POST with a JSON body; must be 2xx. */
export async function clerkCall<T>(base: string, token: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return (await res.json()) as T;
}
