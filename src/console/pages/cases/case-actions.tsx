import { useState } from 'preact/hooks';
import { Banner } from '../../ui/form';
import type { Item } from '../catalog/types';
import { ACTION_SPECS } from './action-specs';
import { ACTION_NAMES, caseActions, requestedSupplements, type CaseAction } from './case-rules';
import { EventForm } from './event-form';
import { SupplementProvideForm } from './supplement-provide-form';
import { SupplementRequestForm } from './supplement-request-form';
import type { CaseView, TimelineEvent } from './types';

/** 办理操作: only what the clerk's role and the case's state allow, each as a small form. */
export function CaseActions(p: { kase: CaseView; events: TimelineEvent[]; item: Item | null; role: string; onChanged: () => void }) {
  const [open, setOpen] = useState<CaseAction | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const actions = caseActions(p.kase, p.events, p.role);
  const done = (msg: string) => { setOpen(null); setSaid(msg); p.onChanged(); };
  const cancel = () => setOpen(null);
  if (!actions.length && !said) return null;
  return (
    <section aria-labelledby="actions-title" class="panel">
      <h2 id="actions-title">办理操作</h2>
      <Banner message={said} kind="ok" />
      {actions.length ? (
        <div class="actions">
          {actions.map((a) => (
            <button key={a} type="button" class={a === 'withdrawn' || a === 'rejected' ? 'danger' : undefined} aria-expanded={open === a}
              onClick={() => { setSaid(null); setOpen(open === a ? null : a); }}>{ACTION_NAMES[a]}</button>
          ))}
        </div>
      ) : <p class="muted">当前状态下本窗口无可执行的操作。</p>}
      {open ? <ActionForm action={open} {...p} onDone={done} onCancel={cancel} /> : null}
    </section>
  );
}

function ActionForm(p: { action: CaseAction; kase: CaseView; events: TimelineEvent[]; item: Item | null; onDone: (s: string) => void; onCancel: () => void }) {
  const ref = p.kase.ref;
  if (p.action === 'supplement_requested') {
    return <SupplementRequestForm caseRef={ref} materials={p.item?.materials ?? []} onDone={p.onDone} onCancel={p.onCancel} />;
  }
  if (p.action === 'supplement_provided') {
    const asked = requestedSupplements(p.events)?.items ?? [];
    return <SupplementProvideForm caseRef={ref} requested={asked.length ? asked : [{ name: '补正材料' }]} onDone={p.onDone} onCancel={p.onCancel} />;
  }
  const spec = ACTION_SPECS[p.action];
  if (!spec) return null;
  return <EventForm key={p.action} caseRef={ref} type={p.action} title={ACTION_NAMES[p.action]} spec={spec} onDone={p.onDone} onCancel={p.onCancel} />;
}
