// What livekit-server-sdk 2.19.2 puts on the wire for each call the gateway makes: Twirp path, the JSON
// body (protobuf-es toJson: camelCase, defaults omitted; volatile values replaced by <placeholders>),
// and the video grant of the per-call token (iss = API key, nbf = now, exp = nbf + 10 minutes).
// An SDK upgrade that changes any of this must fail the contract test and be reviewed here.

export interface WireCall {
  service: string;
  method: string;
  body: Record<string, unknown>;
  video: Record<string, unknown>;
}

export const sdkWire: WireCall[] = [
  {
    service: 'RoomService', method: 'CreateRoom',
    body: { name: 'case-room', emptyTimeout: 120, maxParticipants: 4, metadata: '{"case":"cs_1"}' },
    video: { roomCreate: true },
  },
  { service: 'RoomService', method: 'ListRooms', body: { names: ['case-room'] }, video: { roomList: true } },
  { service: 'RoomService', method: 'ListParticipants', body: { room: 'case-room' }, video: { roomAdmin: true, room: 'case-room' } },
  {
    service: 'RoomService', method: 'GetParticipant',
    body: { room: 'case-room', identity: 'clerk-1' }, video: { roomAdmin: true, room: 'case-room' },
  },
  {
    service: 'RoomService', method: 'MutePublishedTrack',
    body: { room: 'case-room', identity: 'clerk-1', trackSid: '<track sid>', muted: true },
    video: { roomAdmin: true, room: 'case-room' },
  },
  {
    service: 'RoomService', method: 'UpdateParticipant',
    body: { room: 'case-room', identity: 'clerk-1', metadata: 'on duty', attributes: { desk: '3' } },
    video: { roomAdmin: true, room: 'case-room' },
  },
  {
    service: 'RoomService', method: 'UpdateRoomMetadata',
    body: { room: 'case-room', metadata: 'm2' }, video: { roomAdmin: true, room: 'case-room' },
  },
  {
    service: 'RoomService', method: 'SendData',
    body: { room: 'case-room', data: 'aGVsbG8=', topic: 'notice', nonce: '<16 random bytes>' },
    video: { roomAdmin: true, room: 'case-room' },
  },
  {
    service: 'Egress', method: 'StartRoomCompositeEgress',
    body: { roomName: 'case-room', layout: 'grid', audioOnly: true, fileOutputs: [{ filepath: 'cases/cs_1.ogg' }] },
    video: { roomRecord: true },
  },
  { service: 'Egress', method: 'ListEgress', body: { roomName: 'case-room' }, video: { roomRecord: true } },
  { service: 'Egress', method: 'StopEgress', body: { egressId: '<egress id>' }, video: { roomRecord: true } },
  {
    service: 'RoomService', method: 'RemoveParticipant',
    body: { room: 'case-room', identity: 'clerk-1' }, video: { roomAdmin: true, room: 'case-room' },
  },
  { service: 'RoomService', method: 'DeleteRoom', body: { room: 'case-room' }, video: { roomCreate: true } },
];
