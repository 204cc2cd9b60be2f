import { useState } from 'preact/hooks';
import { api, ApiError, download } from '../lib/api';
import { problemMessage } from '../lib/errors';
import type { PageProps } from '../routes';
import { Loading, useLoad } from '../ui/data';
import { Banner } from '../ui/form';
import { useMembers } from './catalog/catalog-data';
import { StatCharts } from './statistics/charts';
import { RangeForm } from './statistics/range-form';
import { Totals } from './statistics/totals';
import type { Statistics as Stats } from './statistics/types';

/**
 * 统计分析: the member's figures for a period (default the API's last twelve months), each total with its
 * definition, four charts with their tables, and the same figures as CSV for Excel.
 */
export function Statistics(p: PageProps) {
  const from = p.query.get('from') ?? '';
  const to = p.query.get('to') ?? '';
  const members = useMembers();
  const stats = useLoad((signal) => api<Stats>('/api/v1/statistics', { query: { from, to }, signal }), [from, to]);
  const shown = stats.data;
  return (
    <section>
      <h1>统计分析</h1>
      <RangeForm key={`${from}|${to}|${shown?.from ?? ''}`} from={from || shown?.from || ''} to={to || shown?.to || ''} busy={stats.loading} />
      <Loading state={stats}>{(s) => (
        <>
          <div class="actions stat-head">
            <p class="muted" role="status">统计期：{s.from} 至 {s.to}（北京时间，含首尾两日）</p>
            <CsvButton from={s.from} to={s.to} />
          </div>
          <Totals stats={s} />
          <StatCharts stats={s} memberName={members.name} />
        </>
      )}</Loading>
    </section>
  );
}

/** 导出 CSV: the same period, through download() since a link cannot carry the bearer token. */
function CsvButton(p: { from: string; to: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await download('/api/v1/statistics.csv', `statistics-${p.from}-${p.to}.csv`, { from: p.from, to: p.to });
    } catch (e) {
      setError(e instanceof ApiError ? problemMessage(e) : '导出失败，请重试');
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" onClick={run} disabled={busy}>{busy ? '正在导出…' : '导出 CSV'}</button>
      <Banner message={error} />
    </>
  );
}
