import { Fragment } from 'preact';
import { formatDateTime } from '../../lib/format';
import { EVALUATION_CHANNELS, EVALUATION_STAGES, label } from '../../lib/labels';
import { formatDue } from './clocks';
import { FollowUpForm } from './follow-up-form';
import { FollowUpState } from './follow-up-clocks';
import { FollowUpSteps } from './follow-up-steps';
import { isBad, type Evaluation, type ListedEvaluation } from './types';

const late = (e: Evaluation) => !!e.followUp && e.followUp.state !== 'closed' && (e.followUp.callbackOverdue || e.followUp.remedyOverdue);

/** The evaluations, a 差评's row opening its follow-up under it (one at a time). */
export function EvaluationTable(p: {
  rows: ListedEvaluation[]; openId: string | null; onToggle: (id: string) => void; onDone: (e: Evaluation, what: string) => void;
}) {
  return (
    <table class="evaluation-table">
      <thead>
        <tr><th>办件</th><th>事项</th><th>环节</th><th>评价</th><th>渠道</th><th>评价时间</th><th>差评处理</th><th>回访时限</th><th>整改时限</th><th>操作</th></tr>
      </thead>
      <tbody>
        {p.rows.map((e) => (
          <Fragment key={e.id}>
            <tr class={late(e) ? 'overdue' : undefined} data-testid={`evaluation-${e.id}`}>
              <td><a href={`#/cases/${encodeURIComponent(e.caseRef)}`}>{e.caseId}</a></td>
              <td>{e.itemCode}</td>
              <td>{label(EVALUATION_STAGES, e.stage)}</td>
              <td><span class={`tag ${isBad(e.score) ? 'bad' : 'ok'}`}>{e.score} {e.level}</span></td>
              <td>{label(EVALUATION_CHANNELS, e.channel)}</td>
              <td>{formatDateTime(e.at)}</td>
              <td>{e.followUp ? <FollowUpState followUp={e.followUp} /> : '—'}</td>
              <td class={e.followUp?.callbackOverdue ? 'late' : undefined}>{e.followUp ? formatDue(e.followUp.callbackDueAt) : '—'}</td>
              <td class={e.followUp?.remedyOverdue ? 'late' : undefined}>{e.followUp ? formatDue(e.followUp.remedyDueAt) : '—'}</td>
              <td>{e.followUp
                ? <button type="button" aria-expanded={p.openId === e.id} aria-controls={`fu-${e.id}`} onClick={() => p.onToggle(e.id)}>
                    {p.openId === e.id ? '收起' : '处理'}<span class="sr-only">（{e.caseId}）</span>
                  </button>
                : null}</td>
            </tr>
            {p.openId === e.id && e.followUp
              ? (
                <tr class="follow-up-row" id={`fu-${e.id}`}>
                  <td colSpan={10}>
                    {e.comment ? <p>评价内容：<q>{e.comment}</q></p> : null}
                    <FollowUpSteps followUp={e.followUp} />
                    <FollowUpForm evaluation={e} followUp={e.followUp} onDone={p.onDone} key={e.followUp.state} />
                  </td>
                </tr>
              )
              : null}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
