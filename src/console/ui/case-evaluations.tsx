import { useState } from 'preact/hooks';
import { api } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { EVALUATION_CHANNELS, EVALUATION_STAGES, label } from '../lib/labels';
import { openStages } from '../pages/evaluations/case-stages';
import { FollowUpClocks, FollowUpState } from '../pages/evaluations/follow-up-clocks';
import { RecordEvaluation } from '../pages/evaluations/record-form';
import { isBad, type Evaluation, type Stage } from '../pages/evaluations/types';
import { Loading, useLoad } from './data';
import { Banner } from './form';

interface PanelData { evaluations: Evaluation[]; open: Stage[] }

/** The 好差评 of a case at 受理 and 办结: what the applicant said, a 差评's follow-up, and recording a new one. */
export function CaseEvaluations(p: { caseRef: string; state: string }) {
  const [saved, setSaved] = useState<string | null>(null);
  const data = useLoad<PanelData>(async (signal) => {
    const evaluations = await api<Evaluation[]>(`/api/v1/cases/${encodeURIComponent(p.caseRef)}/evaluations`, { signal });
    return { evaluations, open: await openStages(p.caseRef, p.state, evaluations, signal) };
  }, [p.caseRef, p.state]);

  const onRecorded = (e: Evaluation) => {
    setSaved(`已记录${label(EVALUATION_STAGES, e.stage)}评价：${e.level}${e.followUp ? '。这是差评，已转入回访整改流程，请在时限内回访' : ''}`);
    data.reload();
  };

  return (
    <section class="case-evaluations" aria-labelledby="case-evaluations-title">
      <h2 id="case-evaluations-title">好差评</h2>
      <Banner message={saved} kind="ok" />
      <Loading state={data}>
        {(d) => (
          <>
            {d.evaluations.length ? <EvaluationItems evaluations={d.evaluations} /> : <p class="empty">申请人尚未评价。</p>}
            {d.open.length
              ? <RecordEvaluation key={d.open.join()} caseRef={p.caseRef} stages={d.open} onRecorded={onRecorded} />
              : <p class="hint">{whyNoForm(d.evaluations)}</p>}
          </>
        )}
      </Loading>
    </section>
  );
}

function whyNoForm(done: Evaluation[]): string {
  if (done.length >= 2) return '受理和办结两个环节均已评价。';
  return '受理后可评价“受理”环节，办结后可评价“办结”环节；每个环节只能评价一次。';
}

function EvaluationItems(p: { evaluations: Evaluation[] }) {
  return (
    <table class="evaluations">
      <thead><tr><th>环节</th><th>评价</th><th>渠道</th><th>时间</th><th>评价内容</th><th>差评处理</th></tr></thead>
      <tbody>
        {p.evaluations.map((e) => (
          <tr key={e.id} class={e.followUp && (e.followUp.callbackOverdue || e.followUp.remedyOverdue) && e.followUp.state !== 'closed' ? 'overdue' : undefined}>
            <td>{label(EVALUATION_STAGES, e.stage)}</td>
            <td><span class={`tag ${isBad(e.score) ? 'bad' : 'ok'}`}>{e.score} {e.level}</span></td>
            <td>{label(EVALUATION_CHANNELS, e.channel)}{e.origin !== 'local' ? `（${e.origin} 转来）` : ''}</td>
            <td>{formatDateTime(e.at)}</td>
            <td class="eval-text">{e.comment ?? '—'}</td>
            <td>{e.followUp
              ? <><FollowUpState followUp={e.followUp} /><FollowUpClocks followUp={e.followUp} /><a href="#/evaluations?bad=true">到好差评列表处理</a></>
              : isBad(e.score) ? '由受评成员回访' : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
