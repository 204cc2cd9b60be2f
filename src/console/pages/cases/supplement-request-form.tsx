import { useState } from 'preact/hooks';
import { chinaToday } from '../../lib/format';
import { Banner, Field, inputProps, useForm } from '../../ui/form';
import type { ItemMaterial } from '../catalog/types';
import { focusInvalid, postEvent } from './event-form';
import type { SupplementItem } from './types';

/**
 * 要求补正 (handling side): every material the applicant must bring, in one request (一次性告知: the
 * gateway allows one), with a reason and the day it is due; the clock stands still meanwhile.
 */
export function SupplementRequestForm(p: { caseRef: string; materials: ItemMaterial[]; onDone: (said: string) => void; onCancel: () => void }) {
  const [picked, setPicked] = useState<string[]>([]);
  const [others, setOthers] = useState('');
  const [reason, setReason] = useState('');
  const [deadline, setDeadline] = useState('');
  const form = useForm();
  const toggle = (id: string, on: boolean) => setPicked(on ? [...picked, id] : picked.filter((x) => x !== id));
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const why = reason.trim();
    const items: SupplementItem[] = [
      ...p.materials.filter((m) => picked.includes(m.id)).map((m) => ({ requirement: m.id, name: m.name })),
      ...others.split('\n').map((s) => s.trim()).filter(Boolean).map((name) => ({ name })),
    ].map((i) => (why ? { ...i, reason: why } : i));
    const problems: Record<string, string> = {};
    if (!items.length) problems['data.items'] = '请勾选或填写至少一项需补正的材料';
    if (items.some((i) => i.name.length > 200)) problems['data.items'] = '材料名称不超过 200 个字';
    if (why.length > 500) problems['data.items.*.reason'] = '补正原因不超过 500 个字';
    if (!deadline) problems['data.deadline'] = '请填写补正期限';
    else if (deadline < chinaToday()) problems['data.deadline'] = '补正期限不能早于今天';
    if (Object.keys(problems).length) {
      form.setErrors(problems);
      focusInvalid();
      return;
    }
    const ok = await form.submit(async () => {
      await postEvent(p.caseRef, { type: 'supplement_requested', data: { items, deadline: `${deadline}T23:59:59+08:00` } });
    });
    if (ok) p.onDone('已要求补正，办理时限暂停计时');
  };
  const e = form.errors;
  return (
    <form class="action-form" noValidate onSubmit={onSubmit} aria-label="要求补正">
      <Banner message={form.banner} />
      <fieldset data-field="data.items" class={e['data.items'] ? 'invalid' : undefined}>
        <legend>需补正的材料</legend>
        {p.materials.map((m, i) => (
          <label key={m.id} class="check-row">
            <input type="checkbox" id={i === 0 ? 'f-data.items' : undefined} checked={picked.includes(m.id)} aria-invalid={e['data.items'] ? true : undefined}
              onChange={(ev) => toggle(m.id, (ev.target as HTMLInputElement).checked)} /> {m.name}
          </label>
        ))}
        {e['data.items'] ? <small class="error" role="alert">{e['data.items']}</small> : null}
      </fieldset>
      <Field label="其他材料（每行一项）" name="others">
        <textarea {...inputProps('others', e)} value={others} onInput={(ev) => setOthers((ev.target as HTMLTextAreaElement).value)} />
      </Field>
      <Field label="补正原因" name="data.items.*.reason" error={e['data.items.*.reason']} hint="选填，将告知申请人">
        <input {...inputProps('data.items.*.reason', e)} maxLength={500} value={reason} onInput={(ev) => setReason((ev.target as HTMLInputElement).value)} />
      </Field>
      <Field label="补正期限" name="data.deadline" error={e['data.deadline']} required>
        <input {...inputProps('data.deadline', e)} type="date" min={chinaToday()} value={deadline} onInput={(ev) => setDeadline((ev.target as HTMLInputElement).value)} />
      </Field>
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy}>{form.busy ? '正在提交…' : '确认要求补正'}</button>
        <button type="button" onClick={p.onCancel} disabled={form.busy}>取消</button>
      </div>
    </form>
  );
}
