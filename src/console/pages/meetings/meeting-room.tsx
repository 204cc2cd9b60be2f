import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDateTime } from '../../lib/format';
import { label } from '../../lib/labels';
import { useMe } from '../../lib/me';
import { Loading, useLoad } from '../../ui/data';
import { Banner, useForm } from '../../ui/form';
import { AdmitPanel } from './admit-panel';
import { InvitedRoom } from './invited-room';
import { useLiveRoom } from './live-room';
import { meetingApi } from './meeting-api';
import { CLOSE_REASONS, MEETING_STATUSES } from './meeting-labels';
import { Participants } from './participants';
import { RecordingPanel } from './recording-panel';
import { meetingTokens } from './tokens';
import type { Meeting } from './types';
import { VideoStage } from './video-stage';

const REFRESH_MS = 4000;

/** #/meetings/:id — a meeting of this member (mt_…), or one joined by invitation from another member (mi_…). */
export function MeetingRoom(p: { params: Record<string, string>; query: URLSearchParams }) {
  const id = p.params.id ?? '';
  return id.startsWith('mi_') ? <InvitedRoom key={id} invitationId={id} /> : <OwnMeeting key={id} id={id} />;
}

function OwnMeeting(p: { id: string }) {
  const me = useMe();
  const [tick, setTick] = useState(0);
  const [latest, setLatest] = useState<Meeting | null>(null);
  const data = useLoad((signal) => meetingApi.get(p.id, signal), [p.id, tick]);
  useEffect(() => { if (data.data) setLatest(data.data); }, [data.data]);
  // Participants join, leave and consent elsewhere: refreshed every few seconds while the meeting is open.
  useEffect(() => {
    if (latest?.status === 'closed') return;
    const t = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(t);
  }, [latest?.status]);
  const hold = useRef(meetingTokens.get(p.id)).current;
  const localVideo = useRef<HTMLVideoElement>(null);
  const live = useLiveRoom(latest?.status === 'closed' ? null : hold, localVideo);
  const reload = (m?: Meeting) => { if (m) setLatest(m); setTick((n) => n + 1); };
  const state = latest ? { ...data, data: latest, error: null } : data;

  return (
    <section aria-labelledby="meeting-title">
      <Loading state={state}>{(m) => (
        <>
          <h1 id="meeting-title">
            云见面 <span class="tag state" data-testid="meeting-status">{label(MEETING_STATUSES, m.status)}</span>
            {' '}<a href={`#/cases/${encodeURIComponent(m.caseRef)}`} class="sub">办件 {m.caseRef}</a>
          </h1>
          <p class="hint">开始于 {formatDateTime(m.startedAt)}，最迟 {formatDateTime(m.endsAt)} 自动结束{m.closedAt ? `；已于 ${formatDateTime(m.closedAt)} 结束（${label(CLOSE_REASONS, m.closeReason ?? '')}）` : ''}。</p>
          {data.error ? <div class="banner error" role="alert">刷新失败：{data.error}</div> : null}
          {m.status === 'open' ? (
            <VideoStage live={live} localVideo={localVideo} noTokenHint="视频令牌只在发起会议时发放一次，仅保存在发起会议的页面内存中；刷新或换了标签页后无法再连接，但仍可在此管理会议。" />
          ) : null}
          <div class="cols">
            <AdmitPanel meeting={m} onChanged={() => reload()} />
            <RecordingPanel meeting={m} onChanged={reload} />
          </div>
          <Participants meeting={m} self={`${me.member.id}.${me.id}`} remoteTracks={live.remoteTracks} connected={live.connection.kind === 'connected'} onChanged={reload} />
          {m.status === 'open' ? <EndMeeting meeting={m} onEnded={reload} /> : null}
        </>
      )}</Loading>
    </section>
  );
}

function EndMeeting(p: { meeting: Meeting; onEnded: (m: Meeting) => void }) {
  const form = useForm();
  const [confirm, setConfirm] = useState(false);
  const end = () => form.submit(async () => { p.onEnded(await meetingApi.end(p.meeting.id)); });
  return (
    <section class="panel" aria-labelledby="end-title">
      <h2 id="end-title">结束会议</h2>
      <Banner message={form.banner} />
      <div class="actions">
        {confirm
          ? <><button type="button" class="danger" onClick={() => void end()} disabled={form.busy}>确认结束会议</button><button type="button" onClick={() => setConfirm(false)}>取消</button></>
          : <button type="button" class="danger" onClick={() => setConfirm(true)}>结束会议</button>}
      </div>
      {confirm ? <p class="hint">结束后所有参会人将离开会议室，会议不能再继续。</p> : null}
    </section>
  );
}
