import { api } from '../lib/api';
import { useMe } from '../lib/me';
import { navigate } from '../lib/router';
import { meetingTokens } from '../pages/meetings/tokens';
import type { StartedMeeting } from '../pages/meetings/types';
import { Banner, useForm } from './form';

/**
 * The 云见面 panel of a case: a clerk of the case starts a video meeting with the applicant and the other
 * member's clerk. The clerk's token stays in memory (pages/meetings/tokens) on the way to the room.
 */
export function CaseMeetings(p: { caseRef: string }) {
  const me = useMe();
  const form = useForm();
  // A case has one open meeting at a time: the 409 names it, and the clerk is taken to it.
  const openId = /open meeting (mt_[A-Za-z0-9_-]+)/.exec(form.banner ?? '')?.[1];
  if (me.role === 'supervisor') return null;
  const start = () => form.submit(async () => {
    const started = await api<StartedMeeting>(`/api/v1/cases/${encodeURIComponent(p.caseRef)}/meetings`, { method: 'POST' });
    meetingTokens.keep(started.meeting.id, started.token);
    navigate(`/meetings/${started.meeting.id}`);
  });
  return (
    <section class="panel case-meetings" aria-labelledby="case-meetings-title">
      <h2 id="case-meetings-title">云见面</h2>
      <p class="hint">与申请人和对方窗口视频见面：申请人在等候室中由您准入；对方单位的工作人员会收到邀请。</p>
      <Banner message={openId ? '该办件已有进行中的云见面。' : form.banner} />
      {openId ? <p><a href={`#/meetings/${openId}`}>进入进行中的会议</a></p> : null}
      <div class="actions">
        <button type="button" class="primary" onClick={() => void start()} disabled={form.busy}>{form.busy ? '正在发起…' : '发起云见面'}</button>
      </div>
    </section>
  );
}
