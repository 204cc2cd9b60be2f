import { useState } from 'preact/hooks';
import { api, ApiError } from '../../lib/api';
import { nameFields } from '../../lib/errors';
import { navigate } from '../../lib/router';
import { Banner, Field, inputProps, useForm } from '../../ui/form';
import type { Item } from '../catalog/types';
import type { CaseView } from './types';

nameFields({ to: '办理单位' });

/** 转办: to the member that handles the item in the case's mode; the clerk chooses when several do. */
export function TransferPanel(p: { kase: CaseView; item: Item; complete: boolean; onRefused: () => void }) {
  const members = p.item.offeredBy.filter((o) => o.modes.includes(p.kase.mode as never));
  const [to, setTo] = useState(members.length === 1 ? members[0]!.member : '');
  const form = useForm();
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (!p.complete) {
      form.setBanner('材料不齐，不能转办：请按一次性告知补齐必需材料');
      return;
    }
    if (!to) {
      form.setErrors({ to: '请选择办理单位' });
      requestAnimationFrame(() => document.getElementById('f-to')?.focus());
      return;
    }
    let missing: string[] = [];
    const ok = await form.submit(async () => {
      try {
        await api(`/api/v1/cases/${encodeURIComponent(p.kase.ref)}/transfer`, { method: 'POST', body: { to } });
      } catch (err) {
        // 409 names each missing material at `materials.<id>`: said as the checklist says it.
        if (err instanceof ApiError) missing = err.fieldErrors.filter((f) => f.path.startsWith('materials.')).map((f) => f.message.replace(/^missing:\s*/, ''));
        throw err;
      }
    });
    if (ok) return navigate(`/cases/${encodeURIComponent(p.kase.ref)}`);
    if (missing.length) form.setBanner(`材料不齐，不能转办：缺少${missing.join('、')}`);
    p.onRefused();
  };
  return (
    <section aria-labelledby="transfer-title">
      <h2 id="transfer-title">转办</h2>
      <form noValidate onSubmit={onSubmit} class="inline-form">
        <Banner message={form.banner} />
        {members.length === 0 ? <Banner message="联盟内没有成员单位以此方式办理该事项，不能转办" /> : null}
        {members.length > 1 ? (
          <Field label="办理单位" name="to" error={form.errors.to} required>
            <select {...inputProps('to', form.errors)} value={to} onChange={(e) => setTo((e.target as HTMLSelectElement).value)}>
              <option value="">请选择</option>
              {members.map((m) => <option key={m.member} value={m.member}>{m.name}</option>)}
            </select>
          </Field>
        ) : members[0] ? <p>办理单位：<strong>{members[0].name}</strong></p> : null}
        <div class="actions">
          <button type="submit" class="primary" disabled={form.busy || !p.complete || members.length === 0}>
            {form.busy ? '正在转办…' : '确认转办'}
          </button>
          {!p.complete ? <span class="muted">材料齐全后方可转办</span> : null}
        </div>
      </form>
    </section>
  );
}
