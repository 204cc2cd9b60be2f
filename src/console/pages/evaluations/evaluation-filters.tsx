import { useState } from 'preact/hooks';
import { nameFields } from '../../lib/errors';
import { EVALUATION_LEVELS, EVALUATION_STAGES } from '../../lib/labels';
import { navigate } from '../../lib/router';
import { Field, inputProps } from '../../ui/form';

nameFields({ followUp: '差评处理', bad: '只看差评', from: '开始日期', to: '结束日期' });

export const FILTER_KEYS = ['stage', 'score', 'bad', 'followUp', 'from', 'to'] as const;
/** 5 first, as the scale reads. */
const LEVELS: [string, string][] = [5, 4, 3, 2, 1].map((s) => [String(s), `${s} ${EVALUATION_LEVELS[s]}`]);
const FOLLOW_UP_FILTERS: Record<string, string> = { open: '未办结', overdue: '已超时未办结', closed: '已办结' };

/** The list's filters live in the hash (#/evaluations?followUp=open), so a link or the back button keeps them. */
export function EvaluationFilters(p: { query: URLSearchParams; errors: Record<string, string> }) {
  const [v, setV] = useState<Record<string, string>>(() => Object.fromEntries(FILTER_KEYS.map((k) => [k, p.query.get(k) ?? ''])));
  const set = (k: string) => (e: Event) => {
    const t = e.target as HTMLInputElement;
    setV({ ...v, [k]: t.type === 'checkbox' ? (t.checked ? 'true' : '') : t.value });
  };
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams(Object.entries(v).filter(([, x]) => x !== ''));
    navigate(`/evaluations${q.size ? `?${q}` : ''}`);
  };
  const select = (k: string, options: [string, string][]) => (
    <select {...inputProps(k, p.errors)} value={v[k]} onChange={set(k)}>
      <option value="">全部</option>
      {options.map(([key, text]) => <option key={key} value={key}>{text}</option>)}
    </select>
  );
  return (
    <form class="filters" onSubmit={onSubmit} role="search" aria-label="筛选评价">
      <Field label="评价环节" name="stage" error={p.errors.stage}>{select('stage', Object.entries(EVALUATION_STAGES))}</Field>
      <Field label="满意程度" name="score" error={p.errors.score}>{select('score', LEVELS)}</Field>
      <Field label="差评处理" name="followUp" error={p.errors.followUp}>{select('followUp', Object.entries(FOLLOW_UP_FILTERS))}</Field>
      <Field label="开始日期" name="from" error={p.errors.from}><input type="date" {...inputProps('from', p.errors)} value={v.from} onChange={set('from')} /></Field>
      <Field label="结束日期" name="to" error={p.errors.to}><input type="date" {...inputProps('to', p.errors)} value={v.to} onChange={set('to')} /></Field>
      <label class="check-inline"><input type="checkbox" name="bad" checked={v.bad === 'true'} onChange={set('bad')} />只看差评</label>
      <button type="submit" class="primary">筛选</button>
      <a class="button" href="#/evaluations">清除</a>
    </form>
  );
}
