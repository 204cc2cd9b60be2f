import { useState } from 'preact/hooks';
import { nameFields } from '../../lib/errors';
import { navigate } from '../../lib/router';
import { Field, inputProps } from '../../ui/form';

nameFields({ from: '起始日期', to: '截止日期' });

const DAY = 86_400_000;
/** The API refuses a period over five years (400 naming `from`): said here before asking. */
const MAX_DAYS = 5 * 366;

function problems(from: string, to: string): Record<string, string> {
  const e: Record<string, string> = {};
  if (!from) e.from = '请填写起始日期';
  if (!to) e.to = '请填写截止日期';
  if (from && to && from > to) e.to = '截止日期不能早于起始日期';
  else if (from && to && (Date.parse(to) - Date.parse(from)) / DAY > MAX_DAYS) e.from = '统计期不能超过五年';
  return e;
}

/** 统计期: two China dates, both included; kept in the hash so a link shows the same figures. */
export function RangeForm(p: { from: string; to: string; busy: boolean }) {
  const [from, setFrom] = useState(p.from);
  const [to, setTo] = useState(p.to);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const found = problems(from, to);
    setErrors(found);
    if (Object.keys(found).length) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    navigate(`/statistics?${new URLSearchParams({ from, to })}`);
  };
  return (
    <form class="filters" aria-label="统计期" noValidate onSubmit={onSubmit}>
      <Field label="起始日期" name="from" error={errors.from}>
        <input {...inputProps('from', errors)} type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
      </Field>
      <Field label="截止日期" name="to" error={errors.to}>
        <input {...inputProps('to', errors)} type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
      </Field>
      <div class="actions">
        <button type="submit" class="primary" disabled={p.busy}>统计</button>
        <button type="button" onClick={() => navigate('/statistics')} disabled={p.busy}>近 12 个月</button>
      </div>
    </form>
  );
}
