import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoConsole } from './support/demo-console';
import { until } from '../support/receiver-proxy';

const env = demoConsole();

/** The demo's item that gaoxin takes in and xihaike handles (its partner file maps it to its back office). */
const ITEM = { code: 'KS-GJJ-006', name: '出具贷款职工住房公积金缴存使用证明' };
const XIHAIKE = '青岛西海岸新区政务服务中心（开发）';
const PDF = (text: string) => ({ name: `${text}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`) });

async function clerkApi<T>(base: string, token: string, path: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}
const gaoxinCases = () => clerkApi<{ ref: string; state: string }[]>(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!, '/api/v1/cases?limit=500');
const errorAt = (page: Page, field: string) => page.locator(`[data-field="${field}"] .error`);

/**
 * Clicks 刷新 until the case page shows `state` (the other member's events arrive through its outbox), then
 * waits for the page's other parts (timeline, parcels), which load apart from the case, to have arrived.
 */
async function waitForState(page: Page, state: string): Promise<void> {
  await until(`the case page shows ${state}`, async () => {
    if ((await page.getByTestId('case-state').textContent()) === state) return true;
    await page.getByRole('button', { name: '刷新' }).click();
    await page.waitForTimeout(300);
    return (await page.getByTestId('case-state').textContent()) === state;
  }, 30_000, 500);
  await page.locator('[data-testid="case-page"][aria-busy="true"]').waitFor({ state: 'detached' });
}

describe('the window console: catalog and cases', () => {
  let ref = '';
  let caseId = '';

  it('the catalog is searched by typing, filtered by department and reached from the keyboard', async () => {
    const page = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!);
    // Alt+2 from the menu (the shortcut is live once the shell has mounted).
    await until('Alt+2 opens the catalog', async () => {
      await page.keyboard.press('Alt+2');
      return page.evaluate(() => location.hash === '#/catalog');
    }, 5000, 200);
    await page.getByLabel('主管部门').selectOption('住房和城乡建设部');
    await page.getByLabel('搜索事项').fill('缴存使用');
    await page.getByText('共 1 个事项').waitFor();
    const row = page.getByRole('row', { name: new RegExp(ITEM.code) });
    await expect(row.textContent()).resolves.toContain(XIHAIKE);
    await expect(row.textContent()).resolves.toContain('1 个工作日 / 即办');
    // The search is kept in the hash (a link brings it back) without the department filter's arrows being taken.
    expect(await page.evaluate(() => decodeURIComponent(location.hash))).toBe('#/catalog?q=缴存使用&department=住房和城乡建设部');
    await env.ui.shot(page, 'cases-01-catalog-search');

    // ↓ from the search field to the first result, Enter opens it.
    await page.getByLabel('搜索事项').press('ArrowDown');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(ITEM.name);
    await page.keyboard.press('Enter');
    await page.waitForFunction((code) => location.hash === `#/catalog/${code}`, ITEM.code);
    await page.getByRole('heading', { name: new RegExp(ITEM.name) }).waitFor();
    await expect(page.getByRole('row', { name: /缴存使用证明申请表/ }).textContent()).resolves.toContain('必需');
    await expect(page.getByRole('row', { name: /授权委托书/ }).textContent()).resolves.toContain('委托他人代办时');
    await expect(page.getByRole('row', { name: new RegExp(XIHAIKE) }).textContent()).resolves.toContain('异地代收代办');
    await env.ui.shot(page, 'cases-02-item-detail');
    await page.close();
  }, 90_000);

  it('a gaoxin intake clerk takes a case in for a xihaike item: a bad form creates nothing; materials complete the checklist; the transfer is received', async () => {
    const page = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!);
    await page.goto(`/console/#/catalog/${ITEM.code}`);
    await page.getByRole('link', { name: '以此事项新建办件' }).click();
    await page.waitForFunction((code) => location.hash === `#/cases/new?item=${code}`, ITEM.code);
    await page.getByText(ITEM.name).waitFor();
    const before = (await gaoxinCases()).length;

    // A wrong check digit and no consent: said at those fields, focus on the first, and no case is made.
    await page.getByLabel('办理方式').selectOption({ label: '异地代收代办' });
    await page.getByLabel('申请人姓名').fill('李四');
    await page.getByLabel('证件号码').fill('370211199001011234');
    await page.getByLabel('联系电话').fill('13800000000');
    await page.getByLabel('核验结果').selectOption({ label: '核验未通过' });
    await expect(errorAt(page, 'identityCheck.result').textContent()).resolves.toContain('身份核验未通过');
    await page.getByLabel('核验结果').selectOption({ label: '核验通过' });
    await page.getByRole('button', { name: /创建办件/ }).click();
    await expect(errorAt(page, 'applicant.idNumber').textContent()).resolves.toContain('校验位不正确');
    await expect(errorAt(page, 'consent.dataSharing').textContent()).resolves.toContain('须经申请人同意');
    await page.waitForFunction(() => document.activeElement?.id === 'f-applicant.idNumber', null, { timeout: 3000 });
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('办件尚未创建');
    await env.ui.shot(page, 'cases-03-new-case-errors');
    expect((await gaoxinCases()).length).toBe(before);

    await page.getByLabel('证件号码').fill('11010519491231002x');
    await page.getByLabel('申请人同意跨地区共享办件数据').check();
    await page.getByLabel('证件号码').press('Enter');
    await page.waitForFunction(() => location.hash.startsWith('#/cases/new?case=cs_'));
    ref = await page.evaluate(() => new URLSearchParams(location.hash.split('?')[1]).get('case')!);
    expect((await gaoxinCases()).length).toBe(before + 1);
    const completeness = page.getByTestId('completeness');
    await expect(completeness.textContent()).resolves.toBe('尚缺 2 项必需材料');
    await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/^一次性告知：.*居民身份证；2\. 缴存使用证明申请表/);
    caseId = (await page.locator('.case-head strong').textContent())!;

    // Refused at the field before anything is sent: another media type, and over 10 MiB.
    const idCard = page.getByLabel('上传居民身份证', { exact: true });
    await idCard.setInputFiles({ name: 'id.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
    await expect(errorAt(page, 'material-id-card').textContent()).resolves.toContain('不支持的文件类型');
    await idCard.setInputFiles({ name: 'id.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 0x25) });
    await expect(errorAt(page, 'material-id-card').textContent()).resolves.toContain('文件过大');
    expect((await clerkApi<{ materials: unknown[] }>(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!, `/api/v1/cases/${ref}`)).materials).toHaveLength(0);
    await env.ui.shot(page, 'cases-04-material-refused');

    await idCard.setInputFiles(PDF('id-card'));
    await until('the checklist counts the ID card', async () => (await completeness.textContent()) === '尚缺 1 项必需材料');
    await expect(page.locator('tr[data-material="id-card"]').textContent()).resolves.toContain('已提交');
    await expect(page.getByRole('button', { name: '确认转办' }).isDisabled()).resolves.toBe(true);
    await page.getByLabel('上传缴存使用证明申请表', { exact: true }).setInputFiles(PDF('application'));
    await until('the checklist is complete', async () => (await completeness.textContent()) === '材料已齐全，可以转办');
    await expect(page.getByTestId('notice').textContent()).resolves.not.toContain('居民身份证；');
    await expect(page.getByText(`办理单位：${XIHAIKE}`).isVisible()).resolves.toBe(true);
    await env.ui.shot(page, 'cases-05-materials-complete');

    await page.getByRole('button', { name: '确认转办' }).click();
    await page.waitForFunction((r) => location.hash === `#/cases/${r}`, ref);
    await waitForState(page, '已签收');
    await expect(page.getByRole('table', { name: '办理过程' }).textContent()).resolves.toContain('办理地签收');
    // The receipt's materialsDigest, checked in the browser against the materials that were sent.
    await expect(page.getByTestId('digest-check').textContent()).resolves.toBe('与所转材料一致');
    await env.ui.shot(page, 'cases-06-transferred');
    await page.close();
  }, 90_000);

  it('xihaike\'s handling clerk accepts and decides it in its console; gaoxin\'s case page shows 已办结 with the timeline', async () => {
    const xhk = await env.ui.signIn(env.demo.urls.xihaike, env.demo.tokens.XIHAIKE_HANDLING_TOKEN!);
    await xhk.goto('/console/#/cases');
    await xhk.getByLabel('关键词').fill(caseId);
    await xhk.getByLabel('关键词').press('Enter');
    const row = xhk.getByRole('row', { name: new RegExp(caseId) });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/办理.*高新区/);
    await row.getByRole('link').click();
    await xhk.getByTestId('case-state').waitFor();
    await expect(xhk.getByTestId('case-state').textContent()).resolves.toBe('已签收');
    await expect(xhk.getByRole('button', { name: '撤回' }).count()).resolves.toBe(0);

    await xhk.getByRole('button', { name: '受理', exact: true }).click();
    await xhk.getByLabel('受理意见').fill('材料齐全，予以受理');
    await env.ui.shot(xhk, 'cases-07-handling-accept');
    await xhk.getByRole('button', { name: '确认受理' }).click();
    await xhk.getByText('已受理', { exact: true }).first().waitFor();
    await waitForState(xhk, '已受理');

    // 办结 needs its outcome: said at the field first.
    await xhk.getByRole('button', { name: '办结', exact: true }).click();
    await xhk.getByRole('button', { name: '确认办结' }).click();
    await expect(errorAt(xhk, 'data.outcome').textContent()).resolves.toContain('办理结果为必填项');
    await xhk.getByLabel('办理结果').selectOption({ label: '准予' });
    await xhk.getByLabel('决定文书编号').fill('西政证〔2026〕1号');
    await xhk.getByRole('button', { name: '确认办结' }).click();
    await waitForState(xhk, '已办结');
    await expect(xhk.getByRole('button', { name: '出证' }).isVisible()).resolves.toBe(true);
    await env.ui.shot(xhk, 'cases-08-handling-decided');
    await xhk.close();

    const gx = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!);
    await gx.goto(`/console/#/cases/${ref}`);
    await waitForState(gx, '已办结');
    const timeline = gx.getByRole('table', { name: '办理过程' });
    for (const step of ['窗口收件', '办理地签收', '受理', '办结']) await expect(timeline.textContent()).resolves.toContain(step);
    await expect(timeline.textContent()).resolves.toContain('结果：准予，文号 西政证〔2026〕1号');
    await expect(timeline.textContent()).resolves.toContain('材料齐全，予以受理');
    // Only the masked ID number is ever shown.
    await expect(gx.locator('main').textContent()).resolves.toContain('110105********002X');
    await expect(gx.locator('main').textContent()).resolves.not.toContain('11010519491231002X');
    await env.ui.shot(gx, 'cases-09-intake-decided');
    await gx.close();
  }, 90_000);

  it('the case list filters by state and overdue, kept in the hash; overdue rows are marked', async () => {
    const page = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!);
    await page.goto('/console/#/cases');
    await page.getByLabel('状态').selectOption({ label: '已办结' });
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForFunction(() => location.hash === '#/cases?state=decided');
    await page.getByRole('row', { name: new RegExp(caseId) }).waitFor();
    await expect(page.getByRole('row', { name: new RegExp(caseId) }).textContent()).resolves.toMatch(/收件.*西海岸.*已办结/);

    await page.getByLabel('状态').selectOption({ label: '已受理' });
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('没有符合条件的办件。').waitFor();

    // A link keeps the filters: opened afresh, the form shows them and the list follows them.
    await page.goto('/console/#/cases?overdue=true&state=decided');
    await page.reload();
    await page.getByText('没有符合条件的办件。').waitFor();
    await expect(page.getByLabel('仅看超期').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('状态').inputValue()).resolves.toBe('decided');
    await env.ui.shot(page, 'cases-10-list-overdue-filter');

    // No case of the demo is overdue yet (its clocks run in hours and days): the gateway's answer is
    // marked overdue, as it is for a case past its SLA, to see the row stand out.
    await page.route('**/api/v1/cases?*', async (route) => {
      const res = await route.fetch();
      const list = (await res.json()) as { ref: string; overdue: boolean }[];
      await route.fulfill({ response: res, json: list.map((c) => (c.ref === ref ? { ...c, overdue: true } : c)) });
    });
    await page.goto('/console/#/cases?state=decided');
    const row = page.getByRole('row', { name: new RegExp(caseId) });
    await row.waitFor();
    await expect(row.getAttribute('class')).resolves.toBe('overdue');
    await expect(row.textContent()).resolves.toContain('超期');
    await page.getByLabel('事项编码').fill('ks-gjj');
    await page.getByRole('button', { name: '查询' }).click();
    await expect(errorAt(page, 'item').textContent()).resolves.toContain('事项编码格式如');
    await env.ui.shot(page, 'cases-11-list-overdue-row');
    await page.close();
  }, 90_000);

  it('a supervisor exports the case\'s evidence bundle from the case page; other clerks see no such button', async () => {
    const page = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_SUPERVISOR_TOKEN!);
    await page.goto(`/console/#/cases/${ref}`);
    await page.getByRole('table', { name: '办理过程' }).waitFor();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出证据包' }).click()]);
    expect(file.suggestedFilename()).toBe(`evidence-${ref}.json`);
    const bundle = JSON.parse(readFileSync((await file.path())!, 'utf8')) as { format: string; caseRef: string; records: unknown[] };
    expect(bundle).toMatchObject({ format: 'handshake-evidence-bundle/1', caseRef: ref });
    expect(bundle.records.length).toBeGreaterThan(0);
    await env.ui.shot(page, 'cases-12-supervisor-evidence');
    await page.close();

    const clerk = await env.ui.signIn(env.demo.urls.gaoxin, env.demo.tokens.GAOXIN_INTAKE_TOKEN!);
    await clerk.goto(`/console/#/cases/${ref}`);
    await clerk.getByRole('table', { name: '办理过程' }).waitFor();
    await expect(clerk.getByRole('button', { name: '导出证据包' }).count()).resolves.toBe(0);
    await clerk.close();
  }, 90_000);
  it('supplements are asked for once on the handling side and provided at the window; the result is shipped, tracked and signed for', async () => {
    // The case is taken in through the API this time (the console's own intake is tested above).
    const gxToken = env.demo.tokens.GAOXIN_INTAKE_TOKEN!;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${env.demo.urls.gaoxin}${path}`, { method: 'POST', headers: { authorization: `Bearer ${gxToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
      return (await res.json()) as { ref: string };
    };
    const { ref: ref2 } = await post('/api/v1/cases', {
      itemCode: ITEM.code, mode: 'proxy_intake', applicant: { kind: 'person', name: '王五', idType: 'resident_id', idNumber: '11010519491231002X' },
      identityCheck: { method: 'id_card_reader', result: 'passed' }, delivery: { method: 'window' }, consent: { dataSharing: true, at: new Date().toISOString() },
    });
    for (const m of ['id-card', 'application']) await post(`/api/v1/cases/${ref2}/materials`, { requirement: m, name: m, mediaType: 'application/pdf', content: 'JVBERi0xLjQK' });
    await post(`/api/v1/cases/${ref2}/transfer`, {});
    let xref = '';
    await until('xihaike has the case', async () => {
      xref = (await clerkApi<{ remoteRef: string | null }>(env.demo.urls.gaoxin, gxToken, `/api/v1/cases/${ref2}`)).remoteRef ?? '';
      return !!xref;
    });

    const xhk = await env.ui.signIn(env.demo.urls.xihaike, env.demo.tokens.XIHAIKE_HANDLING_TOKEN!);
    await xhk.goto(`/console/#/cases/${xref}`);
    await xhk.getByRole('button', { name: '要求补正' }).click();
    await xhk.getByRole('button', { name: '确认要求补正' }).click();
    await expect(errorAt(xhk, 'data.deadline').textContent()).resolves.toContain('请填写补正期限');
    await expect(xhk.locator('[data-field="data.items"] .error').textContent()).resolves.toContain('至少一项');
    await xhk.getByLabel('居民身份证', { exact: true }).check();
    await xhk.getByLabel('补正原因').fill('身份证影像模糊');
    const inAWeek = new Date(Date.now() + 8 * 3600_000 + 7 * 86400_000).toISOString().slice(0, 10);
    await xhk.getByLabel('补正期限').fill(inAWeek);
    await env.ui.shot(xhk, 'cases-13-supplement-request');
    await xhk.getByRole('button', { name: '确认要求补正' }).click();
    await waitForState(xhk, '待补正');
    await expect(xhk.getByText('暂停（待补正）').isVisible()).resolves.toBe(true);
    // 一次性告知: asked once, never again.
    await expect(xhk.getByRole('button', { name: '要求补正' }).count()).resolves.toBe(0);

    const gx = await env.ui.signIn(env.demo.urls.gaoxin, gxToken);
    await gx.goto(`/console/#/cases/${ref2}`);
    await waitForState(gx, '待补正');
    const supplements = gx.getByRole('region', { name: '补正' });
    await expect(supplements.textContent()).resolves.toMatch(/居民身份证身份证影像模糊待提交/);
    await gx.getByRole('button', { name: '提交补正材料' }).click();
    await gx.getByLabel('补正：居民身份证').setInputFiles({ name: 'x.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
    await expect(errorAt(gx, 'data.materials.0').textContent()).resolves.toContain('不支持的文件类型');
    await gx.getByLabel('补正：居民身份证').setInputFiles(PDF('id-card-clear'));
    await gx.getByText(/已选择 id-card-clear\.pdf/).waitFor();
    await gx.getByRole('button', { name: '确认提交补正' }).click();
    await waitForState(gx, '审查中');
    await expect(supplements.textContent()).resolves.toContain('已提交');
    await env.ui.shot(gx, 'cases-14-supplement-provided');

    await waitForState(xhk, '审查中');
    for (const [button, confirm, state] of [['受理', '确认受理', '已受理'], ['办结', '', '已办结'], ['出证', '确认出证', '已出证']] as const) {
      await xhk.getByRole('button', { name: button, exact: true }).click();
      if (!confirm) {
        await xhk.getByLabel('办理结果').selectOption({ label: '准予' });
        await xhk.getByRole('button', { name: '确认办结' }).click();
      } else await xhk.getByRole('button', { name: confirm }).click();
      await waitForState(xhk, state);
    }
    await xhk.getByRole('button', { name: '寄送', exact: true }).click();
    const ship = xhk.getByRole('form', { name: '寄送' });
    await ship.getByLabel('快递公司').selectOption({ label: '顺丰速运' });
    await ship.getByLabel('运单号').fill('sf123');
    await ship.getByRole('button', { name: '确认寄送' }).click();
    await expect(errorAt(xhk, 'data.trackingNo').textContent()).resolves.toContain('6-32 位');
    await ship.getByLabel('运单号').fill('SF1234567890');
    await ship.getByRole('button', { name: '确认寄送' }).click();
    await waitForState(xhk, '已寄送');
    const parcels = xhk.getByRole('region', { name: '寄递' });
    await expect(parcels.textContent()).resolves.toMatch(/结果寄回收件窗口顺丰速运SF1234567890运输中/);
    await parcels.getByRole('button', { name: '添加轨迹' }).click();
    const track = xhk.getByRole('form', { name: '添加物流轨迹' });
    await track.getByLabel('物流状态').selectOption({ label: '已签收' });
    await track.getByLabel('时间').fill(new Date(Date.now() + 8 * 3600_000 - 60_000).toISOString().slice(0, 16));
    await track.getByLabel('地点').fill('高新区政务服务中心');
    await track.getByRole('button', { name: '保存轨迹' }).click();
    await until('the parcel is signed for', async () => (await parcels.textContent())!.includes('高新区政务服务中心'));
    await expect(parcels.locator('tbody tr td').nth(3).textContent()).resolves.toBe('已签收');
    await env.ui.shot(xhk, 'cases-15-shipment-tracked');
    await xhk.close();

    await waitForState(gx, '已寄送');
    await expect(gx.getByRole('region', { name: '寄递' }).textContent()).resolves.toContain('SF1234567890');
    await gx.getByRole('button', { name: '送达签收' }).click();
    await gx.getByRole('button', { name: '确认送达签收' }).click();
    await waitForState(gx, '已送达');
    await env.ui.shot(gx, 'cases-16-delivered');
    await gx.close();
    // No script error and no failed request on any page of this file.
    expect(env.ui.problems).toEqual([]);
  }, 120_000);
});
