import type { Statistics } from './types';
import { daysText, rateText } from './types';

/**
 * The two counts the API defines in its docs but not in `definitions` (contracts.md gives four); written
 * from docs/complaints-and-statistics.md "What is counted".
 */
const CASES_DEFINITION = '统计期内本单位新建的办件（窗口收件或接收转办），多地联办按各办理环节分别计数。';
const FINISHED_DEFINITION = '统计期内首次作出办结决定（准予或不予）的办件；不予受理、退件、撤回不计为办结。';

/** 总计: each figure with its definition under it, so the number is never read without what it counts. */
export function Totals(p: { stats: Statistics }) {
  const t = p.stats.totals;
  const d = p.stats.definitions;
  const figures: [string, string, string, string][] = [
    ['cases', '办件量', String(t.cases), CASES_DEFINITION],
    ['finished', '办结量', String(t.finished), FINISHED_DEFINITION],
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
