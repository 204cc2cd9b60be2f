/** Chinese names of the meetings API's codes. */
export const PARTICIPANT_ROLES: Record<string, string> = { clerk: '本窗口工作人员', applicant: '申请人', remote_clerk: '对方窗口工作人员' };
export const PARTICIPANT_STATUSES: Record<string, string> = { waiting: '等候中', admitted: '已准入', joined: '已入会', left: '已离开', removed: '已移出' };
export const MEETING_STATUSES: Record<string, string> = { open: '进行中', closed: '已结束' };
export const RECORDING_STATUSES: Record<string, string> = { none: '未录制', recording: '录制中', done: '已录制', failed: '录制失败' };
export const CLOSE_REASONS: Record<string, string> = {
  ended: '工作人员结束', room_finished: '会议室已关闭', room_gone: '会议室已不存在', max_duration: '已达最长时长', room_not_created: '会议室未能创建',
};
export const INVITATION_STATUSES: Record<string, string> = { pending: '待加入', taken: '已加入', expired: '已过期' };
