import { describe, expect, it } from 'vitest';
import { demoConsole } from './support/demo-console';

const env = demoConsole();

describe('the window console: signing in', () => {
  it('a clerk signs in with a token and sees their member, window and role on every screen', async () => {
    const page = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!);
    const who = page.getByTestId('who');
    await expect(who.textContent()).resolves.toContain('跨域通办专窗');
    await expect(who.textContent()).resolves.toContain('收件窗口');
    await page.keyboard.press('Alt+4');
    await page.waitForFunction(() => location.hash === '#/cases');
    await expect(who.textContent()).resolves.toContain('收件窗口');
    await env.ui.shot(page, 'shell-signed-in');
  });

  it('a token that is not a clerk token is refused at the field, in Chinese, and nothing is kept', async () => {
    const context = await env.ui.browser.newContext({ baseURL: env.demo.urls.gaoxin });
    const page = await context.newPage();
    await page.goto('/console/');
    await page.getByLabel('工作令牌').fill('not-a-token');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.locator('[data-field="token"] .error').textContent()).resolves.toContain('格式不正确');
    await page.getByLabel('工作令牌').fill(`hsk_${'A'.repeat(43)}`);
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.locator('[data-field="token"] .error').textContent()).resolves.toContain('无效或已被吊销');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await context.close();
  });

  it('the console is served with a strict content security policy', async () => {
    const res = await fetch(`${env.demo.urls.gaoxin}/console/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${env.demo.urls.gaoxin}/console/assets/../../package.json`)).status).toBe(404);
  });
});
