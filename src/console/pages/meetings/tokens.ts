/**
 * The clerk's own LiveKit tokens, by meeting (mt_…) or invitation (mi_…) id. Kept in this module only:
 * never in the URL, sessionStorage or a log, so a reload or another tab has none (the gateway hands a
 * token out once, at start or join).
 */
export interface HeldToken { url: string; token: string; expiresAt: string }

const held = new Map<string, HeldToken>();

export const meetingTokens = {
  keep: (id: string, t: HeldToken): void => { held.set(id, t); },
  get: (id: string): HeldToken | null => {
    const t = held.get(id);
    if (t && Date.parse(t.expiresAt) <= Date.now()) held.delete(id);
    return held.get(id) ?? null;
  },
};
