import { useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { nameFields } from '../../lib/errors';
import { useMe } from '../../lib/me';
import { Banner, Field, inputProps, useForm } from '../../ui/form';
import { showLocalErrors } from './local-errors';
import type { Evaluation, FollowUp } from './types';

nameFields({ note: '处理说明', action: '处理步骤' });

type Action = 'call_back' | 'remedy' | 'close';
const NEXT: Partial<Record<FollowUp['state'], { action: Action; button: string; hint: string }>> = {
  open: { action: 'call_back', button: '回访', hint: '回访申请人的情况：时间、方式、申请人意见（必填）' },
  called_back: { action: 'remedy', button: '整改', hint: '针对差评采取的整改措施（必填）' },
  remedied: { action: 'close', button: '办结', hint: '选填：主管审核意见' },
};

/** The next step of the follow-up, in order; closing is a supervisor's, so others see why they cannot. */
export function FollowUpForm(p: { evaluation: Evaluation; followUp: FollowUp; onDone: (e: Evaluation, what: string) => void }) {
  const me = useMe();
  const [note, setNote] = useState('');
  const form = useForm();
  const next = NEXT[p.followUp.state];
  if (!next) return <p class="hint">该差评已办结。</p>;
  const barred = next.action === 'close' && me.role !== 'supervisor';

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (barred) return;
    if (next.action !== 'close' && !note.trim() && showLocalErrors(form, { note: '处理说明为必填项' })) return;
    const body = { action: next.action, ...(note.trim() ? { note: note.trim() } : {}) };
    await form.submit(async () => {
      p.onDone(await api<Evaluation>(`/api/v1/evaluations/${encodeURIComponent(p.evaluation.id)}/follow-up`, { method: 'POST', body }), next.button);
    });
  };

  return (
    <form class="follow-up-form" onSubmit={onSubmit} noValidate aria-label={`差评${next.button}`}>
      <Banner message={form.banner} />
      <Field label="处理说明" name="note" error={form.errors.note} hint={next.hint} required={next.action !== 'close'}>
        <textarea {...inputProps('note', form.errors)} value={note} maxLength={1000} disabled={barred}
          onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
      </Field>
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy || barred} aria-describedby={barred ? 'close-barred' : undefined}>
          {form.busy ? '正在提交…' : next.button}
        </button>
        {barred ? <span id="close-barred" class="hint">办结须由主管审核后操作，请联系本单位主管。</span> : null}
      </div>
    </form>
  );
}
