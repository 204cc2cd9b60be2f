import { useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { nameFields } from '../../lib/errors';
import { Banner, Field, inputProps, useForm } from '../../ui/form';
import { CARRIERS, SHIPMENT_DIRECTIONS, SHIPMENT_STATUSES } from './case-labels';
import { focusInvalid } from './event-form';

nameFields({ direction: '寄递方向', carrier: '快递公司', trackingNo: '运单号', status: '物流状态', at: '时间', location: '地点' });

/** Which side sends a parcel (the gateway's DIRECTION_SENDERS). */
const DIRECTIONS: Record<string, string[]> = {
  intake: ['originals_to_handling', 'result_to_applicant'],
  handling: ['result_to_window', 'result_to_applicant'],
};
const TRACKING = /^[A-Z0-9]{6,32}$/;
const value = (e: Event) => (e.target as HTMLInputElement).value;

/** 登记寄递: a parcel of the case, by carrier and tracking number. */
export function NewShipmentForm(p: { caseRef: string; side: string; onDone: () => void }) {
  const [v, setV] = useState({ direction: DIRECTIONS[p.side]?.[0] ?? '', carrier: '', other: '', trackingNo: '' });
  const form = useForm();
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const carrier = v.carrier === 'other' ? `other:${v.other.trim()}` : v.carrier;
    const trackingNo = v.trackingNo.trim().toUpperCase();
    const problems: Record<string, string> = {};
    if (!v.direction) problems.direction = '请选择寄递方向';
    if (!v.carrier) problems.carrier = '请选择快递公司';
    else if (v.carrier === 'other' && !/^[^\s:][^:]{0,47}$/.test(v.other.trim())) problems.carrier = '请填写快递公司名称（不超过 48 个字，不含冒号）';
    if (!TRACKING.test(trackingNo)) problems.trackingNo = '运单号应为 6-32 位大写字母或数字';
    if (Object.keys(problems).length) { form.setErrors(problems); focusInvalid(); return; }
    const ok = await form.submit(async () => {
      await api(`/api/v1/cases/${encodeURIComponent(p.caseRef)}/shipments`, { method: 'POST', body: { direction: v.direction, carrier, trackingNo } });
    });
    if (ok) { setV({ ...v, trackingNo: '', other: '' }); p.onDone(); }
  };
  const e = form.errors;
  return (
    <form class="filters" noValidate onSubmit={onSubmit} aria-label="登记寄递">
      <Field label="寄递方向" name="direction" error={e.direction} required>
        <select {...inputProps('direction', e)} value={v.direction} onChange={(x) => setV({ ...v, direction: value(x) })}>
          {(DIRECTIONS[p.side] ?? []).map((d) => <option key={d} value={d}>{SHIPMENT_DIRECTIONS[d]}</option>)}
        </select>
      </Field>
      <Field label="快递公司" name="carrier" error={e.carrier} required>
        <select {...inputProps('carrier', e)} value={v.carrier} onChange={(x) => setV({ ...v, carrier: value(x) })}>
          <option value="">请选择</option>
          {Object.entries(CARRIERS).map(([k, t]) => <option key={k} value={k}>{t}</option>)}
          <option value="other">其他</option>
        </select>
      </Field>
      {v.carrier === 'other' ? (
        <Field label="其他快递公司名称" name="carrier-other">
          <input id="f-carrier-other" maxLength={48} value={v.other} onInput={(x) => setV({ ...v, other: value(x) })} />
        </Field>
      ) : null}
      <Field label="运单号" name="trackingNo" error={e.trackingNo} required>
        <input {...inputProps('trackingNo', e)} maxLength={32} autoComplete="off" value={v.trackingNo} onInput={(x) => setV({ ...v, trackingNo: value(x) })} />
      </Field>
      <div class="actions"><button type="submit" class="primary" disabled={form.busy}>{form.busy ? '正在登记…' : '登记寄递'}</button></div>
      <Banner message={form.banner} />
    </form>
  );
}

/** 添加物流轨迹: a scan or a status of a parcel in transit, at a China time. */
export function ShipmentEventForm(p: { caseRef: string; shipmentId: string; onDone: () => void }) {
  const [v, setV] = useState({ status: 'in_transit', at: '', location: '', note: '' });
  const form = useForm();
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!v.at) problems.at = '请填写时间';
    else if (new Date(`${v.at}:00+08:00`).getTime() > Date.now() + 10 * 60_000) problems.at = '时间不能晚于现在';
    if (v.location.length > 200) problems.location = '地点不超过 200 个字';
    if (Object.keys(problems).length) { form.setErrors(problems); focusInvalid(); return; }
    const body = { status: v.status, at: `${v.at}:00+08:00`, ...(v.location.trim() ? { location: v.location.trim() } : {}), ...(v.note.trim() ? { note: v.note.trim() } : {}) };
    const ok = await form.submit(async () => {
      await api(`/api/v1/cases/${encodeURIComponent(p.caseRef)}/shipments/${encodeURIComponent(p.shipmentId)}/events`, { method: 'POST', body });
    });
    if (ok) p.onDone();
  };
  const e = form.errors;
  return (
    <form class="filters" noValidate onSubmit={onSubmit} aria-label="添加物流轨迹">
      <Field label="物流状态" name="status" error={e.status} required>
        <select {...inputProps('status', e)} value={v.status} onChange={(x) => setV({ ...v, status: value(x) })}>
          {Object.entries(SHIPMENT_STATUSES).map(([k, t]) => <option key={k} value={k}>{t}</option>)}
        </select>
      </Field>
      <Field label="时间" name="at" error={e.at} required>
        <input {...inputProps('at', e)} type="datetime-local" value={v.at} onInput={(x) => setV({ ...v, at: value(x) })} />
      </Field>
      <Field label="地点" name="location" error={e.location}>
        <input {...inputProps('location', e)} maxLength={200} value={v.location} onInput={(x) => setV({ ...v, location: value(x) })} />
      </Field>
      <Field label="备注" name="note" error={e.note}>
        <input {...inputProps('note', e)} maxLength={1000} value={v.note} onInput={(x) => setV({ ...v, note: value(x) })} />
      </Field>
      <div class="actions"><button type="submit" class="primary" disabled={form.busy}>{form.busy ? '正在保存…' : '保存轨迹'}</button></div>
      <Banner message={form.banner} />
    </form>
  );
}
