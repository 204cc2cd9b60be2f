import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { CaseSubmission } from '../../adapters/types';
import { toCaseRequest } from '../../adapters/standard/mapping';
import { toXhkCase } from '../../adapters/xihaike/mapping';
import { itemMapping, submitFields } from '../../adapters/soap-legacy/mapping';
import { partnerSchema, type PartnerConfig } from '../../src/services/partners/schema';

const partner = (member: string): PartnerConfig =>
  partnerSchema.parse(JSON.parse(readFileSync(new URL(`../../partners/${member}.json`, import.meta.url), 'utf8')));

function submission(itemCode: string): CaseSubmission {
  const content = new Uint8Array(2048).fill(7);
  return {
    caseRef: 'cs_bench0000000001', itemCode, mode: 'proxy_intake',
    applicant: { kind: 'person', name: '张三', idType: 'resident_id', idNumber: '110105199001011234', phone: '13800000000' },
    intake: { member: 'gaoxin', window: 'kuayu-1', clerk: 'clerk-1', receivedAt: '2026-11-28T02:00:00Z' },
    materials: [
      { requirement: 'id-card', name: '居民身份证', mediaType: 'image/jpeg', size: content.length, sha256: 'ab'.repeat(32), content },
      { requirement: 'application', name: '申请书', mediaType: 'application/pdf', size: content.length, sha256: 'cd'.repeat(32), content },
    ],
    delivery: { method: 'post', address: '四川省成都市高新区天府大道' },
  };
}

/** Mean µs per call over `n` calls after a warm-up. */
function time(fn: () => unknown, n: number): number {
  for (let i = 0; i < Math.min(2000, n); i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return ((performance.now() - t0) * 1000) / n;
}

/**
 * Mapping throughput of each adapter's pure mapping (a case with two 2 KiB materials into the
 * partner's request shape), against JSON.stringify of the same case in the same run.
 */
export function benchMapping(n: number): string[] {
  const gaoxin = partner('gaoxin');
  const xihaike = partner('xihaike');
  const chengdu = partner('chengdu-gx');
  const rows: [string, number][] = [
    ['baseline: JSON.stringify(case)', time(() => JSON.stringify(submission('KS-SCZT-001')), n)],
    ['standard  toCaseRequest', time(() => toCaseRequest(submission('KS-SCZT-001'), gaoxin), n)],
    ['xihaike   toXhkCase', time(() => toXhkCase(submission('KS-GJJ-001'), xihaike), n)],
    ['soap      submitFields', time(() => submitFields(submission('KS-GZ-001'), itemMapping(chengdu, 'KS-GZ-001')), n)],
  ];
  const base = rows[0]![1];
  return rows.map(([name, us]) => `${name.padEnd(34)}${us.toFixed(2).padStart(9)} µs/case ${Math.round(1e6 / us).toLocaleString('en-US').padStart(10)} cases/s   ${(us / base).toFixed(2)}x baseline`);
}
