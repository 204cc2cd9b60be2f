import { Banner, useForm } from '../../ui/form';
import { label } from '../../lib/labels';
import { meetingApi } from './meeting-api';
import { RECORDING_STATUSES } from './meeting-labels';
import type { Meeting } from './types';

/** Why recording cannot start now, or null when the API will allow it (the same rules as startRecording). */
export function whyNoRecording(m: Meeting): string | null {
  if (m.status !== 'open') return '会议已结束';
  if (m.recording.status !== 'none') return '每场会议只能录制一次';
  const missing = m.participants.filter((x) => x.status !== 'removed' && !x.consentAt).map((x) => x.displayName);
  return missing.length ? `尚未同意录制：${missing.join('、')}` : null;
}

export function RecordingPanel(p: { meeting: Meeting; onChanged: (m: Meeting) => void }) {
  const form = useForm();
  const m = p.meeting;
  const why = whyNoRecording(m);
  const consented = m.participants.filter((x) => x.consentAt).map((x) => x.displayName);
  const start = () => form.submit(async () => { p.onChanged(await meetingApi.record(m.id)); });
  return (
    <section class="panel" aria-labelledby="recording-title">
      <h2 id="recording-title">录制</h2>
      <p>录制状态：<strong data-testid="recording-status">{label(RECORDING_STATUSES, m.recording.status)}</strong></p>
      <p data-testid="consented">已同意录制：{consented.length ? consented.join('、') : '无'}</p>
      {m.recording.result ? <p>录像：{m.recording.result.location}（{Math.round(m.recording.result.durationMs / 1000)} 秒）</p> : null}
      <Banner message={form.banner} />
      <div class="actions">
        <button type="button" onClick={() => void start()} disabled={!!why || form.busy} aria-describedby="recording-why">开始录制</button>
        <small id="recording-why" class="hint">{why ?? '各方均已同意，可以开始录制'}</small>
      </div>
    </section>
  );
}
