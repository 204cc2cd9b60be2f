import { afterAll, beforeAll } from 'vitest';
import { startDemoAlliance, type DemoAlliance } from '../../support/demo-alliance';
import { until } from '../../support/receiver-proxy';
import { openConsole, type Console } from './browser';
import { clerkCall } from './clerk-call';

/**
 * The demo alliance (`npm start`'s three members) and a Chromium console for one test file: started
 * before its tests, stopped after them. Read `demo` and `ui` inside tests (they exist once beforeAll ran).
 */
export function demoConsole(): { readonly demo: DemoAlliance; readonly ui: Console } {
  let demo: DemoAlliance | undefined;
  let ui: Console | undefined;
  beforeAll(async () => {
    [demo, ui] = await Promise.all([startDemoAlliance(), openConsole()]);
  }, 180_000);
  afterAll(async () => {
    await ui?.close();
    await demo?.stop();
  });
  return { get demo() { return demo!; }, get ui() { return ui!; } };
}

/**
 * The printed walk of `npm start`, by the clerk API beside the browser: gaoxin takes a KS-GJJ-006 case in
 * for the applicant and transfers it; xihaike's handling clerk accepts it; gaoxin sees it accepted.
 */
export async function demoAcceptedCase(demo: DemoAlliance, applicant: { name: string; idNumber: string }): Promise<{ ref: string; caseId: string; xref: string }> {
  const gx = <T>(path: string, body?: unknown) => clerkCall<T>(demo.urls.gaoxin, demo.tokens.GAOXIN_INTAKE_TOKEN!, path, body);
  const xh = <T>(path: string, body?: unknown) => clerkCall<T>(demo.urls.xihaike, demo.tokens.XIHAIKE_HANDLING_TOKEN!, path, body);
  const { ref, caseId } = await gx<{ ref: string; caseId: string }>('/api/v1/cases', {
    itemCode: 'KS-GJJ-006', mode: 'proxy_intake', applicant: { kind: 'person', name: applicant.name, idType: 'resident_id', idNumber: applicant.idNumber },
    identityCheck: { method: 'id_card_reader', result: 'passed' }, delivery: { method: 'window' }, consent: { dataSharing: true, at: new Date().toISOString() },
  });
  for (const m of ['id-card', 'application']) await gx(`/api/v1/cases/${ref}/materials`, { requirement: m, name: m, mediaType: 'application/pdf', content: 'JVBERi0xLjQK' });
  await gx(`/api/v1/cases/${ref}/transfer`, {});
  let xref = '';
  await until('xihaike has the case', async () => {
    xref = (await gx<{ remoteRef: string | null }>(`/api/v1/cases/${ref}`)).remoteRef ?? '';
    return !!xref;
  });
  await xh(`/api/v1/cases/${xref}/events`, { type: 'accepted', note: '材料齐全，予以受理' });
  await until('gaoxin sees it accepted', async () => (await gx<{ state: string }>(`/api/v1/cases/${ref}`)).state === 'accepted', 30_000, 200);
  return { ref, caseId, xref };
}
