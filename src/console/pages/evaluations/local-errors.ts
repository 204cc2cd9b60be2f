import type { FormState } from '../../ui/form';

/** Places the client-side check's errors at their fields (focus on the first); false when there are none. */
export function showLocalErrors(form: FormState, errors: Record<string, string>): boolean {
  if (!Object.keys(errors).length) return false;
  form.setErrors(errors);
  form.setBanner('填写有误，请按提示修改');
  requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  return true;
}
