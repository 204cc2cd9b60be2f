import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../lib/api';
import { fieldMessage, problemMessage } from '../lib/errors';

/**
 * One labelled field with its message under it (`aria-describedby`, `aria-invalid`), so a screen reader
 * and the eye both find what to fix. `name` is the API's dotted path, which is how errors find it.
 */
export function Field(p: { label: string; name: string; error?: string; hint?: string; required?: boolean; children: ComponentChildren }) {
  const id = `f-${p.name}`;
  return (
    <div class={`field${p.error ? ' invalid' : ''}`} data-field={p.name}>
      <label for={id}>{p.label}{p.required ? <span class="req" aria-hidden="true">*</span> : null}</label>
      {p.children}
      {p.hint && !p.error ? <small class="hint" id={`${id}-hint`}>{p.hint}</small> : null}
      {p.error ? <small class="error" id={`${id}-error`} role="alert">{p.error}</small> : null}
    </div>
  );
}

/** The props an input needs to be found by its Field and its error. */
export const inputProps = (name: string, errors: Record<string, string>) => ({
  id: `f-${name}`, name,
  'aria-invalid': errors[name] ? (true as const) : undefined,
  'aria-describedby': errors[name] ? `f-${name}-error` : undefined,
});

export interface FormState {
  errors: Record<string, string>;
  banner: string | null;
  busy: boolean;
  /** Runs `work`; an ApiError's field errors land at their fields, the rest in the banner. */
  submit: (work: () => Promise<void>) => Promise<boolean>;
  setErrors: (errors: Record<string, string>) => void;
  setBanner: (banner: string | null) => void;
}

export function useForm(): FormState {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (work: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setBanner(null);
    setErrors({});
    try {
      await work();
      return true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const byField: Record<string, string> = {};
      for (const fe of e.fieldErrors) byField[fe.path] ??= fieldMessage(fe);
      setErrors(byField);
      setBanner(problemMessage(e));
      focusFirstError();
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { errors, banner, busy, submit, setErrors, setBanner };
}

function focusFirstError(): void {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.focus();
  });
}

export function Banner(p: { message: string | null; kind?: 'error' | 'ok' }) {
  if (!p.message) return null;
  return <div class={`banner ${p.kind ?? 'error'}`} role={p.kind === 'ok' ? 'status' : 'alert'}>{p.message}</div>;
}

/** Client-side checks before sending: returns the errors by field, empty when all is well. */
export function requireFields(values: Record<string, unknown>, names: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, label] of Object.entries(names)) {
    const v = values[field];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) errors[field] = `${label}为必填项`;
  }
  return errors;
}
