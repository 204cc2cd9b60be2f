import type { CaseView, SupplementItem, TimelineEvent } from './types';

/**
 * Which §7.2 events the clerk may send on a case now: the gateway's state machine
 * (src/services/cases/state-machine.ts) as the console needs it, to offer only what will be accepted. The
 * gateway still decides; a refusal is shown like any other.
 */
export type CaseAction = 'accepted' | 'rejected' | 'supplement_requested' | 'decided' | 'result_issued' | 'shipped' | 'delivered' | 'withdrawn' | 'supplement_provided';

const NEXT: Record<string, CaseAction[]> = {
  intake: ['withdrawn'],
  transferring: ['withdrawn'],
  received: ['accepted', 'rejected', 'supplement_requested', 'withdrawn'],
  supplement_requested: ['supplement_provided', 'rejected', 'decided', 'withdrawn'],
  accepted: ['supplement_requested', 'decided', 'withdrawn'],
  under_review: ['accepted', 'rejected', 'decided', 'withdrawn'],
  decided: ['result_issued'],
  result_issued: ['shipped', 'delivered'],
  shipped: ['delivered'],
};

const HANDLING: CaseAction[] = ['accepted', 'rejected', 'supplement_requested', 'decided', 'result_issued', 'shipped'];
const INTAKE: CaseAction[] = ['supplement_provided', 'withdrawn', 'delivered'];

/** The actions of a clerk of `role` on the case, given its timeline (accepted before? supplements asked once?). */
export function caseActions(c: CaseView, events: TimelineEvent[], role: string): CaseAction[] {
  if (role !== c.role) return [];
  const accepted = events.some((e) => e.type === 'accepted');
  const asked = events.some((e) => e.type === 'supplement_requested');
  return (NEXT[c.state] ?? []).filter((a) => {
    if (!senders(a, c).includes(c.role)) return false;
    if (a === 'accepted') return !accepted;
    if (a === 'rejected') return !accepted;
    if (a === 'decided') return accepted;
    // 一次性告知 (行政许可法 art. 32): supplements are asked for once.
    if (a === 'supplement_requested') return !asked;
    // Until the handling member's receipt is back, it has no ref to send the withdrawal to.
    if (a === 'withdrawn') return !!c.remoteRef;
    return true;
  });
}

/** A result posted or sent electronically never passes the window: the handling member reports its delivery. */
function senders(a: CaseAction, c: CaseView): string[] {
  if (a === 'delivered') return c.delivery.method === 'window' ? ['intake'] : ['handling'];
  return HANDLING.includes(a) ? ['handling'] : INTAKE.includes(a) ? ['intake'] : [];
}

export const ACTION_NAMES: Record<CaseAction, string> = {
  accepted: '受理', rejected: '不予受理', supplement_requested: '要求补正', decided: '办结', result_issued: '出证',
  shipped: '寄送', delivered: '送达签收', withdrawn: '撤回', supplement_provided: '提交补正材料',
};

/** The supplements last asked for (§7.2 supplement_requested `data.items`). */
export function requestedSupplements(events: TimelineEvent[]): { items: SupplementItem[]; deadline: string | null } | null {
  const asked = events.filter((e) => e.type === 'supplement_requested').at(-1);
  if (!asked) return null;
  const data = (asked.data ?? {}) as { items?: SupplementItem[]; deadline?: string };
  return { items: data.items ?? [], deadline: data.deadline ?? null };
}
