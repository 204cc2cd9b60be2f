/** Chinese words for the case screens' codes (the shared ones are in lib/labels.ts). */
export const HOPS: Record<string, string> = {
  transfer: '转办', accept: '受理', supplement: '补正', decide: '审查办结', ship: '出证寄送', deliver: '送达',
};

export const CASE_ROLES: Record<string, string> = { intake: '收件', handling: '办理' };

export const APPLICANT_KINDS: Record<string, string> = { person: '个人', organization: '法人及其他组织' };

export const ID_TYPES_BY_KIND: Record<string, string[]> = {
  person: ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit'],
  organization: ['uscc'],
};

export const IDENTITY_METHODS: Record<string, string> = {
  id_card_reader: '身份证读卡器', face_recognition: '人脸识别比对', e_license: '电子证照核验', manual: '人工核验原件',
};

export const IDENTITY_RESULTS: Record<string, string> = { passed: '核验通过', failed: '核验未通过' };

export const OUTCOMES: Record<string, string> = { approved: '准予', denied: '不予' };

export const SHIPMENT_DIRECTIONS: Record<string, string> = {
  originals_to_handling: '原件寄往办理地', result_to_window: '结果寄回收件窗口', result_to_applicant: '结果寄给申请人',
};

export const SHIPMENT_STATUSES: Record<string, string> = { in_transit: '运输中', delivered: '已签收', lost: '丢失', returned: '退回' };

export const CARRIERS: Record<string, string> = {
  EMS: '邮政EMS', SF: '顺丰速运', JD: '京东物流', ZTO: '中通快递', YTO: '圆通速递', STO: '申通快递', YUNDA: '韵达快递', CHINAPOST: '中国邮政',
};

export const EVIDENCE_KINDS: Record<string, string> = {
  request_sent: '发出请求', request_received: '收到请求', response_sent: '发出应答', response_received: '收到应答',
};

/** Where a step is kept rather than in §7.2: the intake and the transfer's receipt. */
export const LOCAL_STEPS: Record<string, string> = { intake: '窗口收件', transfer_received: '办理地签收（回执）' };

/** `clerk:<id>`, `back-office:<member>`, `member:<id>` as a clerk reads them. */
export function actorText(actor: string | undefined, memberName: (id: string) => string): string {
  if (!actor) return '—';
  const [kind, who = ''] = actor.split(/:(.*)/s, 2);
  if (kind === 'clerk') return `工作人员 ${who}`;
  if (kind === 'back-office') return `${memberName(who)} 业务系统`;
  if (kind === 'member') return memberName(who);
  return actor;
}
