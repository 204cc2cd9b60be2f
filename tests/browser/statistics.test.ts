import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoAcceptedCase, demoConsole } from './support/demo-console';
import { until } from '../support/receiver-proxy';
import { clerkCall } from './support/clerk-call';

const env = demoConsole();


interface Stats {
  from: string; to: string;
  totals: { cases: number; finished: number; overdue: number; avgHandlingDays: number | null; goodRate: number | null; activeRate: number | null };
  byMonth: { month: string; cases: number; finished: number }[];
  byItem: { itemCode: string; cases: number; finished: number }[];
  byMode: { mode: string; cases: number }[];
  byMember: { member: string | null; cases: number }[];
  definitions: Record<'cases' | 'finished' | 'goodRate' | 'activeRate' | 'avgHandlingDays' | 'overdue', string>;
}

const CHARTS = ['chart-month', 'chart-item', 'chart-mode', 'chart-member'];

/** The canvas has a size and something drawn on it: a sample of its pixels is not all transparent. */
async function drawn(page: Page, id: string): Promise<{ width: number; painted: number }> {
  return page.evaluate((canvasId) => {
    const c = document.getElementById(canvasId) as HTMLCanvasElement | null;
    if (!c || !c.width || !c.height) return { width: 0, painted: 0 };
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < px.length; i += 4 * 16) if (px[i]! > 0) painted++;
    return { width: c.width, painted };
  }, id);
}

describe('the window console: statistics', () => {
  it('a decided and evaluated case is counted; totals equal the API, with their definitions; charts are drawn with their tables; the CSV downloads', async () => {
    // A gaoxin case for a xihaike item, transferred; xihaike accepts and decides it; the applicant evaluates it.
    const gxToken = env.demo.tokens.GAOXIN_INTAKE_TOKEN!;
    const xhToken = env.demo.tokens.XIHAIKE_HANDLING_TOKEN!;
    const gx = <T>(path: string, body?: unknown) => clerkCall<T>(env.demo.urls.gaoxin, gxToken, path, body);
    const xh = <T>(path: string, body?: unknown) => clerkCall<T>(env.demo.urls.xihaike, xhToken, path, body);
    const { ref, xref } = await demoAcceptedCase(env.demo, { name: '王五', idNumber: '11010519491231002X' });
    await xh(`/api/v1/cases/${xref}/events`, { type: 'decided', data: { outcome: 'approved' } });
    await until('gaoxin sees it decided', async () => (await gx<{ state: string }>(`/api/v1/cases/${ref}`)).state === 'decided', 30_000);
    await gx(`/api/v1/cases/${ref}/evaluations`, { stage: 'finished', score: 5, channel: 'window' });

    const stats = await gx<Stats>('/api/v1/statistics');
    expect(stats.totals).toMatchObject({ cases: 1, finished: 1, goodRate: 1, activeRate: 1 });

    const page = await env.ui.signIn(env.demo.urls.gaoxin, gxToken);
    await page.goto('/console/#/statistics');
    await page.getByTestId('total-cases').waitFor();
    // The API's default period, shown in the form.
    await expect(page.getByLabel('起始日期').inputValue()).resolves.toBe(stats.from);
    await expect(page.getByLabel('截止日期').inputValue()).resolves.toBe(stats.to);
    const t = stats.totals;
    const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);
    const expected: Record<string, string> = {
      cases: String(t.cases), finished: String(t.finished), overdue: String(t.overdue),
      avgHandlingDays: t.avgHandlingDays === null ? '—' : `${t.avgHandlingDays.toFixed(2)} 天`, goodRate: pct(t.goodRate), activeRate: pct(t.activeRate),
    };
    for (const [key, text] of Object.entries(expected)) await expect(page.getByTestId(`total-${key}`).textContent(), key).resolves.toBe(text);
    for (const [key, text] of Object.entries(stats.definitions)) await expect(page.getByTestId(`definition-${key}`).textContent(), key).resolves.toBe(text);

    for (const id of CHARTS) {
      await until(`${id} is drawn`, async () => (await drawn(page, id)).painted > 0, 15_000, 200);
      expect((await drawn(page, id)).width).toBeGreaterThan(0);
    }
    await page.locator('#chart-member').scrollIntoViewIfNeeded();
    await env.ui.shot(page, 'statistics-01-charts');

    // The numbers behind each chart, in its table.
    for (const d of await page.locator('details').all()) await d.locator('summary').click();
    const month = stats.byMonth.find((m) => m.cases > 0)!;
    await expect(page.getByRole('table', { name: '按月数据' }).getByRole('row', { name: new RegExp(month.month) }).textContent()).resolves.toBe(`${month.month}${month.cases}${month.finished}11`);
    expect(await page.getByRole('table', { name: '按月数据' }).locator('tbody tr').count()).toBe(stats.byMonth.length);
    await expect(page.getByRole('table', { name: '按事项数据' }).getByRole('row', { name: /KS-GJJ-006/ }).textContent()).resolves.toMatch(/出具贷款职工住房公积金缴存使用证明KS-GJJ-006110/);
    await expect(page.getByRole('table', { name: '按办理方式数据' }).getByRole('row', { name: /异地代收代办/ }).textContent()).resolves.toBe('异地代收代办1');
    await expect(page.getByRole('table', { name: '按成员数据' }).locator('tbody').textContent()).resolves.toMatch(/西海岸.*我方收件1/);
    await page.getByRole('table', { name: '按月数据' }).scrollIntoViewIfNeeded();
    await env.ui.shot(page, 'statistics-02-data-tables');

    // CSV of the same period: a BOM for Excel, Chinese headers.
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
    expect(file.suggestedFilename()).toBe(`statistics-${stats.from}-${stats.to}.csv`);
    const csv = readFileSync((await file.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.subarray(3).toString('utf8')).toMatch(/^统计期/);

    // Another period: the form keeps it in the hash, the charts are drawn again for it; a wrong range is said at the field.
    await page.getByLabel('截止日期').fill(stats.from);
    await page.getByLabel('起始日期').fill(stats.to);
    await page.getByRole('button', { name: '统计' }).click();
    await expect(page.locator('[data-field="to"] .error').textContent()).resolves.toBe('截止日期不能早于起始日期');
    const lastYear = `${Number(stats.from.slice(0, 4)) - 1}`;
    await page.getByLabel('起始日期').fill(`${lastYear}-01-01`);
    await page.getByLabel('截止日期').fill(`${lastYear}-01-31`);
    await page.getByRole('button', { name: '统计' }).click();
    await page.waitForFunction((y) => location.hash === `#/statistics?from=${y}-01-01&to=${y}-01-31`, lastYear);
    await until('the totals follow the period', async () => (await page.getByTestId('total-cases').textContent()) === '0');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(`${lastYear}-01-01 至 ${lastYear}-01-31`);
    for (const id of CHARTS) await until(`${id} is drawn again`, async () => (await drawn(page, id)).painted > 0, 15_000, 200);
    await env.ui.shot(page, 'statistics-03-other-period');
    await page.close();
    // No script error and no CSP violation on the page (Chart.js styles its canvas through the CSSOM).
    expect(env.ui.problems).toEqual([]);
  }, 150_000);
});
