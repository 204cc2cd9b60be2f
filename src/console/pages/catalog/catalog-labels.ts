/** Chinese words for the catalog's codes (GB/T 39554.1 terms where there are some). */
export const REQUIREMENTS: Record<string, string> = { required: '必需', optional: '容缺', conditional: '情形' };

export const TRUST_LEVELS: Record<string, string> = {
  A: 'A 电子签章', B: 'B 窗口核验原件', C: 'C 上传待核验', D: 'D 申请人承诺',
};

export const RESULT_KINDS: Record<string, string> = { certificate: '证照', approval: '批准文书', other: '其他结果' };

export const PROVENANCE: Record<string, string> = { verified: '已核实（国家清单）', unverified: '未核实', local: '联盟自定事项' };

/** 法定/承诺办结时限 in working days; 0 is handled on the spot (即办件). */
export const workingDays = (days: number): string => (days === 0 ? '即办' : `${days} 个工作日`);
