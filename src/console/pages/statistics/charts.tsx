import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'preact/hooks';
import { label, MODES } from '../../lib/labels';
import { BASE_OPTIONS, ChartBox, COLORS } from './chart-box';
import type { Statistics } from './types';

const TOP_ITEMS = 10;
const SIDES: Record<string, string> = { intake: '我方收件', handling: '我方办理' };
const memberText = (name: (id: string | null) => string, m: Statistics['byMember'][number]) =>
  `${m.member ? name(m.member) : '尚未转办'}（${SIDES[m.role] ?? m.role}）`;

/** The four charts of the period, each with its table. Configs are made once per answer, so a chart is redrawn only for new figures. */
export function StatCharts(p: { stats: Statistics; memberName: (id: string | null) => string }) {
  const s = p.stats;
  // The names arrive after the figures: the member chart is redrawn once they do, not on every render.
  const names = s.byMember.map((m) => memberText(p.memberName, m));
  const namesKey = names.join('|');
  const items = useMemo(() => [...s.byItem].sort((a, b) => b.cases - a.cases || a.itemCode.localeCompare(b.itemCode)), [s]);
  const months = useMemo<ChartConfiguration>(() => ({
    type: 'bar',
    data: {
      labels: s.byMonth.map((m) => m.month),
      datasets: [
        { type: 'bar', label: '办件量', data: s.byMonth.map((m) => m.cases), backgroundColor: COLORS.cases, order: 2 },
        { type: 'line', label: '办结量', data: s.byMonth.map((m) => m.finished), borderColor: COLORS.finished, backgroundColor: COLORS.finished, order: 1 },
      ],
    },
    options: { ...BASE_OPTIONS, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  }), [s]);
  const byItem = useMemo<ChartConfiguration>(() => {
    const top = items.slice(0, TOP_ITEMS);
    return {
      type: 'bar',
      data: {
        labels: top.map((i) => i.itemName ?? i.itemCode),
        datasets: [
          { label: '办件量', data: top.map((i) => i.cases), backgroundColor: COLORS.cases },
          { label: '办结量', data: top.map((i) => i.finished), backgroundColor: COLORS.finished },
        ],
      },
      options: { ...BASE_OPTIONS, indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    };
  }, [items]);
  const modes = useMemo<ChartConfiguration>(() => {
    // All three modes, a zero where there were none, so the legend always names them.
    const rows = Object.keys(MODES).map((mode) => ({ mode, cases: s.byMode.find((m) => m.mode === mode)?.cases ?? 0 }));
    for (const m of s.byMode) if (!(m.mode in MODES)) rows.push(m);
    return {
      type: 'doughnut',
      data: { labels: rows.map((m) => label(MODES, m.mode)), datasets: [{ label: '办件量', data: rows.map((m) => m.cases), backgroundColor: COLORS.modes }] },
      options: { ...BASE_OPTIONS },
    };
  }, [s]);
  const members = useMemo<ChartConfiguration>(() => ({
    type: 'bar',
    data: { labels: names, datasets: [{ label: '办件量', data: s.byMember.map((m) => m.cases), backgroundColor: COLORS.cases }] },
    options: { ...BASE_OPTIONS, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  }), [s, namesKey]);

  return (
    <div class="stat-charts">
      <ChartBox id="chart-month" title="按月办件量与办结量" config={months}>
        <table aria-label="按月数据">
          <thead><tr><th>月份</th><th>办件量</th><th>办结量</th><th>评价数</th><th>好评数</th></tr></thead>
          <tbody>{s.byMonth.map((m) => <tr key={m.month}><td>{m.month}</td><td>{m.cases}</td><td>{m.finished}</td><td>{m.evaluations}</td><td>{m.good}</td></tr>)}</tbody>
        </table>
      </ChartBox>
      <ChartBox id="chart-item" title={`按事项（办件量前 ${TOP_ITEMS} 项）`} config={byItem} tall>
        <table aria-label="按事项数据">
          <thead><tr><th>事项</th><th>事项编码</th><th>办件量</th><th>办结量</th><th>超期</th></tr></thead>
          <tbody>{items.map((i) => <tr key={i.itemCode}><td>{i.itemName ?? '—'}</td><td class="nowrap">{i.itemCode}</td><td>{i.cases}</td><td>{i.finished}</td><td>{i.overdue}</td></tr>)}</tbody>
        </table>
      </ChartBox>
      <ChartBox id="chart-mode" title="按办理方式" config={modes}>
        <table aria-label="按办理方式数据">
          <thead><tr><th>办理方式</th><th>办件量</th></tr></thead>
          <tbody>{Object.keys(MODES).map((mode) => <tr key={mode}><td>{label(MODES, mode)}</td><td>{s.byMode.find((m) => m.mode === mode)?.cases ?? 0}</td></tr>)}</tbody>
        </table>
      </ChartBox>
      <ChartBox id="chart-member" title="按成员单位" config={members}>
        <table aria-label="按成员数据">
          <thead><tr><th>对方单位</th><th>本单位角色</th><th>办件量</th></tr></thead>
          <tbody>{s.byMember.map((m) => <tr key={`${m.member}-${m.role}`}><td>{m.member ? p.memberName(m.member) : '尚未转办'}</td><td>{SIDES[m.role] ?? m.role}</td><td>{m.cases}</td></tr>)}</tbody>
        </table>
      </ChartBox>
    </div>
  );
}
