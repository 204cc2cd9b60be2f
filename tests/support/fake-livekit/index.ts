export { startFakeLiveKit } from './server';
export type {
  DeliveredWebhook, FakeEgress, FakeEgressStatus, FakeLiveKit, FakeLiveKitOptions, FakeParticipant, FakeRoom,
  FakeTrack, RecordedRequest, SendWebhookOptions, SignalRecord, TrackKind,
} from './types';
