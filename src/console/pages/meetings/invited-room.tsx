import { useRef } from 'preact/hooks';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { Loading, useLoad } from '../../ui/data';
import { useLiveRoom } from './live-room';
import { meetingTokens } from './tokens';
import type { Invitation } from './types';
import { VideoStage } from './video-stage';

/**
 * A meeting of another member, joined by invitation (§7.3): that member's gateway runs it, so this page
 * has the video only; admitting, consent and ending are done by the inviting member's clerk.
 */
export function InvitedRoom(p: { invitationId: string }) {
  const list = useLoad((signal) => api<{ invitations: Invitation[] }>('/api/v1/meeting-invitations', { signal }), [p.invitationId]);
  const hold = useRef(meetingTokens.get(p.invitationId)).current;
  const localVideo = useRef<HTMLVideoElement>(null);
  const live = useLiveRoom(hold, localVideo);
  return (
    <section aria-labelledby="meeting-title">
      <h1 id="meeting-title">云见面（受邀加入）</h1>
      <Loading state={list}>{(d) => {
        const inv = d.invitations.find((i) => i.id === p.invitationId);
        return inv ? (
          <p>
            {inv.fromMember} 邀请的会议{inv.caseRef ? <>，本单位办件 <a href={`#/cases/${encodeURIComponent(inv.caseRef)}`}>{inv.caseRef}</a></> : null}
            ；邀请有效期至 {formatDateTime(inv.expiresAt)}。准入申请人、录制和结束会议由发起方工作人员操作。
          </p>
        ) : <p class="empty">未找到该邀请。</p>;
      }}</Loading>
      <VideoStage live={live} localVideo={localVideo} noTokenHint="邀请的入会令牌只发放一次，仅保存在加入时的页面内存中；刷新后无法再连接，请联系发起方重新发起会议。" />
      <p><a href="#/meetings">返回会议邀请列表</a></p>
    </section>
  );
}
