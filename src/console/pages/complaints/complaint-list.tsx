import { useState } from 'preact/hooks';
import { api, ApiError } from '../../lib/api';
import { problemMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS, label } from '../../lib/labels';
import type { PageProps } from '../../routes';
import { Loading, useLoad } from '../../ui/data';
import { Banner } from '../../ui/form';
import { COMPLAINT_FILTER_KEYS, ComplaintFilters } from './complaint-filters';
import { ComplaintTags } from './complaint-tags';
import type { Complaint, ComplaintPage } from './types';

const PAGE = 50;

/** 投诉受理: the register of every channel, newest received first, with its 限时回复 date; overdue rows stand out. */
export function ComplaintList(p: PageProps) {
  const key = p.query.toString();
  const query = Object.fromEntries(COMPLAINT_FILTER_KEYS.map((k) => [k, p.query.get(k)]));
  const first = useLoad((signal) => api<ComplaintPage>('/api/v1/complaints', { query: { ...query, limit: PAGE }, signal }), [key]);
  return (
    <section>
      <h1>投诉受理 <a class="button primary head-action" href="#/complaints/new">登记投诉</a></h1>
      <ComplaintFilters key={key} query={p.query} />
      <Loading state={first}>{(page) => <ComplaintRows first={page} query={query} />}</Loading>
    </section>
  );
}

/**
 * The first page, and the next ones when the clerk asks for them (the cursor of the last page). The pages
 * added are kept with the first page they follow, so a new answer (other filters) starts the list afresh.
 */
function ComplaintRows(p: { first: ComplaintPage; query: Record<string, string | null> }) {
  const [added, setAdded] = useState<{ after: ComplaintPage; rows: Complaint[]; cursor: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const extra = added?.after === p.first ? added : null;
  const rows = extra ? [...p.first.complaints, ...extra.rows] : p.first.complaints;
  const cursor = extra ? extra.cursor : p.first.nextCursor;
  const more = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await api<ComplaintPage>('/api/v1/complaints', { query: { ...p.query, limit: PAGE, cursor } });
      setAdded({ after: p.first, rows: [...(extra?.rows ?? []), ...next.complaints], cursor: next.nextCursor });
    } catch (e) {
      setError(e instanceof ApiError ? problemMessage(e) : '加载失败');
    } finally {
      setBusy(false);
    }
  };
  if (!rows.length) return <p class="empty">没有符合条件的投诉。</p>;
  return (
    <>
      <p class="muted" role="status">显示 {rows.length} 件（最新收到在前）</p>
      <table class="complaint-table" aria-label="投诉列表">
        <thead><tr><th>收到时间</th><th>事由</th><th>渠道</th><th>分类</th><th>投诉人</th><th>状态</th><th>限时回复</th></tr></thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id} class={c.overdue ? 'overdue' : undefined}>
              <td class="nowrap">{formatDateTime(c.receivedAt)}</td>
              <td><a href={`#/complaints/${encodeURIComponent(c.id)}`}>{c.subject}</a></td>
              <td class="nowrap">{label(COMPLAINT_CHANNELS, c.channel)}</td>
              <td class="nowrap">{label(COMPLAINT_CATEGORIES, c.category)}</td>
              <td>{c.complainant.name ?? '—'}</td>
              <td class="nowrap"><ComplaintTags c={c} /></td>
              <td class="nowrap" data-testid="reply-due">{formatDateTime(c.replyDueAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Banner message={error} />
      {cursor ? <div class="actions"><button type="button" onClick={more} disabled={busy}>{busy ? '正在加载…' : '显示更多'}</button></div> : null}
    </>
  );
}
