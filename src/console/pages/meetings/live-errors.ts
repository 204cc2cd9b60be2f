/**
 * livekit-client's failures in Chinese. Its own messages are not shown: a 401 from the server can quote
 * the token back, and the clerk needs what to do, not the server's words.
 */
const CONNECTION_REASONS: Record<number, string> = {
  0: '视频令牌无效、已过期或无权进入此会议室',
  1: '视频服务器无法访问，请检查网络',
  3: '连接已取消',
  4: '视频服务器要求离开会议室',
  5: '连接超时',
  6: '信令连接（WebSocket）中断',
  7: '视频服务器地址有误',
};

export function connectionMessage(e: unknown): string {
  const err = e as { name?: string; reason?: number; message?: string };
  if (err?.name === 'ConnectionError' && typeof err.reason === 'number') {
    // InternalError: in practice the peer connection (media) that never came up after the join.
    if (err.reason === 2) return /pc connection|peer/i.test(err.message ?? '') ? '音视频通道（WebRTC）未能建立，对方无法看到或听到您' : '视频服务内部错误';
    return CONNECTION_REASONS[err.reason] ?? '未知原因';
  }
  return '未知原因';
}

export function mediaMessage(e: unknown): string {
  const name = (e as { name?: string })?.name ?? '';
  if (name === 'NotAllowedError') return '未获得摄像头或麦克风的使用权限，请在浏览器中允许后刷新';
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError') return '未找到摄像头或麦克风';
  if (name === 'NotReadableError') return '摄像头或麦克风正被其他程序占用';
  return '无法打开摄像头或麦克风';
}
