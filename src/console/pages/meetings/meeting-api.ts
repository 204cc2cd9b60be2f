import { api } from '../../lib/api';
import type { JoinToken, Meeting } from './types';

const base = (id: string) => `/api/v1/meetings/${encodeURIComponent(id)}`;

/** The meetings API's writes; each answers the meeting as it now is (admit answers the applicant's token). */
export const meetingApi = {
  get: (id: string, signal?: AbortSignal) => api<Meeting>(base(id), { signal }),
  admit: (id: string) => api<JoinToken>(`${base(id)}/admit`, { method: 'POST' }),
  consent: (id: string, identity: string) => api<Meeting>(`${base(id)}/consent`, { method: 'POST', body: { identity } }),
  record: (id: string) => api<Meeting>(`${base(id)}/recording`, { method: 'POST' }),
  remove: (id: string, identity: string) => api<Meeting>(`${base(id)}/participants/${encodeURIComponent(identity)}/remove`, { method: 'POST' }),
  mute: (id: string, identity: string, trackSid: string) =>
    api<{ muted: true }>(`${base(id)}/participants/${encodeURIComponent(identity)}/mute`, { method: 'POST', body: { trackSid } }),
  end: (id: string) => api<Meeting>(`${base(id)}/end`, { method: 'POST' }),
};
