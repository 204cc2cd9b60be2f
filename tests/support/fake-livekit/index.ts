export { startFakeLiveKit } from './server';
export type {
  DeliveredWebhook, FakeEgress, FakeEgressStatus, FakeLiveKit, FakeLiveKitOptions, FakeParticipant, FakeRoom,
  FakeTrack, RecordedRequest, SendWebhookOptions, TrackKind,
} from './types';
