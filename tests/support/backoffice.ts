import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { signRequest } from '../../src/federation/envelope/sign';
import { loadSigner } from '../../src/federation/keys';
import { rowsOf } from '../../src/federation/replay-guard';
import type { Gateway } from '../../src/gateway';
import type { Db } from '../../src/db/client';
import { systemClock } from '../../src/lib/clock';
import { utf8 } from '../../src/lib/encoding';
import type { FetchLike } from '../../src/lib/http';
import { randomIds } from '../../src/lib/ids';
import type { Logger } from '../../src/lib/logger';
import type { TestAlliance } from './alliance';
import { inProcessFetch } from './gateway';

// Shared by the back-office tests: a handling member whose partners/<self>.json names a sandbox, and an
// intake member whose case follows the events the back office's states become.

export const ID_NUMBER = '370211199202021234';
export const PHONE = '13912345678';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** In-process gateways by origin; anything else (a sandbox on loopback) over the network. */
export const allianceFetch = (routes: Record<string, Gateway>): FetchLike => inProcessFetch(routes, (input, init) => fetch(input, init));

/** A signed §7.1 transfer from `from` to `to`; returns the handling member's caseRef. */
export async function transferCase(o: { alliance: TestAlliance; from: string; to: Gateway; toId: string; itemCode: string; mode?: string; delivery?: 'window' | 'post' }): Promise<string> {
  const content = utf8('%PDF 购房合同');
  const body = utf8(JSON.stringify({
    caseId: `${o.from}-${crypto.randomUUID()}`, itemCode: o.itemCode, mode: o.mode ?? 'proxy_intake',
    applicant: { kind: 'person', name: '李四', idType: 'resident_id', idNumber: ID_NUMBER, phone: PHONE },
    intake: { member: o.from, window: 'kuayu-1', clerk: 'clerk-1', receivedAt: '2026-11-28T09:00:00+08:00', identityCheck: { method: 'id_card_reader', result: 'passed' } },
    materials: [{ requirement: 'purchase-contract', name: '购房合同', mediaType: 'application/pdf', size: content.length, sha256: sha256(content), content: Buffer.from(content).toString('base64') }],
    delivery: o.delivery === 'post' ? { method: 'post', address: '山东省青岛市黄岛区长江中路 1 号' } : { method: 'window' },
    consent: { dataSharing: true, at: '2026-11-28T08:59:00+08:00' },
  }));
  const url = `${o.alliance.members.get(o.toId)!.endpoint}/federation/v1/cases`;
  const signer = await loadSigner(o.alliance.members.get(o.from)!.privateJwk);
  const { token } = await signRequest(signer, { iss: o.from, aud: o.toId, method: 'POST', url, body }, systemClock, randomIds);
  const res = await o.to.app.request(url, {
    method: 'POST', body: body as Uint8Array<ArrayBuffer>,
    headers: { 'handshake-request': token, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
  });
  if (res.status !== 202) throw new Error(`transfer answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { caseRef: string }).caseRef;
}

/** The intake case as the intake member's own flow leaves it after the transfer's receipt (that flow is tested elsewhere). */
export async function insertIntakeCase(db: Db, o: { ref: string; remoteRef: string; intake: string; handling: string; itemCode: string }): Promise<void> {
  const detail = { status: 'received', delivery: 'window', received: true, accepted: false, supplementRequested: false };
  await db.execute(sql`insert into cases (ref, role, intake_member, handling_member, intake_case_id, item_code, mode, state, state_detail, remote_ref,
    applicant_kind, applicant_name, applicant_id_type, applicant_id_sealed, applicant_id_masked, intake, delivery, consent, materials_digest, created_at, updated_at)
    values (${o.ref}, 'intake', ${o.intake}, ${o.handling}, ${`IN-${o.ref}`}, ${o.itemCode}, 'proxy_intake', 'received', ${JSON.stringify(detail)}::jsonb, ${o.remoteRef},
    'person', '李四', 'resident_id', 'v1.x.y', '370211********1234', ${JSON.stringify({ member: o.intake, window: 'kuayu-1' })}::jsonb, '{"method":"window"}'::jsonb, '{}'::jsonb, 'd', now(), now())`);
}

export interface CaseView { state: string; partner_ref: string | null; partner_state: string | null; partner_next_at: Date | null; partner_attempts: number; partner_error: string | null }

export async function caseRow(db: Db, ref: string): Promise<CaseView> {
  const [row] = rowsOf<CaseView>(await db.execute(sql`select state, partner_ref, partner_state, partner_next_at, partner_attempts, partner_error from cases where ref = ${ref}`));
  if (!row) throw new Error(`no case ${ref}`);
  return { ...row, partner_next_at: row.partner_next_at === null ? null : new Date(row.partner_next_at) };
}

export async function timelineOf(db: Db, ref: string): Promise<{ event_id: string; type: string; side: string; status_after: string }[]> {
  return rowsOf(await db.execute(sql`select event_id, type, side, status_after from case_events where case_ref = ${ref} order by recorded_at, id`));
}

/** Time passes: the case's next back-office step is due now (the worker's own clock is real time). */
export async function makeDue(db: Db, ref: string): Promise<void> {
  await db.execute(sql`update cases set partner_next_at = now() - interval '1 second' where ref = ${ref}`);
}

/** A logger that keeps every line, to check what reached the log (and what never may). */
export function recordingLogger() {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const make = (bindings: object): Logger => ({
    debug: (obj, msg) => { lines.push({ level: 'debug', obj: { ...bindings, ...obj }, msg }); },
    info: (obj, msg) => { lines.push({ level: 'info', obj: { ...bindings, ...obj }, msg }); },
    warn: (obj, msg) => { lines.push({ level: 'warn', obj: { ...bindings, ...obj }, msg }); },
    error: (obj, msg) => { lines.push({ level: 'error', obj: { ...bindings, ...obj }, msg }); },
    child: (more) => make({ ...bindings, ...more }),
  });
  return { logger: make({}), lines };
}

/** A signed §7.2 event from `from` about the case `ref` of the member `toId`. */
export async function sendCaseEvent(o: { alliance: TestAlliance; from: string; to: Gateway; toId: string; ref: string; event: Record<string, unknown> }): Promise<{ status: number; json: Record<string, unknown> }> {
  const body = utf8(JSON.stringify(o.event));
  const url = `${o.alliance.members.get(o.toId)!.endpoint}/federation/v1/cases/${o.ref}/events`;
  const signer = await loadSigner(o.alliance.members.get(o.from)!.privateJwk);
  const { token } = await signRequest(signer, { iss: o.from, aud: o.toId, method: 'POST', url, body }, systemClock, randomIds);
  const res = await o.to.app.request(url, {
    method: 'POST', body: body as Uint8Array<ArrayBuffer>,
    headers: { 'handshake-request': token, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/**
 * Delivers the gateway's due outbox messages one at a time, oldest first. (`runOnce()` delivers a batch
 * side by side, and two §7.2 events of one case may then overtake each other: see the back-office report.)
 */
export async function deliverInOrder(gateway: Gateway): Promise<string[]> {
  const results: string[] = [];
  for (let i = 0; i < 50; i++) {
    const [result] = await gateway.outbox.runOnce(1);
    if (!result) break;
    results.push(result);
  }
  return results;
}
