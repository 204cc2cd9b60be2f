import { nameFields } from '../../lib/errors';
import { CARRIERS, OUTCOMES } from './case-labels';
import type { CaseAction } from './case-rules';

/** One field of an action's small form; `name` is the API path, so the gateway's errors land on it. */
export interface FieldSpec {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'select';
  required?: boolean;
  options?: Record<string, string>;
  hint?: string;
  /** A format the gateway insists on, and what to say when it is not met. */
  pattern?: [RegExp, string];
  max?: number;
}

export interface ActionSpec { fields: FieldSpec[]; build: (v: Record<string, string>) => { note?: string; data?: Record<string, unknown> } }

const note = (label: string, required = false): FieldSpec => ({ name: 'note', label, kind: 'textarea', required, max: 1000 });
const noteOnly = (v: Record<string, string>) => (v.note ? { note: v.note } : {});
const carrierNames = Object.fromEntries(Object.values(CARRIERS).map((n) => [n, n]));

nameFields({
  note: '说明', data: '事件内容', 'data.outcome': '办理结果', 'data.documentNo': '决定文书编号', 'data.carrier': '快递公司', 'data.trackingNo': '运单号',
  'data.items': '需补正的材料', 'data.items.*.name': '材料名称', 'data.items.*.reason': '补正原因', 'data.deadline': '补正期限', 'data.materials': '补正材料',
});

/** The simple actions: a note and a few fields each. Supplements have their own forms. */
export const ACTION_SPECS: Partial<Record<CaseAction, ActionSpec>> = {
  accepted: { fields: [note('受理意见')], build: noteOnly },
  rejected: { fields: [note('不予受理理由', true)], build: noteOnly },
  decided: {
    fields: [
      { name: 'data.outcome', label: '办理结果', kind: 'select', required: true, options: OUTCOMES },
      { name: 'data.documentNo', label: '决定文书编号', kind: 'text', max: 100, hint: '选填' },
      note('办结说明'),
    ],
    build: (v) => ({ ...noteOnly(v), data: { outcome: v['data.outcome'], ...(v['data.documentNo'] ? { documentNo: v['data.documentNo'] } : {}) } }),
  },
  result_issued: { fields: [note('出证说明（如证照编号）')], build: noteOnly },
  shipped: {
    fields: [
      { name: 'data.carrier', label: '快递公司', kind: 'select', required: true, options: carrierNames },
      { name: 'data.trackingNo', label: '运单号', kind: 'text', required: true, pattern: [/^[A-Z0-9]{6,32}$/, '运单号应为 6-32 位大写字母或数字'] },
      note('寄送说明'),
    ],
    build: (v) => ({ ...noteOnly(v), data: { carrier: v['data.carrier'], trackingNo: v['data.trackingNo'] } }),
  },
  delivered: { fields: [note('签收说明')], build: noteOnly },
  withdrawn: { fields: [note('撤回原因', true)], build: noteOnly },
};

/** Client-side checks of a spec's fields; the Chinese problem by field. */
export function checkSpec(spec: ActionSpec, v: Record<string, string>): Record<string, string> {
  const e: Record<string, string> = {};
  for (const f of spec.fields) {
    const x = v[f.name] ?? '';
    if (f.required && !x) e[f.name] = `${f.label}为必填项`;
    else if (x && f.max && x.length > f.max) e[f.name] = `${f.label}不超过 ${f.max} 个字`;
    else if (x && f.pattern && !f.pattern[0].test(x)) e[f.name] = f.pattern[1];
  }
  return e;
}
