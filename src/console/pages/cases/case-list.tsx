import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { CASE_STATES, label } from '../../lib/labels';
import { useMe } from '../../lib/me';
import { navigate } from '../../lib/router';
import type { PageProps } from '../../routes';
import { Loading, useLoad } from '../../ui/data';
import { useItemNames, useMembers } from '../catalog/catalog-data';
import { CASE_ROLES } from './case-labels';
import { CaseFilters, FILTER_KEYS } from './case-filters';
import type { CaseView } from './types';

const STEP = 50;
const MAX = 500;

/** 办件列表: newest first, overdue ones marked; the filters are in the hash, so the list is a link. */
export function CaseList(p: PageProps) {
  const me = useMe();
  const members = useMembers();
  const itemName = useItemNames();
  const key = p.query.toString();
  const limit = Math.min(MAX, Math.max(STEP, Number(p.query.get('limit')) || STEP));
  const query = Object.fromEntries(FILTER_KEYS.map((k) => [k, p.query.get(k)]));
  const list = useLoad((signal) => api<CaseView[]>('/api/v1/cases', { query: { ...query, limit }, signal }), [key]);
  const more = () => {
    const qs = new URLSearchParams(p.query);
    qs.set('limit', String(Math.min(MAX, limit + STEP)));
    navigate(`/cases?${qs}`);
  };
  return (
    <section>
      <h1>办件列表</h1>
      <CaseFilters key={key} query={p.query} members={members.list} supervisor={me.role === 'supervisor'} />
      <Loading state={list}>{(cases) => (
        <>
          <p class="muted" role="status">{cases.length ? `显示 ${cases.length} 件（最新在前）` : ''}</p>
          {cases.length === 0 ? <p class="empty">没有符合条件的办件。</p> : (
            <table class="case-table">
              <thead><tr><th>收件编号</th><th>事项</th><th>申请人</th><th>角色</th><th>对方单位</th><th>状态</th><th>当前时限</th><th>收件时间</th></tr></thead>
              <tbody>
                {cases.map((c) => (
                  <tr key={c.ref} class={c.overdue ? 'overdue' : undefined}>
                    <td class="nowrap"><a href={`#/cases/${encodeURIComponent(c.ref)}`}>{c.caseId}</a></td>
                    <td title={c.itemCode}>{itemName(c.itemCode)}</td>
                    <td>{c.applicant.name}</td>
                    <td>{label(CASE_ROLES, c.role)}</td>
                    <td>{members.name(c.role === 'intake' ? c.handlingMember : c.intakeMember)}</td>
                    <td class="nowrap">
                      {label(CASE_STATES, c.state)}
                      {c.overdue ? <span class="tag bad">超期</span> : null}
                      {c.paused ? <span class="tag warn">暂停计时</span> : null}
                    </td>
                    <td class="nowrap">{formatDateTime(c.hopDueAt ?? c.deadlineAt)}</td>
                    <td class="nowrap">{formatDateTime(c.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {cases.length >= limit && limit < MAX ? <div class="actions"><button type="button" onClick={more}>显示更多</button></div> : null}
        </>
      )}</Loading>
    </section>
  );
}
