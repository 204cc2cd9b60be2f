import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoConsole } from './support/demo-console';

const env = demoConsole();

interface Complaint { id: string; subject: string; state: string; replyDueAt: string; overdue: boolean; escalationLevel: number }

async function complaints(): Promise<Complaint[]> {
  const res = await fetch(`${env.demo.urls.gaoxin}/api/v1/complaints`, { headers: { authorization: `Bearer ${env.demo.tokens.GAOXIN_INTAKE_TOKEN}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { complaints: Complaint[] }).complaints;
}
const errorAt = (page: Page, field: string) => page.locator(`[data-field="${field}"] .error`);
/** As the console writes dates: China time, whatever this machine's zone. */
const chinaTime = (iso: string) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
const SUBJECT = '窗口等候时间过长';

describe('the window console: complaints (统一受理、分类处理、限时回复)', () => {
  let id = '';

  it('a complaint by 热线电话 is registered only once the form is valid, and listed with its reply date', async () => {
    const page = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!);
    await page.goto('/console/#/complaints');
    await page.getByText('没有符合条件的投诉。').waitFor();
    await page.getByRole('link', { name: '登记投诉' }).click();
    await page.getByRole('heading', { name: '登记投诉' }).waitFor();

    // Content left out: said at its field, focus there, and nothing reaches the gateway.
    await page.getByLabel('受理渠道').selectOption({ label: '热线电话' });
    await page.getByLabel('投诉分类').selectOption({ label: '办事效率' });
    await page.getByLabel('投诉事由').fill(SUBJECT);
    await page.getByLabel('联系电话').fill('138-0000');
    await page.getByRole('button', { name: '登记投诉' }).click();
    await expect(errorAt(page, 'content').textContent()).resolves.toBe('投诉内容为必填项');
    await page.waitForFunction(() => document.activeElement?.id === 'f-content', null, { timeout: 3000 });
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('投诉尚未登记');
    await env.ui.shot(page, 'complaints-01-content-missing');
    expect(await complaints()).toEqual([]);

    await page.getByLabel('投诉内容').fill('上午在公积金窗口排队两个小时，\n无人引导。');
    await page.getByLabel('投诉人姓名').fill('赵六');
    await page.getByLabel('联系电话').fill('13800005678');
    await page.getByLabel('投诉事由').press('Enter');
    await page.waitForFunction(() => /^#\/complaints\/cp_/.test(location.hash));
    id = await page.evaluate(() => location.hash.split('/')[2]!);
    const saved = await complaints();
    expect(saved.map((c) => [c.id, c.subject, c.state])).toEqual([[id, SUBJECT, 'open']]);
    await page.getByTestId('complaint-content').waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('138****5678');
    await expect(page.locator('main').textContent()).resolves.not.toContain('13800005678');
    await env.ui.shot(page, 'complaints-02-registered');

    // The home page's link: open ones, the filter shown in the form, the reply date in the row.
    await page.goto('/console/#/complaints?state=open');
    const row = page.getByRole('row', { name: new RegExp(SUBJECT) });
    await row.waitFor();
    await expect(page.getByLabel('状态').inputValue()).resolves.toBe('open');
    await expect(row.getByTestId('reply-due').textContent()).resolves.toBe(chinaTime(saved[0]!.replyDueAt));
    await expect(row.textContent()).resolves.toMatch(/热线电话.*办事效率.*赵六.*待回复/);
    await env.ui.shot(page, 'complaints-03-listed');

    // Filters go into the hash; another channel lists nothing.
    await page.getByLabel('渠道').selectOption({ label: '邮箱' });
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForFunction(() => location.hash === '#/complaints?state=open&channel=mail');
    await page.getByText('没有符合条件的投诉。').waitFor();
    await page.close();
  }, 90_000);

  it('an overdue, escalated complaint stands out in the list', async () => {
    const page = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!);
    // A fresh complaint is due in five working days: the gateway's answer is marked as the upkeep would mark it.
    await page.route('**/api/v1/complaints?*', async (route) => {
      const res = await route.fetch();
      const page = (await res.json()) as { complaints: Complaint[] };
      await route.fulfill({ response: res, json: { ...page, complaints: page.complaints.map((c) => ({ ...c, overdue: true, escalationLevel: 2 })) } });
    });
    await page.goto('/console/#/complaints');
    const row = page.getByRole('row', { name: new RegExp(SUBJECT) });
    await row.waitFor();
    await expect(row.getAttribute('class')).resolves.toBe('overdue');
    await expect(row.textContent()).resolves.toMatch(/超期.*已升级 2 级/);
    await env.ui.shot(page, 'complaints-04-overdue-escalated');
    await page.unroute('**/api/v1/complaints?*');

    // The real filter: nothing is past its reply date yet.
    await page.getByLabel('仅看超期未回复').check();
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForFunction(() => location.hash === '#/complaints?overdue=true');
    await page.getByText('没有符合条件的投诉。').waitFor();
    await page.reload();
    await expect(page.getByLabel('仅看超期未回复').isChecked()).resolves.toBe(true);
    await page.close();
  }, 60_000);

  it('the intake clerk replies (required) but cannot close; a supervisor closes; the history shows 受理, 回复, 办结', async () => {
    const page = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!);
    await page.goto(`/console/#/complaints/${id}`);
    await page.getByRole('button', { name: '提交回复' }).click();
    await expect(errorAt(page, 'reply').textContent()).resolves.toBe('回复内容为必填项');
    await page.waitForFunction(() => document.activeElement?.id === 'f-reply', null, { timeout: 3000 });
    expect((await complaints())[0]!.state).toBe('open');
    await env.ui.shot(page, 'complaints-05-reply-missing');

    await page.getByLabel('回复内容').fill('已核实，已增派引导人员，并向您致歉。');
    await page.getByRole('button', { name: '提交回复' }).click();
    await page.getByTestId('complaint-reply').waitFor();
    await page.getByTestId('complaint-state').filter({ hasText: '已回复' }).waitFor();
    const close = page.getByRole('button', { name: '办结投诉' });
    await expect(close.isDisabled()).resolves.toBe(true);
    await expect(page.locator('#close-reason').textContent()).resolves.toBe('仅主管可以办结投诉');
    await env.ui.shot(page, 'complaints-06-replied-close-disabled');
    await page.close();

    const sup = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_SUPERVISOR_TOKEN!);
    await sup.goto(`/console/#/complaints/${id}`);
    await sup.getByRole('button', { name: '办结投诉' }).click();
    await sup.getByText('投诉已办结').waitFor();
    await sup.getByTestId('complaint-state').filter({ hasText: '已办结' }).waitFor();
    await expect(sup.getByRole('button', { name: '办结投诉' }).count()).resolves.toBe(0);
    const steps = await sup.getByRole('table', { name: '处理过程' }).locator('tbody tr td:nth-child(2)').allTextContents();
    expect(steps).toEqual(['受理', '回复', '办结']);
    expect((await complaints())[0]!.state).toBe('closed');
    await env.ui.shot(sup, 'complaints-07-closed-history');
    await sup.close();
    expect(env.ui.problems).toEqual([]);
  }, 90_000);
});
