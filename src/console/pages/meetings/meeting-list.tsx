import { useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { label } from '../../lib/labels';
import { navigate } from '../../lib/router';
import { Empty, Loading, useLoad } from '../../ui/data';
import { Banner, useForm } from '../../ui/form';
import { INVITATION_STATUSES } from './meeting-labels';
import { meetingTokens } from './tokens';
import type { Invitation, JoinAnswer } from './types';

/** #/meetings — invitations from other members' clerks to a cloud meeting on a shared case (§7.3). */
export function MeetingList(_p: { params: Record<string, string>; query: URLSearchParams }) {
  const list = useLoad((signal) => api<{ invitations: Invitation[] }>('/api/v1/meeting-invitations', { signal }), []);
  const form = useForm();
  const [joining, setJoining] = useState<string | null>(null);
  const join = (inv: Invitation) => {
    setJoining(inv.id);
    void form.submit(async () => {
      const answer = await api<JoinAnswer>(`/api/v1/meeting-invitations/${encodeURIComponent(inv.id)}/join`, { method: 'POST' });
      meetingTokens.keep(inv.id, answer);
      navigate(`/meetings/${inv.id}`);
    }).finally(() => setJoining(null));
  };
  return (
    <section aria-labelledby="meetings-title">
      <h1 id="meetings-title">云见面 <button type="button" class="refresh" onClick={list.reload}>刷新</button></h1>
      <p class="hint">其他成员单位邀请本单位参加的视频会议。每个邀请只能由一名工作人员加入一次；本单位发起的会议请在办件页面的“云见面”中发起。</p>
      <Banner message={form.banner} />
      <Loading state={list}>{(d) => d.invitations.length ? (
        <table aria-labelledby="meetings-title">
          <thead><tr><th>发起单位</th><th>本单位办件</th><th>事项</th><th>邀请时间</th><th>有效期至</th><th>状态</th><th>操作</th></tr></thead>
          <tbody>
            {d.invitations.map((inv) => (
              <tr key={inv.id} data-invitation={inv.id}>
                <td>{inv.fromMember}</td>
                <td>{inv.caseRef ? <a href={`#/cases/${encodeURIComponent(inv.caseRef)}`}>{inv.caseRef}</a> : '—'}</td>
                <td>{inv.itemCode ?? '—'}</td>
                <td>{formatDateTime(inv.createdAt)}</td>
                <td>{formatDateTime(inv.expiresAt)}</td>
                <td>{label(INVITATION_STATUSES, inv.status)}{inv.takenBy ? `（${inv.takenBy}）` : ''}</td>
                <td>{inv.status === 'pending'
                  ? <button type="button" class="primary" onClick={() => join(inv)} disabled={form.busy}>{joining === inv.id ? '正在加入…' : `加入${inv.fromMember}的会议`}</button>
                  : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <Empty>暂无会议邀请。</Empty>}</Loading>
    </section>
  );
}
