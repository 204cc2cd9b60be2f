import { useState } from 'preact/hooks';
import { COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS, COMPLAINT_STATES } from '../../lib/labels';
import { navigate } from '../../lib/router';
import { Field } from '../../ui/form';

export const COMPLAINT_FILTER_KEYS = ['state', 'channel', 'category', 'overdue'] as const;
type Filters = Record<(typeof COMPLAINT_FILTER_KEYS)[number], string>;

const SELECTS: [Exclude<keyof Filters, 'overdue'>, string, Record<string, string>][] = [
  ['state', '状态', COMPLAINT_STATES], ['channel', '渠道', COMPLAINT_CHANNELS], ['category', '分类', COMPLAINT_CATEGORIES],
];

/** The list's filters live in the hash (`#/complaints?state=open&overdue=true`): a link brings the same list back. */
export function ComplaintFilters(p: { query: URLSearchParams }) {
  const [f, setF] = useState<Filters>(() => Object.fromEntries(COMPLAINT_FILTER_KEYS.map((k) => [k, p.query.get(k) ?? ''])) as Filters);
  const apply = (next: Filters) => {
    const qs = new URLSearchParams();
    for (const k of COMPLAINT_FILTER_KEYS) if (next[k]) qs.set(k, next[k]);
    navigate(`/complaints${qs.toString() ? `?${qs}` : ''}`);
  };
  return (
    <form class="filters" role="search" aria-label="筛选投诉" noValidate onSubmit={(e) => { e.preventDefault(); apply(f); }}>
      {SELECTS.map(([k, text, table]) => (
        <Field key={k} label={text} name={`filter-${k}`}>
          <select id={`f-filter-${k}`} value={f[k]} onChange={(e) => setF({ ...f, [k]: (e.target as HTMLSelectElement).value })}>
            <option value="">全部</option>
            {Object.entries(table).map(([code, t]) => <option key={code} value={code}>{t}</option>)}
          </select>
        </Field>
      ))}
      <Field label="仅看超期未回复" name="filter-overdue">
        <input id="f-filter-overdue" type="checkbox" class="check" checked={f.overdue === 'true'}
          onChange={(e) => setF({ ...f, overdue: (e.target as HTMLInputElement).checked ? 'true' : '' })} />
      </Field>
      <div class="actions">
        <button type="submit" class="primary">查询</button>
        <button type="button" onClick={() => apply({ state: '', channel: '', category: '', overdue: '' })}>清除条件</button>
      </div>
    </form>
  );
}
