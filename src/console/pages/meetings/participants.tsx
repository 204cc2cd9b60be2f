import { useState } from 'preact/hooks';
import { formatDateTime } from '../../lib/format';
import { label } from '../../lib/labels';
import { Banner, useForm } from '../../ui/form';
import type { RemoteTracks } from './live-room';
import { meetingApi } from './meeting-api';
import { PARTICIPANT_ROLES, PARTICIPANT_STATUSES } from './meeting-labels';
import type { Meeting, Participant } from './types';

/** Who is in the meeting, their consent to the recording, and moderation (mute needs the live room's track ids). */
export function Participants(p: { meeting: Meeting; self: string; remoteTracks: RemoteTracks; connected: boolean; onChanged: (m?: Meeting) => void }) {
  const form = useForm();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const open = p.meeting.status === 'open';
  const run = (work: () => Promise<string>) => form.submit(async () => { setDone(await work()); });

  const consent = (x: Participant) => run(async () => { p.onChanged(await meetingApi.consent(p.meeting.id, x.identity)); return `已记录${x.displayName}同意录制`; });
  const remove = (x: Participant) => run(async () => { setConfirming(null); p.onChanged(await meetingApi.remove(p.meeting.id, x.identity)); return `已将${x.displayName}移出会议`; });
  const mute = (x: Participant, sid: string) => run(async () => { await meetingApi.mute(p.meeting.id, x.identity, sid); return `已将${x.displayName}的麦克风静音`; });

  return (
    <section class="panel" aria-labelledby="participants-title">
      <h2 id="participants-title">参会人与录制同意</h2>
      <Banner message={form.banner} />
      <Banner message={done} kind="ok" />
      <table aria-labelledby="participants-title" class="meeting-participants">
        <thead><tr><th>参会人</th><th>身份</th><th>状态</th><th>同意录制</th><th>操作</th></tr></thead>
        <tbody>
          {p.meeting.participants.map((x) => {
            const mic = (p.remoteTracks[x.identity] ?? []).find((t) => t.source === 'microphone');
            const isSelf = x.identity === p.self;
            const muteWhy = !p.connected ? '连接视频服务器后才能静音' : !mic ? '对方未开启麦克风' : '';
            return (
              <tr key={x.identity} data-identity={x.identity}>
                <td>{x.displayName}<br /><small class="hint">{x.member}</small></td>
                <td>{label(PARTICIPANT_ROLES, x.role)}</td>
                <td>{label(PARTICIPANT_STATUSES, x.status)}</td>
                <td data-testid="consent">{x.consentAt ? `已同意（${formatDateTime(x.consentAt)}）` : '尚未同意'}</td>
                <td><div class="row-actions">
                  {open && !x.consentAt && x.status !== 'removed'
                    ? <button type="button" onClick={() => void consent(x)} disabled={form.busy}>记录{x.displayName}同意录制</button> : null}
                  {open && !isSelf && x.status !== 'removed' ? (
                    <>
                      <button type="button" onClick={() => mic && void mute(x, mic.sid)} disabled={form.busy || !mic || !p.connected} title={muteWhy || undefined}>静音{muteWhy ? `（${muteWhy}）` : ''}</button>
                      {confirming === x.identity
                        ? <><button type="button" class="danger" onClick={() => void remove(x)} disabled={form.busy}>确认移出{x.displayName}</button><button type="button" onClick={() => setConfirming(null)}>取消</button></>
                        : <button type="button" class="danger" onClick={() => setConfirming(x.identity)} disabled={form.busy}>移出{x.displayName}</button>}
                    </>
                  ) : null}
                </div></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
