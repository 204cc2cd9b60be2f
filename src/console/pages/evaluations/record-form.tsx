import { useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { nameFields } from '../../lib/errors';
import { EVALUATION_CHANNELS, EVALUATION_STAGES } from '../../lib/labels';
import { Banner, Field, inputProps, useForm } from '../../ui/form';
import { showLocalErrors } from './local-errors';
import { ScoreRadios } from './score-radios';
import type { Evaluation, Stage } from './types';

nameFields({ stage: '评价环节', score: '满意程度', channel: '评价渠道', comment: '评价内容', at: '评价时间' });

const MAX_COMMENT = 500;

/** Records the applicant's evaluation of one stage of the case (POST /api/v1/cases/{ref}/evaluations). */
export function RecordEvaluation(p: { caseRef: string; stages: Stage[]; onRecorded: (e: Evaluation) => void }) {
  const [stage, setStage] = useState<Stage>(p.stages[0]!);
  const [score, setScore] = useState<number | null>(null);
  const [channel, setChannel] = useState('window');
  const [comment, setComment] = useState('');
  const form = useForm();
  const errors = form.errors;

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (score === null) found.score = '请选择满意程度';
    if (comment.length > MAX_COMMENT) found.comment = `评价内容不超过 ${MAX_COMMENT} 字`;
    if (showLocalErrors(form, found)) return;
    const body = { stage, score, channel, ...(comment.trim() ? { comment: comment.trim() } : {}) };
    await form.submit(async () => {
      p.onRecorded(await api<Evaluation>(`/api/v1/cases/${encodeURIComponent(p.caseRef)}/evaluations`, { method: 'POST', body }));
    });
  };

  return (
    <form class="record-evaluation" onSubmit={onSubmit} noValidate aria-label="记录评价">
      <Banner message={form.banner} />
      <div class="grid">
        <Field label="评价环节" name="stage" error={errors.stage} required>
          <select {...inputProps('stage', errors)} value={stage} onChange={(e) => setStage((e.target as HTMLSelectElement).value as Stage)}>
            {p.stages.map((s) => <option key={s} value={s}>{EVALUATION_STAGES[s]}</option>)}
          </select>
        </Field>
        <Field label="评价渠道" name="channel" error={errors.channel} required>
          <select {...inputProps('channel', errors)} value={channel} onChange={(e) => setChannel((e.target as HTMLSelectElement).value)}>
            {Object.entries(EVALUATION_CHANNELS).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
          </select>
        </Field>
      </div>
      <ScoreRadios value={score} error={errors.score} onChange={setScore} />
      <Field label="评价内容" name="comment" error={errors.comment} hint={`选填，申请人的原话，不超过 ${MAX_COMMENT} 字`}>
        <textarea {...inputProps('comment', errors)} maxLength={MAX_COMMENT * 2} value={comment}
          onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />
      </Field>
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy}>{form.busy ? '正在提交…' : '提交评价'}</button>
      </div>
    </form>
  );
}
