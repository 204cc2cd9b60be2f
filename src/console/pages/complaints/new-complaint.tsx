import { useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { nameFields } from '../../lib/errors';
import { COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS } from '../../lib/labels';
import { useMe } from '../../lib/me';
import { navigate } from '../../lib/router';
import type { PageProps } from '../../routes';
import { Banner, Field, inputProps, useForm } from '../../ui/form';
import { checkComplaint, COMPLAINT_FIELDS, complaintBody, emptyComplaint, todayMax, type ComplaintValues } from './complaint-values';
import type { Complaint } from './types';

nameFields(COMPLAINT_FIELDS);

const value = (e: Event) => (e.target as HTMLInputElement).value;

/**
 * 登记投诉 (统一受理): one register for every channel. The whole form is checked here first and sent by one
 * POST only when valid, so nothing half-entered is saved; then the new complaint's page opens.
 */
export function NewComplaint(_p: PageProps) {
  const me = useMe();
  const [v, setV] = useState<ComplaintValues>(emptyComplaint);
  const set = (k: keyof ComplaintValues) => (e: Event) => setV((old) => ({ ...old, [k]: value(e) }));
  const form = useForm();
  const errors = form.errors;

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const problems = checkComplaint(v);
    if (Object.keys(problems).length) {
      form.setErrors(problems);
      form.setBanner(`还有 ${Object.keys(problems).length} 处需要修改，投诉尚未登记`);
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    await form.submit(async () => {
      const created = await api<Complaint>('/api/v1/complaints', { method: 'POST', body: complaintBody(v) });
      navigate(`/complaints/${encodeURIComponent(created.id)}`);
    });
  };

  return (
    <section>
      <p><a href="#/complaints">← 返回投诉列表</a></p>
      <h1>登记投诉</h1>
      <form noValidate onSubmit={onSubmit} aria-label="登记投诉">
        <Banner message={form.banner} />
        <fieldset class="grid">
          <legend>受理与分类</legend>
          <Field label="受理渠道" name="channel" error={errors.channel} required>
            <select {...inputProps('channel', errors)} value={v.channel} onChange={set('channel')}>
              <option value="">请选择</option>
              {Object.entries(COMPLAINT_CHANNELS).map(([k, t]) => <option key={k} value={k}>{t}</option>)}
            </select>
          </Field>
          <Field label="投诉分类" name="category" error={errors.category} required>
            <select {...inputProps('category', errors)} value={v.category} onChange={set('category')}>
              <option value="">请选择</option>
              {Object.entries(COMPLAINT_CATEGORIES).map(([k, t]) => <option key={k} value={k}>{t}</option>)}
            </select>
          </Field>
          <Field label="收到时间" name="receivedAt" error={errors.receivedAt} hint="默认为现在；意见箱(簿)、信件按实际收到时间补录" required>
            <input {...inputProps('receivedAt', errors)} type="datetime-local" max={todayMax()} value={v.receivedAt} onInput={set('receivedAt')} />
          </Field>
        </fieldset>
        <fieldset class="complaint-text">
          <legend>投诉事项</legend>
          <Field label="投诉事由" name="subject" error={errors.subject} hint="一句话概括，不超过 100 字" required>
            <input {...inputProps('subject', errors)} maxLength={100} autoComplete="off" value={v.subject} onInput={set('subject')} />
          </Field>
          <Field label="投诉内容" name="content" error={errors.content} hint="按投诉人原意记录，加密保存" required>
            <textarea {...inputProps('content', errors)} maxLength={4000} rows={5} value={v.content} onInput={set('content')} />
          </Field>
        </fieldset>
        <fieldset class="grid">
          <legend>投诉人与关联信息（选填）</legend>
          <Field label="投诉人姓名" name="complainant.name" error={errors['complainant.name']}>
            <input {...inputProps('complainant.name', errors)} maxLength={50} autoComplete="off" value={v.name} onInput={set('name')} />
          </Field>
          <Field label="联系电话" name="complainant.phone" error={errors['complainant.phone']} hint="用于回复，加密保存，仅显示掩码">
            <input {...inputProps('complainant.phone', errors)} type="tel" maxLength={20} autoComplete="off" value={v.phone} onInput={set('phone')} />
          </Field>
          <Field label="关联办件" name="caseRef" error={errors.caseRef} hint="办件标识，如 cs_ 开头">
            <input {...inputProps('caseRef', errors)} maxLength={19} autoComplete="off" value={v.caseRef} onInput={set('caseRef')} />
          </Field>
          <Field label="涉及窗口" name="windowId" error={errors.windowId} hint={`窗口编号，本窗口为 ${me.window.id}`}>
            <input {...inputProps('windowId', errors)} maxLength={64} autoComplete="off" value={v.windowId} onInput={set('windowId')} />
          </Field>
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary" disabled={form.busy}>{form.busy ? '正在登记…' : '登记投诉'}</button>
          <a class="button" href="#/complaints">取消</a>
        </div>
      </form>
    </section>
  );
}
