import { useRef, useState } from 'preact/hooks';
import { label, MODES } from '../../lib/labels';
import { arrowKeys } from '../catalog/arrow-keys';
import { useItemSearch } from '../catalog/catalog-data';
import type { Item } from '../catalog/types';
import { Field, inputProps } from '../../ui/form';

/**
 * The item of a new case: type a name or code, ↓ to the matches, Enter to take one. Only items some
 * member of the alliance handles can be taken in for another member.
 */
export function ItemPicker(p: { item: Item | null; loading: boolean; onPick: (code: string | null) => void; errors: Record<string, string> }) {
  const [q, setQ] = useState('');
  const search = useItemSearch({ q, department: '', offset: 0 }, 8);
  const input = useRef<HTMLInputElement>(null);
  const keys = arrowKeys('pick', () => input.current);
  if (p.item) {
    return (
      <Field label="办理事项" name="itemCode" error={p.errors.itemCode}>
        <div class="picked" id="f-itemCode" tabIndex={-1}>
          <strong>{p.item.name}</strong> <span class="muted">{p.item.code} · {p.item.department}</span>{' '}
          <button type="button" class="link" onClick={() => { p.onPick(null); setQ(''); }}>更换事项</button>
        </div>
      </Field>
    );
  }
  const shown = q.trim() ? (search.page?.items ?? []) : [];
  return (
    <div onKeyDown={keys}>
      <Field label="办理事项" name="itemCode" error={p.errors.itemCode} hint="输入事项名称或编码，↓ 选择" required>
        <input ref={input} {...inputProps('itemCode', p.errors)} type="search" autoComplete="off" value={q} disabled={p.loading}
          onInput={(e) => setQ((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); if (shown[0]?.offeredBy.length) p.onPick(shown[0].code); } }} />
      </Field>
      {p.loading ? <p class="loading">正在读取事项…</p> : null}
      {shown.length ? (
        <ul class="pick-list" aria-label="匹配的事项">
          {shown.map((i) => (
            <li key={i.code}>
              <button type="button" data-nav="pick" disabled={!i.offeredBy.length} onClick={() => p.onPick(i.code)}>
                {i.name} <span class="muted">{i.code} · {i.modes.map((m) => label(MODES, m)).join('/')}{i.offeredBy.length ? '' : ' · 联盟内暂无办理单位'}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : q.trim() && !search.searching && search.page ? <p class="empty">没有匹配的事项</p> : null}
    </div>
  );
}
