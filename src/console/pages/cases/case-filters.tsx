import { useState } from 'preact/hooks';
import { nameFields } from '../../lib/errors';
import { CASE_STATES, label } from '../../lib/labels';
import { navigate } from '../../lib/router';
import { Banner, Field, inputProps } from '../../ui/form';
import type { MemberSummary } from '../catalog/types';
import { CASE_ROLES } from './case-labels';

export const FILTER_KEYS = ['state', 'overdue', 'role', 'member', 'item', 'from', 'to', 'q'] as const;
type Filters = Record<(typeof FILTER_KEYS)[number], string>;

nameFields({ state: '状态', overdue: '超期', role: '角色', member: '对方单位', item: '事项编码', from: '起始日期', to: '截止日期', q: '关键词' });

const ITEM_CODE = /^[A-Z][A-Z0-9]{1,9}(-[A-Z0-9]{1,12}){1,3}$/;

function problems(f: Filters): Record<string, string> {
  const e: Record<string, string> = {};
  if (f.item && !ITEM_CODE.test(f.item)) e.item = '事项编码格式如 KS-GJJ-003';
  if (f.from && f.to && f.from > f.to) e.to = '截止日期不能早于起始日期';
  if (f.q.length > 100) e.q = '关键词不超过 100 个字';
  return e;
}

/**
 * The list's filters live in the hash (`#/cases?state=accepted&overdue=true`), so a link or the back
 * button brings the same list back. No ID numbers here: the text search is by ref, case id or name.
 */
export function CaseFilters(p: { query: URLSearchParams; members: MemberSummary[]; supervisor: boolean }) {
  const [f, setF] = useState<Filters>(() => Object.fromEntries(FILTER_KEYS.map((k) => [k, p.query.get(k) ?? ''])) as Filters);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (k: keyof Filters) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  const apply = (next: Filters) => {
    const found = problems(next);
    setErrors(found);
    if (Object.keys(found).length) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    const qs = new URLSearchParams();
    for (const k of FILTER_KEYS) if (next[k].trim()) qs.set(k, next[k].trim());
    navigate(`/cases${qs.toString() ? `?${qs}` : ''}`);
  };
  const clear = () => apply(Object.fromEntries(FILTER_KEYS.map((k) => [k, ''])) as Filters);
  return (
    <form class="filters" role="search" aria-label="筛选办件" noValidate onSubmit={(e) => { e.preventDefault(); apply(f); }}>
      <Field label="状态" name="state">
        <select {...inputProps('state', errors)} value={f.state} onChange={set('state')}>
          <option value="">全部</option>
          {Object.keys(CASE_STATES).map((s) => <option key={s} value={s}>{label(CASE_STATES, s)}</option>)}
        </select>
      </Field>
      <Field label="仅看超期" name="overdue">
        <input {...inputProps('overdue', errors)} type="checkbox" class="check" checked={f.overdue === 'true'}
          onChange={(e) => setF({ ...f, overdue: (e.target as HTMLInputElement).checked ? 'true' : '' })} />
      </Field>
      {p.supervisor ? (
        <Field label="角色" name="role">
          <select {...inputProps('role', errors)} value={f.role} onChange={set('role')}>
            <option value="">全部</option>
            {Object.entries(CASE_ROLES).map(([k, t]) => <option key={k} value={k}>{t}</option>)}
          </select>
        </Field>
      ) : null}
      <Field label="对方单位" name="member">
        <select {...inputProps('member', errors)} value={f.member} onChange={set('member')}>
          <option value="">全部</option>
          {p.members.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
        </select>
      </Field>
      <Field label="事项编码" name="item" error={errors.item}>
        <input {...inputProps('item', errors)} value={f.item} size={12} placeholder="KS-GJJ-003" onInput={set('item')} />
      </Field>
      <Field label="起始日期" name="from" error={errors.from}>
        <input {...inputProps('from', errors)} type="date" value={f.from} onInput={set('from')} />
      </Field>
      <Field label="截止日期" name="to" error={errors.to}>
        <input {...inputProps('to', errors)} type="date" value={f.to} onInput={set('to')} />
      </Field>
      <Field label="关键词" name="q" error={errors.q} hint="办件编号或申请人姓名">
        <input {...inputProps('q', errors)} type="search" value={f.q} onInput={set('q')} />
      </Field>
      <div class="actions">
        <button type="submit" class="primary">查询</button>
        <button type="button" onClick={clear}>清除条件</button>
      </div>
      <Banner message={Object.keys(errors).length ? '筛选条件有误，请按提示修改' : null} />
    </form>
  );
}
