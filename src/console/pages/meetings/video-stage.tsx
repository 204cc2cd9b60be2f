import { useEffect, useRef, useState } from 'preact/hooks';
import type { Connection, LiveRoom, RemoteVideo } from './live-room';

const CONNECTION_TEXT: Record<Connection['kind'], string> = {
  'no-token': '未连接：本页没有视频令牌',
  connecting: '正在连接…',
  connected: '已连接',
  reconnecting: '连接中断，正在重新连接…',
  failed: '无法连接视频服务器',
  disconnected: '已断开',
};

export function connectionText(c: Connection): string {
  return c.kind === 'failed' ? `无法连接视频服务器：${c.message}` : CONNECTION_TEXT[c.kind];
}

/** The clerk's own camera, the others' video and the screen share, with the connection said in words. */
export function VideoStage(p: { live: LiveRoom; localVideo: { current: HTMLVideoElement | null }; noTokenHint: string }) {
  const { live } = p;
  const [shareError, setShareError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const connected = live.connection.kind === 'connected';
  const toggleShare = async () => {
    setBusy(true);
    setShareError(null);
    try {
      await live.setSharing(!live.sharing);
    } catch (e) {
      setShareError((e as Error).name === 'NotAllowedError' ? '未获得共享屏幕的权限' : '无法共享屏幕');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel meeting-stage" aria-labelledby="stage-title">
      <h2 id="stage-title">视频</h2>
      <p class={`connection ${live.connection.kind}`} role="status" data-testid="connection">{connectionText(live.connection)}</p>
      {live.connection.kind === 'no-token' ? <p class="hint">{p.noTokenHint}</p> : null}
      {live.connection.kind === 'failed' ? <p class="hint">本机摄像头预览不受影响；准入申请人、记录同意和结束会议仍可在本页操作。</p> : null}
      <div class="videos">
        <figure>
          <video ref={p.localVideo} autoPlay muted playsInline aria-label="本机摄像头预览" data-testid="local-video" />
          <figcaption>{live.preview.kind === 'on' ? '本机预览' : live.preview.kind === 'starting' ? '正在打开摄像头…' : live.preview.message}</figcaption>
        </figure>
        {live.screen ? <TrackTile track={live.screen} name="正在共享的屏幕" muted testId="screen-video" /> : null}
        {live.remoteVideos.map((v) => <TrackTile key={v.key} track={v.track} name={`${v.name}的视频`} />)}
      </div>
      {connected && live.remoteVideos.length === 0 ? <p class="hint">其他参会人尚未开启视频。</p> : null}
      <div class="actions">
        <button type="button" onClick={() => void toggleShare()} disabled={busy} aria-describedby="share-why">
          {live.sharing ? '停止共享屏幕' : '共享屏幕'}
        </button>
        <small id="share-why" class="hint">{!live.sharing ? '' : connected ? '正在向参会人共享屏幕' : '屏幕已选好，连接视频服务器后参会人即可看到'}</small>
      </div>
      {shareError ? <div class="banner error" role="alert">{shareError}</div> : null}
    </section>
  );
}

/** A LiveKit track (local or remote) played in its own tile. */
function TrackTile(p: { track: Pick<RemoteVideo['track'], 'attach' | 'detach'>; name: string; muted?: boolean; testId?: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    p.track.attach(el);
    return () => { p.track.detach(el); };
  }, [p.track]);
  return (
    <figure>
      <video ref={ref} autoPlay muted={p.muted} playsInline aria-label={p.name} data-testid={p.testId} />
      <figcaption>{p.name}</figcaption>
    </figure>
  );
}
