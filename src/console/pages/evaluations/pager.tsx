import { ApiError } from '../../lib/api';
import { fieldMessage, problemMessage } from '../../lib/errors';

/** The cursor is kept in the hash with the filters, so the back button returns to the page before. */
export function Pager(p: { base: string; query: URLSearchParams; next: string | null }) {
  const at = (cursor: string | null) => {
    const q = new URLSearchParams(p.query);
    if (cursor) q.set('cursor', cursor);
    else q.delete('cursor');
    return `#${p.base}${q.size ? `?${q}` : ''}`;
  };
  if (!p.next && !p.query.has('cursor')) return null;
  return (
    <nav class="actions" aria-label="翻页">
      {p.query.has('cursor') ? <a class="button" href={at(null)}>回到第一页</a> : null}
      {p.next ? <a class="button" href={at(p.next)}>下一页</a> : null}
    </nav>
  );
}

/** A list's answer, or its query's errors placed at the filter fields (a hand-edited hash can hold anything). */
export type Queried<T> = { data: T; errors: Record<string, string> } | { data: null; errors: Record<string, string>; banner: string };

export async function queried<T>(load: () => Promise<T>): Promise<Queried<T>> {
  try {
    return { data: await load(), errors: {} };
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'invalid_request') throw e;
    const errors: Record<string, string> = {};
    for (const fe of e.fieldErrors) errors[fe.path] ??= fieldMessage(fe);
    return { data: null, errors, banner: `筛选条件有误：${problemMessage(e)}` };
  }
}
