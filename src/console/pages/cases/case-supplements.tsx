import { formatDate } from '../../lib/format';
import { requestedSupplements } from './case-rules';
import type { TimelineEvent } from './types';

/** 补正: what the handling member asked for (once), by when, and what has been provided. */
export function CaseSupplements(p: { events: TimelineEvent[] }) {
  const asked = requestedSupplements(p.events);
  if (!asked) return null;
  const provided = p.events.filter((e) => e.type === 'supplement_provided')
    .flatMap((e) => ((e.data?.materials as { name: string }[] | undefined) ?? []).map((m) => m.name));
  return (
    <section aria-labelledby="supplements-title" class="panel">
      <h2 id="supplements-title">补正</h2>
      <p>补正期限：<strong>{formatDate(asked.deadline)}</strong></p>
      <table>
        <thead><tr><th>需补正的材料</th><th>原因</th><th>提交情况</th></tr></thead>
        <tbody>
          {asked.items.map((i, n) => (
            <tr key={n}>
              <td>{i.name}</td><td>{i.reason ?? '—'}</td>
              <td>{provided.includes(i.name) ? <span class="tag ok">已提交</span> : <span class="tag warn">待提交</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
