import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../lib/api';
import { problemMessage } from '../lib/errors';

export interface Loaded<T> { data: T | null; error: string | null; loading: boolean; reload: () => void }

/** Loads once per `key` (and on reload); the error is already a Chinese sentence. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, key: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    load(ctl.signal).then(
      (data) => { if (!ctl.signal.aborted) setState({ data, error: null, loading: false }); },
      (e: unknown) => {
        if (ctl.signal.aborted) return;
        setState({ data: null, error: e instanceof ApiError ? problemMessage(e) : '加载失败', loading: false });
      },
    );
    return () => ctl.abort();
  }, [...key, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export function Loading<T>(p: { state: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (p.state.error) return <div class="banner error" role="alert">{p.state.error}</div>;
  if (p.state.data === null) return <p class="loading">正在加载…</p>;
  return <>{p.children(p.state.data)}</>;
}

export function Empty(p: { children: ComponentChildren }) {
  return <p class="empty">{p.children}</p>;
}
