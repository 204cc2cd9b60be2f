import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoAcceptedCase, demoConsole } from './support/demo-console';
import { clerkCall } from './support/clerk-call';

const env = demoConsole();

interface FollowUp { state: string; callbackDueAt: string; remedyDueAt: string; callbackNote: string | null; remedyNote: string | null; closedBy: string | null }
interface Evaluation { id: string; stage: string; score: number; comment: string | null; followUp: FollowUp | null }

const gx = <T>(path: string, body?: unknown) => clerkCall<T>(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!, path, body);
const errorAt = (page: Page, field: string) => page.locator(`[data-field="${field}"] .error`);

/** A due time as the console writes it: China time, the end of a day as 24:00 of that day. */
function due(iso: string): string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = (d: Date) => Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  const at = p(new Date(iso));
  if (at.hour === '00' && at.minute === '00') {
    const before = p(new Date(Date.parse(iso) - 60_000));
    return `${before.year}/${before.month}/${before.day} 24:00`;
  }
  return `${at.year}/${at.month}/${at.day} ${at.hour}:${at.minute}`;
}

/** gaoxin's case for 李四, transferred to xihaike and accepted there. */
const acceptedCase = () => demoAcceptedCase(env.demo, { name: '李四', idNumber: '370211199001011234' });

describe('the window console: 好差评 and a 差评\'s follow-up', () => {
  let ref = '';
  let caseId = '';

  it('a 差评 is recorded in the case page\'s panel, with the keyboard; its follow-up and clocks show at once', async () => {
    ({ ref, caseId } = await acceptedCase());
    const page = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!);
    await page.goto(`/console/#/cases/${ref}`);
    const panel = page.getByRole('region', { name: '好差评' });
    await panel.getByText('申请人尚未评价。').waitFor();
    // Accepted, not decided: only 受理 can be evaluated.
    await expect(panel.getByLabel('评价环节').locator('option').allTextContents()).resolves.toEqual(['受理']);

    // No level chosen: said at the radio group, focus there, nothing saved.
    await panel.getByRole('button', { name: '提交评价' }).click();
    await expect(errorAt(page, 'score').textContent()).resolves.toBe('请选择满意程度');
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'score', null, { timeout: 3000 });
    expect(await gx<Evaluation[]>(`/api/v1/cases/${ref}/evaluations`)).toEqual([]);
    await env.ui.shot(page, 'evaluations-01-level-missing');

    // The five levels are one radio group: the arrow keys walk 5 -> 2.
    await panel.getByRole('radio', { name: '5 非常满意' }).focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await expect(panel.getByRole('radio', { name: '2 不满意' }).isChecked()).resolves.toBe(true);
    await panel.getByLabel('评价渠道').selectOption({ label: '平板评价器' });
    await panel.getByLabel('评价内容').fill('等候时间太长，窗口人员解释不清。');
    await panel.getByRole('button', { name: '提交评价' }).click();
    await panel.getByText(/已记录受理评价：不满意。这是差评/).waitFor();

    const [saved] = await gx<Evaluation[]>(`/api/v1/cases/${ref}/evaluations`);
    expect(saved).toMatchObject({ stage: 'accepted', score: 2, comment: '等候时间太长，窗口人员解释不清。', followUp: { state: 'open' } });
    const row = panel.getByRole('row', { name: /不满意/ });
    await expect(row.getByTestId('follow-up-state').textContent()).resolves.toBe('待回访');
    const text = await row.textContent();
    expect(text).toContain(`回访时限 ${due(saved!.followUp!.callbackDueAt)} 前`);
    expect(text).toContain(`整改时限 ${due(saved!.followUp!.remedyDueAt)} 前`);
    expect(text).toContain('平板评价器');
    // 受理 is done and 办结 not reached: no form now.
    await expect(panel.getByRole('button', { name: '提交评价' }).count()).resolves.toBe(0);
    await env.ui.shot(page, 'evaluations-02-recorded-in-case-panel');
    await page.close();
  }, 120_000);

  it('the list shows it with its due times; 回访 and 整改 need a note; the clerk cannot close it', async () => {
    const [saved] = await gx<Evaluation[]>(`/api/v1/cases/${ref}/evaluations`);
    const page = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!);
    await page.goto('/console/#/evaluations?followUp=open');
    await expect(page.getByLabel('差评处理').inputValue()).resolves.toBe('open');
    const row = page.getByTestId(`evaluation-${saved!.id}`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(caseId);
    await expect(row.locator('td').nth(7).textContent()).resolves.toBe(due(saved!.followUp!.callbackDueAt));
    await expect(row.locator('td').nth(8).textContent()).resolves.toBe(due(saved!.followUp!.remedyDueAt));
    await env.ui.shot(page, 'evaluations-03-list-open');

    await row.getByRole('button', { name: /处理/ }).click();
    await page.getByRole('button', { name: '回访' }).click();
    await expect(errorAt(page, 'note').textContent()).resolves.toBe('处理说明为必填项');
    await page.waitForFunction(() => document.activeElement?.id === 'f-note', null, { timeout: 3000 });
    expect((await gx<Evaluation[]>(`/api/v1/cases/${ref}/evaluations`))[0]!.followUp!.state).toBe('open');
    await env.ui.shot(page, 'evaluations-04-callback-note-missing');

    await page.getByLabel('处理说明').fill('已电话回访申请人，说明受理时限并致歉。');
    await page.getByRole('button', { name: '回访' }).click();
    await page.getByText(/^已回访：/).waitFor();
    await expect(row.getByTestId('follow-up-state').textContent()).resolves.toBe('已回访，待整改');
    await page.getByRole('button', { name: '整改' }).click();
    await expect(errorAt(page, 'note').textContent()).resolves.toBe('处理说明为必填项');
    await page.getByLabel('处理说明').fill('增设导办人员，一次性告知单上墙。');
    await page.getByRole('button', { name: '整改' }).click();
    await page.getByText(/^已整改：/).waitFor();
    await expect(row.getByTestId('follow-up-state').textContent()).resolves.toBe('已整改，待办结');

    // Only a supervisor closes: the button is there, disabled, and says why.
    const close = page.getByRole('button', { name: '办结' });
    await expect(close.isDisabled()).resolves.toBe(true);
    await expect(page.locator('#close-barred').textContent()).resolves.toContain('须由主管');
    const steps = await page.getByRole('list', { name: '差评处理步骤' }).textContent();
    expect(steps).toContain('已电话回访申请人');
    expect(steps).toContain('增设导办人员');
    expect((await gx<Evaluation[]>(`/api/v1/cases/${ref}/evaluations`))[0]!.followUp).toMatchObject({ state: 'remedied' });
    await env.ui.shot(page, 'evaluations-05-remedied-close-barred');
    await page.close();
  }, 90_000);

  it('the supervisor closes it; it leaves the open list and is listed as closed', async () => {
    const page = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_SUPERVISOR_TOKEN!);
    await page.goto('/console/#/evaluations?followUp=open');
    const row = page.getByRole('row', { name: new RegExp(caseId) });
    await row.getByRole('button', { name: /处理/ }).click();
    await page.getByRole('button', { name: '办结' }).click();
    await page.getByText(/^已办结：/).waitFor();
    await page.getByText('没有符合条件的评价。').waitFor();
    expect((await gx<Evaluation[]>(`/api/v1/cases/${ref}/evaluations`))[0]!.followUp).toMatchObject({ state: 'closed', closedBy: expect.any(String) });
    await env.ui.shot(page, 'evaluations-06-closed-by-supervisor');

    // The filters are read from the hash and written back to it.
    await page.getByLabel('差评处理').selectOption({ label: '已办结' });
    await page.getByLabel('只看差评').check();
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForFunction(() => location.hash === '#/evaluations?bad=true&followUp=closed');
    await expect(page.getByRole('row', { name: new RegExp(caseId) }).getByTestId('follow-up-state').textContent()).resolves.toBe('已办结');
    await env.ui.shot(page, 'evaluations-07-closed-list');
    await page.close();
    expect(env.ui.problems).toEqual([]);
  }, 60_000);
});
