import { api } from '../../lib/api';
import { STAGE_EVENT, SURE, UNSURE, type Evaluation, type Stage } from './types';

interface Timeline { timeline: { type: string }[] }

/**
 * The stages the applicant may still evaluate: reached by the case (its state, or for an ambiguous state its
 * timeline) and not evaluated yet. The gateway decides in the end; this only keeps impossible choices away.
 */
export async function openStages(caseRef: string, state: string, done: readonly Evaluation[], signal: AbortSignal): Promise<Stage[]> {
  let events: Set<string> | null = null;
  if (UNSURE.has(state)) {
    const t = await api<Timeline>(`/api/v1/cases/${encodeURIComponent(caseRef)}/timeline`, { signal });
    events = new Set(t.timeline.map((e) => e.type));
  }
  const reached = (s: Stage) => SURE[s].has(state) || (events?.has(STAGE_EVENT[s]) ?? false);
  return (['accepted', 'finished'] as const).filter((s) => reached(s) && !done.some((e) => e.stage === s));
}
