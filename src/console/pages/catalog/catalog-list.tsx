import { useRef, useState } from 'preact/hooks';
import { label, MODES } from '../../lib/labels';
import { Banner, Field } from '../../ui/form';
import type { PageProps } from '../../routes';
import { arrowKeys } from './arrow-keys';
import { useItemSearch, useMembers } from './catalog-data';
import { workingDays } from './catalog-labels';
import type { ItemSummary } from './types';

const PAGE = 50;

/** 事项目录: the clerk types part of a name, a code or a department; ↓ or Tab reaches the results. */
export function CatalogList(p: PageProps) {
  const [q, setQ] = useState(p.query.get('q') ?? '');
  const [department, setDepartment] = useState(p.query.get('department') ?? '');
  const [offset, setOffset] = useState(0);
  const search = useItemSearch({ q, department, offset }, PAGE);
  const members = useMembers();
  const input = useRef<HTMLInputElement>(null);
  const keys = arrowKeys('items', () => input.current);

  // The hash keeps the search (a link or the back button brings it back) without a new history entry per key.
  const keep = (nextQ: string, nextDept: string) => {
    const qs = new URLSearchParams();
    if (nextQ.trim()) qs.set('q', nextQ.trim());
    if (nextDept) qs.set('department', nextDept);
    history.replaceState(null, '', `#/catalog${qs.toString() ? `?${qs}` : ''}`);
  };
  const onQ = (v: string) => { setQ(v); setOffset(0); keep(v, department); };
  const onDept = (v: string) => { setDepartment(v); setOffset(0); keep(q, v); };

  const page = search.page;
  return (
    <section onKeyDown={keys}>
      <h1>事项目录</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label="主管部门" name="department">
          <select id="f-department" name="department" value={department} onChange={(e) => onDept((e.target as HTMLSelectElement).value)}>
            <option value="">全部部门</option>
            {(page?.departments ?? []).map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
        </Field>
        <Field label="搜索事项" name="q" hint="事项名称、编码或基本编码；↓ 或 Tab 进入结果">
          <input ref={input} id="f-q" name="q" type="search" autoFocus autoComplete="off" value={q} class="catalog-q"
            onInput={(e) => onQ((e.target as HTMLInputElement).value)} />
        </Field>
      </form>
      <Banner message={search.error} />
      <p class="muted" role="status" aria-live="polite">
        {search.searching ? '正在检索…' : page ? `共 ${page.total} 个事项` : ''}
      </p>
      {page && page.items.length === 0 ? <p class="empty">没有符合条件的事项，请换个关键词。</p> : null}
      {page && page.items.length > 0 ? <Results items={page.items} memberName={members.name} /> : null}
      {page && page.total > PAGE ? (
        <div class="actions">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>上一页</button>
          <span>第 {offset / PAGE + 1} / {Math.ceil(page.total / PAGE)} 页</span>
          <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>下一页</button>
        </div>
      ) : null}
    </section>
  );
}

function Results(p: { items: ItemSummary[]; memberName: (id: string) => string }) {
  return (
    <table class="catalog-results">
      <caption class="sr-only">检索结果</caption>
      <thead><tr><th>编码</th><th>事项名称</th><th>主管部门</th><th>办理方式</th><th>法定 / 承诺时限</th><th>办理单位</th></tr></thead>
      <tbody>
        {p.items.map((i) => (
          <tr key={i.code}>
            <td class="nowrap">{i.code}</td>
            <td><a href={`#/catalog/${encodeURIComponent(i.code)}`} data-nav="items">{i.name}</a></td>
            <td>{i.department}</td>
            <td>{i.modes.map((m) => <span key={m} class="tag">{label(MODES, m)}</span>)}</td>
            <td class="nowrap">{workingDays(i.legalDays)} / {workingDays(i.promisedDays)}</td>
            <td>{i.offeredBy.length ? i.offeredBy.map((m) => p.memberName(m)).join('、') : <span class="muted">联盟内暂无</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
