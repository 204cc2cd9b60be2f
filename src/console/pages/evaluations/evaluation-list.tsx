import { useEffect, useState } from 'preact/hooks';
import { api } from '../../lib/api';
import type { PageProps } from '../../routes';
import { Empty, Loading, useLoad } from '../../ui/data';
import { Banner } from '../../ui/form';
import { EvaluationFilters, FILTER_KEYS } from './evaluation-filters';
import { EvaluationTable } from './evaluation-table';
import { Pager, queried } from './pager';
import type { Evaluation, EvaluationPage } from './types';

/** 好差评: this member's evaluations, filtered from the hash query; a 差评 is called back, remedied, closed here. */
export function EvaluationList(p: PageProps) {
  const qs = p.query.toString();
  const [openId, setOpenId] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const list = useLoad((signal) => queried(() => api<EvaluationPage>('/api/v1/evaluations', { query: queryOf(p.query), signal })), [qs]);
  // A step's answer shows at once; the list is loaded again behind it (the filter may now leave the row out).
  const [patched, setPatched] = useState<Record<string, Evaluation>>({});
  useEffect(() => setPatched({}), [list.data]);

  const onDone = (e: Evaluation, what: string) => {
    setPatched((x) => ({ ...x, [e.id]: e }));
    const caseId = list.data?.data?.evaluations.find((x) => x.id === e.id)?.caseId ?? e.caseRef;
    setDone(`已${what}：办件 ${caseId} 的差评（${e.level}）`);
    list.reload();
  };

  return (
    <section>
      <h1>好差评</h1>
      <p class="hint">差评（不满意、非常不满意）须在回访时限内回访申请人、在整改时限内完成整改，再由主管办结；时限由网关按配置的工作日数计算。</p>
      <EvaluationFilters key={qs} query={p.query} errors={list.data?.errors ?? {}} />
      <Banner message={done} kind="ok" />
      <Loading state={list}>
        {(r) => {
          if (!r.data) return <Banner message={r.banner} />;
          if (!r.data.evaluations.length) return <Empty>没有符合条件的评价。</Empty>;
          return (
            <>
              <EvaluationTable rows={r.data.evaluations.map((x) => ({ ...x, ...patched[x.id] }))} openId={openId} onDone={onDone}
                onToggle={(id) => setOpenId(openId === id ? null : id)} />
              <Pager base="/evaluations" query={p.query} next={r.data.nextCursor} />
            </>
          );
        }}
      </Loading>
    </section>
  );
}

function queryOf(q: URLSearchParams): Record<string, string | null> {
  return { ...Object.fromEntries(FILTER_KEYS.map((k) => [k, q.get(k)])), cursor: q.get('cursor'), limit: '50' };
}
