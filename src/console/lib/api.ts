/**
 * The clerk API from the browser: the token is held in sessionStorage (gone when the tab closes), sent as
 * a bearer header (no cookie, so no CSRF), and every error arrives as a problem+json the forms can place
 * at their fields.
 */
const TOKEN_KEY = 'handshake.clerkToken';

export interface FieldError { path: string; message: string }

export interface Problem {
  status: number;
  code: string;
  title?: string;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
  }
  get status(): number { return this.problem.status; }
  get code(): string { return this.problem.code; }
  /** The field errors by dotted path (`applicant.idNumber`). */
  get fieldErrors(): FieldError[] { return this.problem.errors ?? []; }
}

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  save: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** Called when any request answers 401: the console goes back to sign-in. */
let onUnauthenticated: () => void = () => {};
export const whenUnauthenticated = (f: () => void): void => { onUnauthenticated = f; };

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** Overrides the stored token (sign-in checks a token before keeping it). */
  token?: string;
  signal?: AbortSignal;
}

export function withQuery(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(path: string, o: RequestOptions): Promise<Response> {
  const token = o.token ?? session.token();
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(path, o.query), { method: o.method ?? 'GET', headers, body: o.body === undefined ? undefined : JSON.stringify(o.body), signal: o.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'network', detail: '无法连接网关，请检查网络后重试' });
  }
  if (res.ok) return res;
  const problem = await readProblem(res);
  if (res.status === 401 && o.token === undefined) onUnauthenticated();
  throw new ApiError(problem);
}

async function readProblem(res: Response): Promise<Problem> {
  try {
    const body = (await res.json()) as Partial<Problem>;
    return { ...body, status: res.status, code: body.code ?? `http_${res.status}` };
  } catch {
    return { status: res.status, code: `http_${res.status}`, detail: res.statusText };
  }
}

/** A JSON request to the clerk API; throws ApiError with the problem on any non-2xx answer. */
export async function api<T>(path: string, o: RequestOptions = {}): Promise<T> {
  const res = await send(path, o);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Downloads an answer (CSV, an evidence bundle) as a file, with the bearer token the link cannot carry. */
export async function download(path: string, filename: string, query?: RequestOptions['query']): Promise<void> {
  const res = await send(path, { query });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
