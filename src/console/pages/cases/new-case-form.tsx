import { useEffect, useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { nameFields } from '../../lib/errors';
import { DELIVERY, label, MODES } from '../../lib/labels';
import { navigate } from '../../lib/router';
import { Banner, Field, inputProps, useForm } from '../../ui/form';
import type { Item } from '../catalog/types';
import { ApplicantFields } from './applicant-fields';
import { IDENTITY_METHODS, IDENTITY_RESULTS } from './case-labels';
import { ItemPicker } from './item-picker';
import { body, check, EMPTY_VALUES, IDENTITY_FAILED, NEW_CASE_FIELDS, offeredModes, type NewCaseValues } from './new-case-values';
import type { CaseView } from './types';

nameFields(NEW_CASE_FIELDS);

const value = (e: Event) => (e.target as HTMLInputElement).value;

/**
 * 收件登记: the whole form is checked here first; the case is made by one POST only when all of it is valid,
 * so nothing is half-saved. Then the clerk goes on to the materials of the new case.
 */
export function NewCaseForm(p: { item: Item | null; itemLoading: boolean; onPickItem: (code: string | null) => void }) {
  const [v, setValues] = useState<NewCaseValues>(EMPTY_VALUES);
  const set = <K extends keyof NewCaseValues>(k: K, x: NewCaseValues[K]) => setValues((old) => ({ ...old, [k]: x }));
  const form = useForm();
  const item = p.item;
  const modes = item ? offeredModes(item) : [];

  // A new item: its only mode and the window counter as the usual delivery, when the item allows them.
  useEffect(() => {
    setValues((old) => ({
      ...old,
      mode: modes.length === 1 && modes[0] !== 'joint' ? modes[0]! : '',
      delivery: item?.deliveryMethods.includes('window') ? 'window' : item?.deliveryMethods[0] ?? '',
    }));
  }, [item?.code]);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const problems = check(item, v);
    if (Object.keys(problems).length || !item) {
      form.setErrors(problems);
      form.setBanner(`还有 ${Object.keys(problems).length} 处需要修改，办件尚未创建`);
      requestAnimationFrame(() => (document.querySelector<HTMLElement>('[aria-invalid="true"]') ?? document.getElementById('f-itemCode'))?.focus());
      return;
    }
    await form.submit(async () => {
      const created = await api<CaseView>('/api/v1/cases', { method: 'POST', body: body(item, v) });
      navigate(`/cases/new?case=${encodeURIComponent(created.ref)}`);
    });
  };
  // A failed identity check is said at once, not only when the clerk tries to go on.
  const errors = v.idResult === 'failed' ? { ...form.errors, 'identityCheck.result': IDENTITY_FAILED } : form.errors;

  return (
    <form noValidate onSubmit={onSubmit} aria-label="收件登记">
      <Banner message={form.banner} />
      <fieldset class="grid">
        <legend>事项与办理方式</legend>
        <ItemPicker item={item} loading={p.itemLoading} onPick={p.onPickItem} errors={errors} />
        <Field label="办理方式" name="mode" error={errors.mode} required>
          <select {...inputProps('mode', errors)} value={v.mode} disabled={!item} onChange={(e) => set('mode', value(e))}>
            <option value="">请选择</option>
            {(item?.modes ?? []).map((m) => (
              <option key={m} value={m} disabled={!modes.includes(m) || m === 'joint'}>
                {label(MODES, m)}{!modes.includes(m) ? '（联盟内无单位办理）' : m === 'joint' ? '（需走联办流程）' : ''}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>
      <ApplicantFields v={v} set={set} errors={errors} />
      <fieldset class="grid">
        <legend>身份核验</legend>
        <Field label="核验方式" name="identityCheck.method" error={errors['identityCheck.method']} required>
          <select {...inputProps('identityCheck.method', errors)} value={v.idMethod} onChange={(e) => set('idMethod', value(e))}>
            <option value="">请选择</option>
            {Object.entries(IDENTITY_METHODS).map(([k, t]) => <option key={k} value={k}>{t}</option>)}
          </select>
        </Field>
        <Field label="核验结果" name="identityCheck.result" error={errors['identityCheck.result']} required>
          <select {...inputProps('identityCheck.result', errors)} value={v.idResult} onChange={(e) => set('idResult', value(e))}>
            <option value="">请选择</option>
            {Object.entries(IDENTITY_RESULTS).map(([k, t]) => <option key={k} value={k}>{t}</option>)}
          </select>
        </Field>
      </fieldset>
      <fieldset class="grid">
        <legend>结果送达</legend>
        <Field label="送达方式" name="delivery.method" error={errors['delivery.method']} required>
          <select {...inputProps('delivery.method', errors)} value={v.delivery} onChange={(e) => set('delivery', value(e))}>
            <option value="">请选择</option>
            {(item?.deliveryMethods ?? ['window', 'post', 'electronic']).map((d) => <option key={d} value={d}>{label(DELIVERY, d)}</option>)}
          </select>
        </Field>
        {v.delivery === 'post' ? (
          <Field label="收件地址" name="delivery.address" error={errors['delivery.address']} required>
            <input {...inputProps('delivery.address', errors)} maxLength={300} autoComplete="off" value={v.address} onInput={(e) => set('address', value(e))} />
          </Field>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>数据共享授权</legend>
        <Field label="申请人同意跨地区共享办件数据" name="consent.dataSharing" error={errors['consent.dataSharing']} hint="请向申请人说明：办件信息与材料将加密传送至办理地成员单位" required>
          <input {...inputProps('consent.dataSharing', errors)} type="checkbox" class="check" checked={v.consent} onChange={(e) => set('consent', (e.target as HTMLInputElement).checked)} />
        </Field>
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy}>{form.busy ? '正在创建…' : '创建办件，下一步上传材料'}</button>
      </div>
    </form>
  );
}
