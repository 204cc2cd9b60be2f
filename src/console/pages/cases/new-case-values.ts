import type { Item, Mode } from '../catalog/types';
import { checkIdNumber } from './id-check';

/** The new-case form as the clerk fills it; `body` turns it into POST /api/v1/cases once `check` passes. */
export interface NewCaseValues {
  mode: string;
  kind: 'person' | 'organization';
  name: string;
  idType: string;
  idNumber: string;
  phone: string;
  idMethod: string;
  idResult: string;
  delivery: string;
  address: string;
  consent: boolean;
}

export const EMPTY_VALUES: NewCaseValues = {
  mode: '', kind: 'person', name: '', idType: 'resident_id', idNumber: '', phone: '',
  idMethod: 'id_card_reader', idResult: '', delivery: '', address: '', consent: false,
};

/** The item's modes some member handles it in; 多地联办 needs its steps planned, which this form does not do. */
export function offeredModes(item: Item): Mode[] {
  return item.modes.filter((m) => item.offeredBy.some((o) => o.modes.includes(m)));
}

export const IDENTITY_FAILED = '身份核验未通过，不能继续收件：请申请人持有效证件重新核验，或改用其他核验方式';

/** Every problem at its field (the API's path), in Chinese; empty when the form may be sent. */
export function check(item: Item | null, v: NewCaseValues): Record<string, string> {
  const e: Record<string, string> = {};
  if (!item) e.itemCode = '请先选择办理事项';
  if (!v.mode) e.mode = '请选择办理方式';
  else if (v.mode === 'joint') e.mode = '多地联办需配置联办环节，请通过联办流程收件';
  if (!v.name.trim()) e['applicant.name'] = v.kind === 'person' ? '申请人姓名为必填项' : '单位名称为必填项';
  else if (v.name.trim().length > 100) e['applicant.name'] = '名称不超过 100 个字';
  if (!v.idType) e['applicant.idType'] = '请选择证件类型';
  const id = checkIdNumber(v.idType, v.idNumber);
  if (id.problem) e['applicant.idNumber'] = id.problem;
  if (v.phone.trim() && !/^[0-9+\- ]{5,20}$/.test(v.phone.trim())) e['applicant.phone'] = '联系电话应为 5-20 位数字（可含 +、-、空格）';
  if (!v.idMethod) e['identityCheck.method'] = '请选择核验方式';
  if (!v.idResult) e['identityCheck.result'] = '请填写身份核验结果';
  else if (v.idResult === 'failed') e['identityCheck.result'] = IDENTITY_FAILED;
  if (!v.delivery) e['delivery.method'] = '请选择送达方式';
  else if (v.delivery === 'post' && !v.address.trim()) e['delivery.address'] = '邮寄送达需要填写收件地址';
  if (!v.consent) e['consent.dataSharing'] = '须经申请人同意跨地区共享办件数据，方可收件';
  return e;
}

export function body(item: Item, v: NewCaseValues) {
  const phone = v.phone.trim();
  return {
    itemCode: item.code,
    mode: v.mode,
    applicant: { kind: v.kind, name: v.name.trim(), idType: v.idType, idNumber: checkIdNumber(v.idType, v.idNumber).value, ...(phone ? { phone } : {}) },
    identityCheck: { method: v.idMethod, result: v.idResult },
    delivery: { method: v.delivery, ...(v.delivery === 'post' ? { address: v.address.trim() } : {}) },
    consent: { dataSharing: true, at: new Date().toISOString() },
  };
}

/** Chinese names of the paths the form sends, for the gateway's field errors. */
export const NEW_CASE_FIELDS: Record<string, string> = {
  itemCode: '事项', mode: '办理方式', 'applicant.kind': '申请人类型', 'applicant.name': '申请人名称', 'applicant.idType': '证件类型',
  'applicant.idNumber': '证件号码', 'applicant.phone': '联系电话', 'identityCheck.method': '核验方式', 'identityCheck.result': '核验结果',
  'delivery.method': '送达方式', 'delivery.address': '收件地址', 'consent.dataSharing': '数据共享授权', 'consent.at': '授权时间',
};
