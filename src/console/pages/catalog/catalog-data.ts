import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../lib/api';
import { problemMessage } from '../../lib/errors';
import { useLoad } from '../../ui/data';
import type { ItemPage, MemberSummary } from './types';

/** The members of the registry in force, by id; their names where a screen shows a member. */
export function useMembers(): { list: MemberSummary[]; name: (id: string | null | undefined) => string } {
  const members = useLoad((signal) => api<MemberSummary[]>('/api/v1/members', { signal }), []);
  const list = members.data ?? [];
  const name = (id: string | null | undefined) => (id ? list.find((m) => m.id === id)?.name ?? id : '—');
  return { list, name };
}

export interface ItemSearch { q: string; department: string; offset: number }
export interface SearchState { page: ItemPage | null; error: string | null; searching: boolean }

/**
 * Searches the catalog as the clerk types: one request per pause (`delayMs`), an older answer never
 * replaces a newer one (the previous request is aborted).
 */
export function useItemSearch(s: ItemSearch, limit: number, delayMs = 250): SearchState {
  const [state, setState] = useState<SearchState>({ page: null, error: null, searching: true });
  useEffect(() => {
    const ctl = new AbortController();
    setState((old) => ({ ...old, searching: true }));
    const timer = setTimeout(() => {
      api<ItemPage>('/api/v1/items', { query: { q: s.q.trim(), department: s.department, limit, offset: s.offset }, signal: ctl.signal }).then(
        (page) => setState({ page, error: null, searching: false }),
        (e: unknown) => {
          if (ctl.signal.aborted) return;
          setState({ page: null, error: e instanceof ApiError ? problemMessage(e) : '检索失败', searching: false });
        },
      );
    }, delayMs);
    return () => { clearTimeout(timer); ctl.abort(); };
  }, [s.q, s.department, s.offset, limit]);
  return state;
}

/** Item names by code (the whole catalog is a few hundred items), for lists that carry only the code. */
export function useItemNames(): (code: string) => string {
  const all = useLoad((signal) => api<ItemPage>('/api/v1/items', { query: { limit: 500 }, signal }), []);
  return (code) => all.data?.items.find((i) => i.code === code)?.name ?? code;
}
