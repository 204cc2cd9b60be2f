import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../../support/process';

/** Debian's chromium (`apt-get install chromium`); CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'browser');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
/** Camera and microphone from Chromium's built-in test pattern and tone, permission prompts answered yes. */
const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--auto-select-desktop-capture-source=Entire screen'];

export interface Console {
  browser: Browser;
  /** A counter screen (1366x768) signed in as the clerk of `token` at `baseUrl`'s console. */
  signIn(baseUrl: string, token: string): Promise<Page>;
  /** A PNG of the page, kept in test-artifacts/browser/<name>.png. */
  shot(page: Page, name: string): Promise<string>;
  /** Every console error and failed request the pages saw (a test asserts none where it matters). */
  problems: string[];
  close(): Promise<void>;
}

export async function openConsole(o: { fakeMedia?: boolean } = {}): Promise<Console> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...FLAGS, ...(o.fakeMedia ? FAKE_MEDIA : [])] });
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  return {
    browser, problems,
    async signIn(baseUrl, token) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', baseURL: baseUrl });
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      await page.goto('/console/');
      await page.getByLabel('工作令牌').fill(token);
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByTestId('who').waitFor();
      return page;
    },
    async shot(page, name) {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close().catch(() => {})));
      await browser.close();
    },
  };
}
