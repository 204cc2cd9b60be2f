import type { StatusReport } from '../../../../adapters/types';
import { caseEventSchema, type CaseEvent, type EventType } from '../events-schema';
import { eventForPartnerState } from '../partner-events';
import { applyEvent, type CaseState } from '../state-machine';

/**
 * Steps a back office may leave out of what it reports, because they carry no data of their own: a
 * poll that sees `approved` while the case is only received implies it was accepted first.
 */
const IMPLIED: readonly EventType[] = ['accepted', 'result_issued'];
const MAX_IMPLIED = 2;

export type ReportPlan =
  /** The §7.2 events to record, implied steps first. */
  | { kind: 'events'; events: CaseEvent[] }
  /** Nothing to send (a receipt or a withdrawal the back office confirms, a step already recorded). */
  | { kind: 'none'; why: string }
  | { kind: 'refused'; reason: string };

/** The report's `data` in §7.2 terms: adapters give supplement items as names, and a return's reason as its note. */
function dataOf(report: StatusReport): Record<string, unknown> {
  const data: Record<string, unknown> = { ...report.data };
  if (Array.isArray(data.items)) data.items = data.items.map((i) => (typeof i === 'string' ? { name: i.slice(0, 200) } : i));
  if (report.state === 'returned' && data.reason === undefined && report.note) data.reason = report.note.slice(0, 500);
  return data;
}

/**
 * What a back-office report means for a case in `state` (pure): the event it maps to, checked against
 * §7.2's shapes, preceded by the implied steps the state machine needs. `recorded` holds the handling
 * side's event types already on the timeline: each happens once in a case's life, so seeing one again
 * is an older report arriving late (a callback after a poll), not news.
 */
export function planReport(state: CaseState, report: StatusReport, eventId: string, recorded: ReadonlySet<string>): ReportPlan {
  const mapped = eventForPartnerState(report.state, dataOf(report));
  if (!mapped.ok) return { kind: 'refused', reason: mapped.reason };
  if (mapped.type === null) return { kind: 'none', why: mapped.why };
  if (recorded.has(mapped.type)) return { kind: 'none', why: `${mapped.type} is already on the timeline` };
  const note = report.note?.trim().slice(0, 1000);
  const parsed = caseEventSchema.safeParse({ eventId, type: mapped.type, at: report.at, ...(note ? { note } : {}), ...(mapped.data ? { data: mapped.data } : {}) });
  if (!parsed.success) return { kind: 'refused', reason: `${report.state}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
  const target = parsed.data;
  const direct = applyEvent(state, target, 'handling');
  if (direct.ok) return { kind: 'events', events: [target] };
  if (direct.code === 'not_authorized') return { kind: 'refused', reason: direct.reason };
  const path = impliedPath(state, target, eventId, recorded);
  return path ? { kind: 'events', events: [...path, target] } : { kind: 'refused', reason: direct.reason };
}

/** The shortest run of implied steps after which `target` applies, or null. */
function impliedPath(start: CaseState, target: CaseEvent, eventId: string, recorded: ReadonlySet<string>): CaseEvent[] | null {
  let frontier: { state: CaseState; steps: CaseEvent[] }[] = [{ state: start, steps: [] }];
  for (let depth = 0; depth < MAX_IMPLIED; depth++) {
    const next: typeof frontier = [];
    for (const { state, steps } of frontier) {
      for (const type of IMPLIED) {
        if (recorded.has(type) || steps.some((s) => s.type === type)) continue;
        const step = { eventId: `${eventId}.${type}`, type, at: target.at } as CaseEvent;
        const moved = applyEvent(state, step, 'handling');
        if (!moved.ok) continue;
        const path = [...steps, step];
        if (applyEvent(moved.state, target, 'handling').ok) return path;
        next.push({ state: moved.state, steps: path });
      }
    }
    frontier = next;
  }
  return null;
}
