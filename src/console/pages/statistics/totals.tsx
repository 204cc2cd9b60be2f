import type { Statistics } from './types';
import { daysText, rateText } from './types';

/** 总计: each figure with its definition under it, so the number is never read without what it counts. */
export function Totals(p: { stats: Statistics }) {
  const t = p.stats.totals;
  const d = p.stats.definitions;
  const figures: [string, string, string, string][] = [
    ['cases', '办件量', String(t.cases), d.cases],
    ['finished', '办结量', String(t.finished), d.finished],
    ['overdue', '超期', String(t.overdue), d.overdue],
    ['avgHandlingDays', '平均办理天数', daysText(t.avgHandlingDays), d.avgHandlingDays],
    ['goodRate', '好评率', rateText(t.goodRate), d.goodRate],
    ['activeRate', '主动评价率', rateText(t.activeRate), d.activeRate],
  ];
  return (
    <section aria-labelledby="totals-title">
      <h2 id="totals-title">总计</h2>
      <dl class="stat-totals">
        {figures.map(([key, name, value, definition]) => (
          <div key={key} class="stat-total">
            <dt>{name}</dt>
            <dd class="stat-value" data-testid={`total-${key}`}>{value}</dd>
            <dd class="stat-definition" data-testid={`definition-${key}`}>{definition}</dd>
          </div>
        ))}
      </dl>
      <p class="muted">评价 {t.evaluations} 次，其中好评 {t.good} 次、差评 {t.bad} 次。</p>
    </section>
  );
}
