import { useEffect, useState } from 'preact/hooks';
import { formatDateTime } from '../../lib/format';
import { DELIVERY, ID_TYPES, label, MODES } from '../../lib/labels';
import { APPLICANT_KINDS, CASE_ROLES, HOPS } from './case-labels';
import { materialsDigest } from './material-file';
import type { CaseView } from './types';

/** 办件信息: who applied (the ID number masked only), for what, where it was taken in and who handles it. */
export function CaseFacts(p: { kase: CaseView; itemName: string; memberName: (id: string | null) => string }) {
  const c = p.kase;
  return (
    <dl class="facts" aria-label="办件信息">
      <dt>收件编号</dt><dd>{c.caseId}</dd>
      <dt>办件标识</dt><dd class="mono">{c.ref}</dd>
      <dt>事项</dt><dd>{p.itemName} <span class="muted">{c.itemCode}</span></dd>
      <dt>办理方式</dt><dd>{label(MODES, c.mode)}</dd>
      <dt>本单位角色</dt><dd>{label(CASE_ROLES, c.role)}</dd>
      <dt>申请人</dt><dd>{c.applicant.name}（{label(APPLICANT_KINDS, c.applicant.kind)}）</dd>
      <dt>证件</dt><dd>{label(ID_TYPES, c.applicant.idType)} <span class="mono">{c.applicantIdMasked}</span></dd>
      <dt>送达方式</dt><dd>{label(DELIVERY, c.delivery.method)}{c.delivery.address ? `：${c.delivery.address}` : ''}</dd>
      <dt>收件单位</dt><dd>{p.memberName(c.intakeMember)} · 窗口 {c.window}</dd>
      <dt>办理单位</dt><dd>{p.memberName(c.handlingMember)}</dd>
      <dt>收件时间</dt><dd>{formatDateTime(c.createdAt)}</dd>
    </dl>
  );
}

/** 时限: the hop whose SLA runs now, the item's deadline, and whether the clock stands still or has run out. */
export function CaseClocks(p: { kase: CaseView }) {
  const c = p.kase;
  return (
    <dl class="facts" aria-label="办理时限">
      <dt>当前环节</dt><dd>{c.hop ? label(HOPS, c.hop) : '—'}</dd>
      <dt>环节时限</dt><dd>{formatDateTime(c.hopDueAt)}</dd>
      <dt>办结时限</dt><dd>{formatDateTime(c.deadlineAt)}</dd>
      <dt>计时</dt>
      <dd>
        {c.paused ? <span class="tag warn">暂停（待补正）</span> : <span class="tag">计时中</span>}{' '}
        {c.overdue ? <span class="tag bad" data-testid="overdue">已超期</span> : <span class="tag ok">未超期</span>}
      </dd>
    </dl>
  );
}

/**
 * 回执: the handling member's receipt of the transfer, with its materialsDigest checked in the browser
 * against the materials that were transferred (those listed, less the supplements appended after;
 * §7.1: SHA-256 over the sha256 values, one a line).
 */
export function CaseReceipt(p: { kase: CaseView; supplements: number }) {
  const c = p.kase;
  const [digest, setDigest] = useState<string | null>(null);
  const sent = [...c.materials].sort((a, b) => a.position - b.position).slice(0, Math.max(0, c.materials.length - p.supplements));
  const shas = sent.map((m) => m.sha256);
  useEffect(() => {
    if (!c.receiptId) return;
    void materialsDigest(shas).then(setDigest);
  }, [c.receiptId, shas.join(',')]);
  if (!c.receiptId) return <p class="muted">尚未转办或尚无签收回执。</p>;
  return (
    <dl class="facts" aria-label="签收回执">
      <dt>回执编号</dt><dd class="mono">{c.receiptId}</dd>
      <dt>签收时间</dt><dd>{formatDateTime(c.receivedAt)}</dd>
      {c.remoteRef ? <><dt>对方办件标识</dt><dd class="mono">{c.remoteRef}</dd></> : null}
      <dt>材料摘要</dt>
      <dd class="mono digest" title="materialsDigest">
        {c.materialsDigest ?? digest ?? '…'}{' '}
        {c.materialsDigest && digest ? (c.materialsDigest === digest
          ? <span class="tag ok" data-testid="digest-check">与所转材料一致</span>
          : <span class="tag bad" data-testid="digest-check">与所转材料不一致</span>) : null}
      </dd>
      <dt>转办材料</dt><dd>{sent.length ? sent.map((m) => m.name).join('、') : '无'}</dd>
    </dl>
  );
}
