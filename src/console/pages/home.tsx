import { api } from '../lib/api';
import { label, ROLES } from '../lib/labels';
import { useMe } from '../lib/me';
import { useLoad } from '../ui/data';

interface CaseSummary { ref: string; overdue: boolean; state: string }

/** The clerk's start: who they are, and what needs them now. */
export function Home() {
  const me = useMe();
  const overdue = useLoad((signal) => api<CaseSummary[]>('/api/v1/cases', { query: { overdue: 'true', limit: 500 }, signal }), []);
  return (
    <section>
      <h1>您好，{me.name}</h1>
      <p>{me.member.name ?? me.member.id} · {me.window.name ?? me.window.id} · {label(ROLES, me.role)}</p>
      <ul class="tiles">
        <li><a href="#/cases/new">新建办件</a></li>
        <li><a href="#/cases">办件列表</a></li>
        <li><a href={`#/cases?overdue=true`}>超期办件 <strong data-testid="overdue-count">{overdue.data ? overdue.data.length : '…'}</strong></a></li>
        <li><a href="#/evaluations?followUp=open">差评回访</a></li>
        <li><a href="#/complaints?state=open">待回复投诉</a></li>
      </ul>
    </section>
  );
}
