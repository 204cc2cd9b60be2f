/** Chinese names of the API's codes, in one place so every screen says the same thing. */
export const CASE_STATES: Record<string, string> = {
  intake: '收件', transferring: '转办中', received: '已签收', accepted: '已受理', rejected: '不予受理',
  supplement_requested: '待补正', under_review: '审查中', decided: '已办结', result_issued: '已出证',
  shipped: '已寄送', delivered: '已送达', evaluated: '已评价', archived: '已归档', withdrawn: '已撤回', returned: '已退件',
};

export const EVENT_TYPES: Record<string, string> = {
  accepted: '受理', rejected: '不予受理', supplement_requested: '要求补正', supplement_provided: '提交补正材料',
  decided: '办结', result_issued: '出证', shipped: '寄送', delivered: '送达', withdrawn: '撤回', returned: '退件', closed: '归档',
};

export const MODES: Record<string, string> = { online: '全程网办', proxy_intake: '异地代收代办', joint: '多地联办' };

export const ROLES: Record<string, string> = { intake: '收件窗口', handling: '办理窗口', supervisor: '主管' };

export const DELIVERY: Record<string, string> = { window: '窗口领取', post: '邮寄送达', electronic: '电子送达' };

export const EVALUATION_LEVELS: Record<number, string> = { 5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意' };

export const EVALUATION_STAGES: Record<string, string> = { accepted: '受理', finished: '办结' };

export const EVALUATION_CHANNELS: Record<string, string> = {
  window: '窗口评价器', pad: '平板评价器', web: '网站', app: '移动端', sms: '短信', hotline: '12345 热线', qr: '扫码评价',
};

export const FOLLOW_UP_STATES: Record<string, string> = { open: '待回访', called_back: '已回访，待整改', remedied: '已整改，待办结', closed: '已办结' };

export const COMPLAINT_CHANNELS: Record<string, string> = {
  network: '网络', window: '实体窗口', hotline: '热线电话', suggestion_box: '意见箱(簿)', mail: '邮箱',
};

export const COMPLAINT_CATEGORIES: Record<string, string> = {
  attitude: '服务态度', efficiency: '办事效率', process: '办事流程', system: '系统故障', integrity: '廉洁纪律', other: '其他',
};

export const COMPLAINT_STATES: Record<string, string> = { open: '待回复', replied: '已回复', closed: '已办结' };

export const ID_TYPES: Record<string, string> = {
  resident_id: '居民身份证', passport: '护照', hk_macao_permit: '港澳居民来往内地通行证', taiwan_permit: '台湾居民来往大陆通行证',
  uscc: '统一社会信用代码',
};

export const label = (table: Record<string | number, string>, key: string | number | null | undefined): string =>
  key === null || key === undefined ? '—' : table[key] ?? String(key);
