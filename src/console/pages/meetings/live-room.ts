import type * as LiveKitModule from 'livekit-client';
import type { LocalTrack, RemoteTrack, Room } from 'livekit-client';

type LiveKit = typeof LiveKitModule;
import { useEffect, useRef, useState } from 'preact/hooks';
import { connectionMessage, mediaMessage } from './live-errors';
import type { HeldToken } from './tokens';

export type Connection =
  | { kind: 'no-token' }
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'reconnecting' }
  | { kind: 'failed'; message: string }
  | { kind: 'disconnected' };

export type Preview = { kind: 'starting' } | { kind: 'on' } | { kind: 'failed'; message: string };

export interface RemoteVideo { key: string; identity: string; name: string; track: RemoteTrack }
/** Published tracks by participant identity: the sids the mute API needs. */
export type RemoteTracks = Record<string, { sid: string; source: string }[]>;

export interface LiveRoom {
  preview: Preview;
  connection: Connection;
  remoteVideos: RemoteVideo[];
  remoteTracks: RemoteTracks;
  /** The screen being shared (its own preview tile), or null; published to the room while connected. */
  screen: LocalTrack | null;
  sharing: boolean;
  setSharing: (on: boolean) => Promise<void>;
}

/**
 * The camera preview and the LiveKit room of one page. livekit-client is loaded here only (its own
 * chunk), the local tracks play before and whatever the connection does, and everything is stopped
 * when the page goes.
 */
export function useLiveRoom(hold: HeldToken | null, localVideo: { current: HTMLVideoElement | null }): LiveRoom {
  const [preview, setPreview] = useState<Preview>({ kind: 'starting' });
  const [connection, setConnection] = useState<Connection>(hold ? { kind: 'connecting' } : { kind: 'no-token' });
  const [remoteVideos, setRemoteVideos] = useState<RemoteVideo[]>([]);
  const [remoteTracks, setRemoteTracks] = useState<RemoteTracks>({});
  const [screen, setScreen] = useState<LocalTrack | null>(null);
  const roomRef = useRef<Room | null>(null);
  const lkRef = useRef<LiveKit | null>(null);
  const screenRef = useRef<LocalTrack[]>([]);
  const connectedRef = useRef(false);

  useEffect(() => {
    let gone = false;
    let tracks: LocalTrack[] = [];
    void (async () => {
      const lk = await import('livekit-client');
      lkRef.current = lk;
      // The page shows every failure itself; the client's log lines would carry the server URL and ids.
      lk.setLogLevel('silent');
      try {
        tracks = await lk.createLocalTracks({ audio: true, video: true });
        if (gone) return tracks.forEach((t) => t.stop());
        const video = tracks.find((t) => t.kind === lk.Track.Kind.Video);
        if (video && localVideo.current) video.attach(localVideo.current);
        setPreview({ kind: 'on' });
      } catch (e) {
        if (!gone) setPreview({ kind: 'failed', message: mediaMessage(e) });
      }
      if (!hold || gone) return;
      const room = new lk.Room({ adaptiveStream: true, dynacast: true });
      roomRef.current = room;
      const refresh = () => {
        const videos: RemoteVideo[] = [];
        const published: RemoteTracks = {};
        for (const p of room.remoteParticipants.values()) {
          published[p.identity] = [...p.trackPublications.values()].map((t) => ({ sid: t.trackSid, source: t.source }));
          for (const t of p.trackPublications.values()) {
            if (t.track && t.kind === lk.Track.Kind.Video) videos.push({ key: t.trackSid, identity: p.identity, name: p.name || p.identity, track: t.track });
          }
        }
        setRemoteVideos(videos);
        setRemoteTracks(published);
      };
      room.on(lk.RoomEvent.ConnectionStateChanged, (s) => {
        connectedRef.current = s === lk.ConnectionState.Connected;
        if (s === lk.ConnectionState.Connected) setConnection({ kind: 'connected' });
        else if (s === lk.ConnectionState.Reconnecting || s === lk.ConnectionState.SignalReconnecting) setConnection({ kind: 'reconnecting' });
        else if (s === lk.ConnectionState.Disconnected) setConnection((c) => (c.kind === 'failed' ? c : { kind: 'disconnected' }));
      });
      for (const ev of [lk.RoomEvent.TrackSubscribed, lk.RoomEvent.TrackUnsubscribed, lk.RoomEvent.TrackPublished, lk.RoomEvent.TrackUnpublished, lk.RoomEvent.ParticipantConnected, lk.RoomEvent.ParticipantDisconnected]) room.on(ev, refresh);
      try {
        await room.connect(hold.url, hold.token);
        if (gone) return;
        // A screen shared before the connection came up is published with the camera.
        for (const t of [...tracks, ...screenRef.current]) await room.localParticipant.publishTrack(t);
        refresh();
      } catch (e) {
        if (!gone) setConnection({ kind: 'failed', message: connectionMessage(e) });
      }
    })();
    return () => {
      gone = true;
      void roomRef.current?.disconnect();
      roomRef.current = null;
      tracks.forEach((t) => t.stop());
      stopScreen();
    };
  }, [hold?.token]);

  function stopScreen(): void {
    const room = roomRef.current;
    for (const t of screenRef.current) {
      if (room && connectedRef.current) void room.localParticipant.unpublishTrack(t).catch(() => undefined);
      t.stop();
    }
    screenRef.current = [];
    setScreen(null);
  }

  // The screen is a preview of its own first, like the camera, and goes to the room when there is one.
  const setSharing = async (on: boolean) => {
    if (!on) return stopScreen();
    const lk = lkRef.current ?? (lkRef.current = await import('livekit-client'));
    const shared = await lk.createLocalScreenTracks({ audio: false });
    screenRef.current = shared;
    const video = shared.find((t) => t.kind === lk.Track.Kind.Video) ?? null;
    // The browser's own "stop sharing" bar ends the track: the page follows.
    video?.mediaStreamTrack.addEventListener('ended', stopScreen);
    setScreen(video);
    const room = roomRef.current;
    if (room && connectedRef.current) for (const t of shared) await room.localParticipant.publishTrack(t);
  };
  return { preview, connection, remoteVideos, remoteTracks, screen, sharing: screen !== null, setSharing };
}
