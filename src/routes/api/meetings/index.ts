import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { registerAdmitApplicant } from './admit-applicant';
import { registerEndMeeting } from './end-meeting';
import { registerGetMeeting } from './get-meeting';
import { registerMuteTrack } from './mute-track';
import { registerRecordConsent } from './record-consent';
import { registerRemoveParticipant } from './remove-participant';
import { registerStartMeeting } from './start-meeting';
import { registerStartRecording } from './start-recording';

/** Cloud meetings (云见面) of a case over LiveKit; without LiveKit configured every one answers 503. */
export function registerMeetingRoutes(api: OpenAPIHono<AppEnv>, deps: Deps) {
  registerStartMeeting(api, deps);
  registerGetMeeting(api, deps);
  registerAdmitApplicant(api, deps);
  registerRemoveParticipant(api, deps);
  registerMuteTrack(api, deps);
  registerRecordConsent(api, deps);
  registerStartRecording(api, deps);
  registerEndMeeting(api, deps);
}
