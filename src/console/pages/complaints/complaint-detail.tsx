import { formatDateTime } from '../../lib/format';
import { api } from '../../lib/api';
import { COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS, label } from '../../lib/labels';
import { useMe } from '../../lib/me';
import type { PageProps } from '../../routes';
import { Loading, useLoad } from '../../ui/data';
import { ComplaintActions } from './complaint-actions';
import { ComplaintHistory } from './complaint-history';
import { ComplaintTags } from './complaint-tags';
import type { Complaint } from './types';

/** 投诉详情: what was said and by which channel, the reply date, the history, and the reply and close steps. */
export function ComplaintDetail(p: PageProps) {
  const id = p.params.id ?? '';
  const me = useMe();
  const complaint = useLoad((signal) => api<Complaint>(`/api/v1/complaints/${encodeURIComponent(id)}`, { signal }), [id]);
  return (
    <section>
      <p><a href="#/complaints">← 返回投诉列表</a></p>
      <Loading state={complaint}>{(c) => (
        <>
          <h1>投诉：{c.subject} <ComplaintTags c={c} /></h1>
          <div class="cols">
            <dl class="facts" aria-label="投诉信息">
              <dt>受理渠道</dt><dd>{label(COMPLAINT_CHANNELS, c.channel)}</dd>
              <dt>投诉分类</dt><dd>{label(COMPLAINT_CATEGORIES, c.category)}</dd>
              <dt>收到时间</dt><dd>{formatDateTime(c.receivedAt)}</dd>
              <dt>限时回复</dt><dd data-testid="reply-due">{formatDateTime(c.replyDueAt)}{c.overdue ? <span class="tag bad">已超期</span> : null}</dd>
              <dt>投诉人</dt><dd>{c.complainant.name ?? '—'}{c.complainant.phoneMasked ? <span class="mono"> {c.complainant.phoneMasked}</span> : null}</dd>
              <dt>关联办件</dt><dd>{c.caseRef ? <a href={`#/cases/${encodeURIComponent(c.caseRef)}`}>{c.caseRef}</a> : '—'}</dd>
              <dt>涉及窗口</dt><dd>{c.windowId ?? '—'}</dd>
              <dt>登记人</dt><dd>{c.createdBy}</dd>
            </dl>
            <div>
              <h2>投诉内容</h2>
              <p class="complaint-content" data-testid="complaint-content">{c.content}</p>
              {c.reply ? <><h2>回复内容</h2><p class="complaint-content" data-testid="complaint-reply">{c.reply}</p></> : null}
            </div>
          </div>
          <ComplaintActions complaint={c} supervisor={me.role === 'supervisor'} onChanged={complaint.reload} />
          <section aria-labelledby="complaint-history-title" class="panel">
            <h2 id="complaint-history-title">处理过程</h2>
            <ComplaintHistory events={c.events ?? []} />
          </section>
        </>
      )}</Loading>
    </section>
  );
}
