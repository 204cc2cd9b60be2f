import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoAlliance, type DemoAlliance } from '../support/demo-alliance';
import { startFakeLiveKit, type FakeLiveKit } from '../support/fake-livekit/index';
import { until } from '../support/receiver-proxy';
import { openConsole, type Console } from './support/browser';
import { clerkCall } from './support/clerk-call';

// Media cannot be faked: the fake LiveKit answers the signalling (join, ping, leave) but never WebRTC, so
// the page must say the media failed while Chromium's fake camera keeps the local preview playing.
let fake: FakeLiveKit;
let demo: DemoAlliance;
let ui: Console;
beforeAll(async () => {
  fake = await startFakeLiveKit();
  [demo, ui] = await Promise.all([
    startDemoAlliance({ LIVEKIT_URL: fake.url, LIVEKIT_API_KEY: fake.apiKey, LIVEKIT_API_SECRET: fake.apiSecret }),
    openConsole({ fakeMedia: true }),
  ]);
  fake.webhookUrl = `${demo.urls.gaoxin}/livekit/webhook`;
}, 180_000);
afterAll(async () => {
  await ui?.close();
  await demo?.stop();
  await fake?.close();
});

const ITEM = 'KS-GJJ-006';


/** A gaoxin case for a xihaike item, taken in and transferred through the clerk API, received by xihaike. */
async function transferredCase(): Promise<string> {
  const gx = demo.tokens.GAOXIN_INTAKE_TOKEN!;
  const { ref } = await clerkCall<{ ref: string }>(demo.urls.gaoxin, gx, '/api/v1/cases', {
    itemCode: ITEM, mode: 'proxy_intake', applicant: { kind: 'person', name: '王五', idType: 'resident_id', idNumber: '11010519491231002X' },
    identityCheck: { method: 'id_card_reader', result: 'passed' }, delivery: { method: 'window' }, consent: { dataSharing: true, at: new Date().toISOString() },
  });
  for (const m of ['id-card', 'application']) await clerkCall(demo.urls.gaoxin, gx, `/api/v1/cases/${ref}/materials`, { requirement: m, name: m, mediaType: 'application/pdf', content: 'JVBERi0xLjQK' });
  await clerkCall(demo.urls.gaoxin, gx, `/api/v1/cases/${ref}/transfer`, {});
  await until('xihaike has the case', async () => !!(await clerkCall<{ remoteRef: string | null }>(demo.urls.gaoxin, gx, `/api/v1/cases/${ref}`)).remoteRef, 30_000, 300);
  return ref;
}

const connection = (page: Page) => page.getByTestId('connection').textContent();
const localVideoPlays = (page: Page) => page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="local-video"]')?.videoWidth ?? 0) > 0, null, { timeout: 15_000 });

describe('the window console: 云见面', () => {
  let meetingId = '';
  let room = '';

  it('a gaoxin clerk starts a meeting from the case page: preview plays, the signalling join is real, the media failure is said; admit, consent, record', async () => {
    const ref = await transferredCase();
    const page = await ui.signIn(demo.urls.gaoxin, demo.tokens.GAOXIN_INTAKE_TOKEN!);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`/console/#/cases/${ref}`);
    await page.getByRole('heading', { name: '云见面' }).waitFor();
    await ui.shot(page, 'meetings-01-case-panel');
    await page.getByRole('button', { name: '发起云见面' }).click();
    await page.waitForFunction(() => location.hash.startsWith('#/meetings/mt_'));
    meetingId = await page.evaluate(() => location.hash.slice('#/meetings/'.length));
    // The token travels in memory only: never in the address.
    expect(await page.evaluate(() => location.href)).not.toMatch(/token|eyJ/);

    await localVideoPlays(page);
    await expect(connection(page)).resolves.not.toBe('已连接');
    const meeting = await clerkCall<{ room: string; participants: { identity: string; role: string }[] }>(demo.urls.gaoxin, demo.tokens.GAOXIN_INTAKE_TOKEN!, `/api/v1/meetings/${meetingId}`);
    room = meeting.room;
    const clerk = meeting.participants.find((x) => x.role === 'clerk')!.identity;
    await until('the fake saw the clerk join over /rtc', async () => fake.signals.some((s) => s.kind === 'join' && s.room === room && s.identity === clerk), 15_000, 100);
    expect(fake.signals.find((s) => s.kind === 'join' && s.identity === clerk)).toMatchObject({ claims: { video: { room, roomJoin: true } } });
    await ui.shot(page, 'meetings-02-room-connecting');

    // Screen share: the chosen screen (Chromium's fake capture) plays in its own tile at once; it would go
    // to the room once connected. Stopping it removes the tile and frees the capture.
    await page.getByRole('button', { name: '共享屏幕' }).click();
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="screen-video"]')?.videoWidth ?? 0) > 0, null, { timeout: 15_000 });
    await expect(page.locator('#share-why').textContent()).resolves.toBe('屏幕已选好，连接视频服务器后参会人即可看到');
    await ui.shot(page, 'meetings-02b-screen-shared');
    await page.getByRole('button', { name: '停止共享屏幕' }).click();
    await page.getByRole('button', { name: '共享屏幕' }).waitFor();
    await expect(page.getByTestId('screen-video').count()).resolves.toBe(0);

    // The waiting room: the applicant's token is minted now, shown to hand over, and copied.
    await page.getByRole('button', { name: '准入申请人' }).click();
    const ticket = page.getByTestId('admit-ticket');
    await ticket.waitFor();
    await expect(ticket.textContent()).resolves.toContain(fake.url);
    await page.getByRole('button', { name: '复制入会信息' }).click();
    await page.getByText('已复制，请交给申请人的设备').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^视频服务器：http:.*\n入会令牌：eyJ/);
    await ui.shot(page, 'meetings-03-applicant-admitted');

    // Recording waits for every party's consent, recorded one by one.
    const record = page.getByRole('button', { name: '开始录制' });
    await expect(record.isDisabled()).resolves.toBe(true);
    await expect(page.locator('#recording-why').textContent()).resolves.toMatch(/^尚未同意录制：.*王五/);
    for (let left = 3; left > 0; left--) {
      const buttons = page.getByRole('button', { name: /^记录.+同意录制$/ });
      await until(`${left} consents left`, async () => (await buttons.count()) === left, 10_000, 100);
      await buttons.first().click();
    }
    await until('every consent is shown', async () => (await page.getByTestId('consent').allTextContents()).every((t) => t.startsWith('已同意')), 10_000, 100);
    await expect(page.getByTestId('consented').textContent()).resolves.toContain('王五');
    await expect(record.isDisabled()).resolves.toBe(false);
    await ui.shot(page, 'meetings-04-consent-recorded');
    await record.click();
    await until('recording', async () => (await page.getByTestId('recording-status').textContent()) === '录制中', 10_000, 100);

    // No WebRTC behind the fake: livekit-client gives up on the peer connection and the page says so.
    await until('the media failure is shown', async () => (await connection(page))!.startsWith('无法连接视频服务器：'), 45_000, 250);
    await expect(connection(page)).resolves.toContain('音视频通道（WebRTC）未能建立');
    await localVideoPlays(page);
    await ui.shot(page, 'meetings-05-media-failed-preview-on');
    await page.close();
  }, 120_000);

  it('xihaike\'s clerk sees the invitation and joins it once; gaoxin ends the meeting', async () => {
    const xhk = await ui.signIn(demo.urls.xihaike, demo.tokens.XIHAIKE_HANDLING_TOKEN!);
    await xhk.goto('/console/#/meetings');
    const join = xhk.getByRole('button', { name: '加入gaoxin的会议' });
    await until('the invitation arrives', async () => {
      if (await join.count()) return true;
      await xhk.getByRole('button', { name: '刷新' }).click();
      await xhk.waitForTimeout(500);
      return (await join.count()) > 0;
    }, 30_000, 500);
    await ui.shot(xhk, 'meetings-06-invitation');
    await join.click();
    await xhk.waitForFunction(() => location.hash.startsWith('#/meetings/mi_'));
    await xhk.getByRole('heading', { name: '云见面（受邀加入）' }).waitFor();
    await localVideoPlays(xhk);
    await until('the fake saw xihaike\'s clerk join', async () => fake.signals.some((s) => s.kind === 'join' && s.room === room && s.identity === 'xihaike.clerk'), 15_000, 100);
    await ui.shot(xhk, 'meetings-07-invited-room');
    // The token went once: the list now shows it taken.
    await xhk.goto('/console/#/meetings');
    await xhk.getByText(/已加入/).waitFor();
    await xhk.close();

    const page = await ui.signIn(demo.urls.gaoxin, demo.tokens.GAOXIN_INTAKE_TOKEN!);
    await page.goto(`/console/#/meetings/${meetingId}`);
    // A reloaded page has no token (memory only) and says so; the meeting can still be managed.
    await expect(connection(page)).resolves.toBe('未连接：本页没有视频令牌');
    await page.getByRole('button', { name: '结束会议' }).click();
    await page.getByRole('button', { name: '确认结束会议' }).click();
    await until('the meeting is closed', async () => (await page.getByTestId('meeting-status').textContent()) === '已结束', 10_000, 100);
    await ui.shot(page, 'meetings-08-ended');
    await page.close();
  }, 120_000);
});
