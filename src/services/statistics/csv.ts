import type { Statistics } from './get-statistics';

/** A field as RFC 4180 wants it: quoted when it holds a comma, a quote or a line break, quotes doubled. */
export const csvField = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

const line = (fields: readonly (string | number | null)[]): string => fields.map(csvField).join(',');
const percent = (r: number | null): string | null => (r === null ? null : `${(r * 100).toFixed(2)}%`);

const ROLE = { intake: '收件方（本成员收件，对方办理）', handling: '办理方（对方收件，本成员办理）' } as const;
const MODE: Record<string, string> = { online: '全程网办', proxy_intake: '异地代收代办', joint: '多地联办' };

/**
 * The statistics as one CSV for Excel: a UTF-8 BOM (or Excel reads the Chinese as GBK), CRLF lines,
 * one titled section per table separated by a blank line, and the definitions last.
 */
export function statisticsCsv(s: Statistics): string {
  const t = s.totals;
  const sections: (string | number | null)[][][] = [
    [['统计期', s.from, s.to]],
    [['总计'], ['案件数', '办结数', '超期数', '平均办理天数', '评价数', '好评数', '差评数', '好评率', '主动评价率'],
      [t.cases, t.finished, t.overdue, t.avgHandlingDays, t.evaluations, t.good, t.bad, percent(t.goodRate), percent(t.activeRate)]],
    [['按事项'], ['事项编码', '事项名称', '案件数', '办结数', '超期数'], ...s.byItem.map((i) => [i.itemCode, i.itemName, i.cases, i.finished, i.overdue])],
    [['按成员'], ['对方成员', '本成员角色', '案件数'], ...s.byMember.map((m) => [m.member ?? '（未转办）', ROLE[m.role], m.cases])],
    [['按办理方式'], ['办理方式', '案件数'], ...s.byMode.map((m) => [MODE[m.mode] ?? m.mode, m.cases])],
    [['按月'], ['月份', '案件数', '办结数', '评价数', '好评数'], ...s.byMonth.map((m) => [m.month, m.cases, m.finished, m.evaluations, m.good])],
    [['口径说明'], ['指标', '定义'], ['办件量', s.definitions.cases], ['办结量', s.definitions.finished], ['好评率', s.definitions.goodRate], ['主动评价率', s.definitions.activeRate],
      ['平均办理天数', s.definitions.avgHandlingDays], ['超期数', s.definitions.overdue]],
  ];
  return `\uFEFF${sections.map((rows) => rows.map(line).join('\r\n')).join('\r\n\r\n')}\r\n`;
}
