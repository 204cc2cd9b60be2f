import { useState } from 'preact/hooks';
import { formatDateTime } from '../../lib/format';
import { Banner, useForm } from '../../ui/form';
import { meetingApi } from './meeting-api';
import type { JoinToken, Meeting } from './types';

/**
 * The waiting room: the applicant's token is minted only when the clerk admits them, and is shown here
 * (memory only) to hand to the applicant's device, with a copy button.
 */
export function AdmitPanel(p: { meeting: Meeting; onChanged: () => void }) {
  const form = useForm();
  const [ticket, setTicket] = useState<JoinToken | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const applicant = p.meeting.participants.find((x) => x.role === 'applicant');
  if (!applicant) return null;
  const admit = () => form.submit(async () => {
    setTicket(await meetingApi.admit(p.meeting.id));
    setCopied(null);
    p.onChanged();
  });
  const copy = async (t: JoinToken) => {
    try {
      await navigator.clipboard.writeText(`视频服务器：${t.url}\n入会令牌：${t.token}\n有效期至：${formatDateTime(t.expiresAt)}`);
      setCopied('已复制，请交给申请人的设备');
    } catch {
      setCopied('无法写入剪贴板，请手动选中复制');
    }
  };
  const open = p.meeting.status === 'open';
  const removed = applicant.status === 'removed';
  return (
    <section class="panel" aria-labelledby="admit-title">
      <h2 id="admit-title">申请人入会</h2>
      <p>申请人：{applicant.displayName}（{applicant.status === 'waiting' ? '在等候室' : removed ? '已被移出，不能再次准入' : '已准入'}）</p>
      <Banner message={form.banner} />
      {open && !removed ? (
        <div class="actions">
          <button type="button" class="primary" onClick={() => void admit()} disabled={form.busy}>
            {applicant.status === 'waiting' ? '准入申请人' : '重新生成申请人入会信息'}
          </button>
        </div>
      ) : null}
      {ticket ? (
        <div class="admit-ticket" data-testid="admit-ticket">
          <p>请将以下信息交给申请人的设备（令牌仅本次显示，{formatDateTime(ticket.expiresAt)} 前有效）：</p>
          <dl>
            <dt>视频服务器</dt><dd><code>{ticket.url}</code></dd>
            <dt>入会令牌</dt><dd><code class="token">{ticket.token}</code></dd>
            <dt>参会身份</dt><dd><code>{ticket.identity}</code></dd>
          </dl>
          <div class="actions">
            <button type="button" onClick={() => void copy(ticket)}>复制入会信息</button>
            {copied ? <span role="status">{copied}</span> : null}
          </div>
        </div>
      ) : null}
    </section>
  );
}
