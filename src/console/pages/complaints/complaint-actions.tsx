import { useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { Banner, Field, inputProps, useForm } from '../../ui/form';
import type { Complaint } from './types';

const path = (id: string, action: string) => `/api/v1/complaints/${encodeURIComponent(id)}/${action}`;

/**
 * 回复 (any clerk, while open) and 办结 (supervisors, once replied). The close button is always shown until
 * the end, disabled with its reason, so a clerk knows why and whom to ask.
 */
export function ComplaintActions(p: { complaint: Complaint; supervisor: boolean; onChanged: () => void }) {
  const c = p.complaint;
  const [said, setSaid] = useState<string | null>(null);
  const close = useForm();
  if (c.state === 'closed') return <Banner message={said} kind="ok" />;
  const closeBlocked = !p.supervisor ? '仅主管可以办结投诉' : c.state !== 'replied' ? '须先回复投诉人，方可办结' : null;
  const onClose = async () => {
    const ok = await close.submit(async () => { await api(path(c.id, 'close'), { method: 'POST' }); });
    if (ok) { setSaid('投诉已办结'); p.onChanged(); }
  };
  return (
    <section aria-labelledby="complaint-actions-title" class="panel">
      <h2 id="complaint-actions-title">处理</h2>
      <Banner message={said} kind="ok" />
      {c.state === 'open' ? <ReplyForm id={c.id} onDone={() => { setSaid('已回复'); p.onChanged(); }} /> : null}
      <Banner message={close.banner} />
      <div class="actions">
        <button type="button" class="primary" onClick={onClose} disabled={!!closeBlocked || close.busy}
          aria-describedby={closeBlocked ? 'close-reason' : undefined}>{close.busy ? '正在办结…' : '办结投诉'}</button>
        {closeBlocked ? <span class="muted" id="close-reason">{closeBlocked}</span> : null}
      </div>
    </section>
  );
}

function ReplyForm(p: { id: string; onDone: () => void }) {
  const [reply, setReply] = useState('');
  const form = useForm();
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const text = reply.trim();
    if (!text || text.length > 4000) {
      form.setErrors({ reply: text ? '回复内容不超过 4000 个字' : '回复内容为必填项' });
      requestAnimationFrame(() => document.getElementById('f-reply')?.focus());
      return;
    }
    const ok = await form.submit(async () => { await api(path(p.id, 'reply'), { method: 'POST', body: { reply: text } }); });
    if (ok) p.onDone();
  };
  return (
    <form class="action-form" noValidate onSubmit={onSubmit} aria-label="回复投诉">
      <Banner message={form.banner} />
      <Field label="回复内容" name="reply" error={form.errors.reply} hint="向投诉人答复的内容，加密保存" required>
        <textarea {...inputProps('reply', form.errors)} maxLength={4000} rows={4} value={reply} onInput={(e) => setReply((e.target as HTMLTextAreaElement).value)} />
      </Field>
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy}>{form.busy ? '正在提交…' : '提交回复'}</button>
      </div>
    </form>
  );
}
