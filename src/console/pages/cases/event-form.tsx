import { useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { Banner, Field, inputProps, useForm } from '../../ui/form';
import { checkSpec, type ActionSpec, type FieldSpec } from './action-specs';

/** POST /api/v1/cases/{ref}/events: the gateway makes the event's id and time. */
export const postEvent = (ref: string, body: { type: string; note?: string; data?: unknown }) =>
  api(`/api/v1/cases/${encodeURIComponent(ref)}/events`, { method: 'POST', body });

export const focusInvalid = () => requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

/** The small form of one simple action: its fields, checked here and by the gateway, then one POST. */
export function EventForm(p: { caseRef: string; type: string; title: string; spec: ActionSpec; onDone: (said: string) => void; onCancel: () => void }) {
  const [v, setV] = useState<Record<string, string>>({});
  const form = useForm();
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const trimmed = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x.trim()]));
    const problems = checkSpec(p.spec, trimmed);
    if (Object.keys(problems).length) {
      form.setErrors(problems);
      focusInvalid();
      return;
    }
    const ok = await form.submit(async () => { await postEvent(p.caseRef, { type: p.type, ...p.spec.build(trimmed) }); });
    if (ok) p.onDone(`已${p.title}`);
  };
  return (
    <form class="action-form" noValidate onSubmit={onSubmit} aria-label={p.title}>
      <Banner message={form.banner} />
      {p.spec.fields.map((f) => (
        <Field key={f.name} label={f.label} name={f.name} error={form.errors[f.name]} hint={f.hint} required={f.required}>
          <Input f={f} value={v[f.name] ?? ''} errors={form.errors} onValue={(x) => setV({ ...v, [f.name]: x })} />
        </Field>
      ))}
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy}>{form.busy ? '正在提交…' : `确认${p.title}`}</button>
        <button type="button" onClick={p.onCancel} disabled={form.busy}>取消</button>
      </div>
    </form>
  );
}

function Input(p: { f: FieldSpec; value: string; errors: Record<string, string>; onValue: (v: string) => void }) {
  const props = { ...inputProps(p.f.name, p.errors), value: p.value, onInput: (e: Event) => p.onValue((e.target as HTMLInputElement).value) };
  if (p.f.kind === 'textarea') return <textarea {...props} maxLength={p.f.max} />;
  if (p.f.kind === 'select') {
    return (
      <select {...props} onChange={props.onInput}>
        <option value="">请选择</option>
        {Object.entries(p.f.options ?? {}).map(([k, t]) => <option key={k} value={k}>{t}</option>)}
      </select>
    );
  }
  return <input {...props} maxLength={p.f.max} autoComplete="off" />;
}
