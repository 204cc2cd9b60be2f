// Writes partners/catalog/items.json, the alliance's default catalog (120 items), and checks every record
// against catalogItemSchema. Run: npx tsx scripts/generate-catalog.ts
// National rows come from /work/shared/catalog/national-items.csv (copied below with their status and
// source); every other item is the alliance's own list and says so (provenance `local`).
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogItemSchema, type CatalogItem, type Material } from '../src/services/catalog/item-schema';

const OUT = fileURLToPath(new URL('../partners/catalog/items.json', import.meta.url));
const LOCAL_NOTE = '联盟自定事项：the alliance\'s own list, not the national 跨省通办 list';
const UNVERIFIED_NOTE = '常见的跨省通办事项名称；未在国家清单原文中核实 (membership in the national list not confirmed)';
const S1 = 'http://www.aishengyuanaijiu.com/news/guonei/2020-12-17/1153874.html';
const S2 = 'https://english.www.gov.cn/premier/news/202009/18/content_WS5f647e96c6d0f7257693c361.html';
const S3 = 'http://scxb.com.cn/html/2021-01/04/content_307172.htm';
const S4 = 'http://wap.guchengnews.com/p/133078.html';
const S5 = 'http://mbji.cn/mbji/跨省通办/53801886';

type Mode = CatalogItem['modes'][number];
type Delivery = CatalogItem['deliveryMethods'][number];

// ---- materials -------------------------------------------------------------------------------
const m = (id: string, name: string, form: Material['form'], trustLevel: Material['trustLevel'], extra: Partial<Material> = {}): Material =>
  ({ id, name, form, copies: 1, requirement: 'required', trustLevel, ...extra });
const when = (condition: string): Partial<Material> => ({ requirement: 'conditional', condition });

const idCard = m('id-card', '居民身份证', '原件', 'B');
const idCardE = m('id-card', '居民身份证（电子证照）', '电子', 'A');
const form = (name = '申请表') => m('application', name, '原件', 'D');
const formE = (name = '申请表') => m('application', name, '电子', 'D');
const proxy = [
  m('power-of-attorney', '授权委托书', '原件', 'D', when('委托他人代办时')),
  m('agent-id-card', '代理人居民身份证', '原件', 'B', when('委托他人代办时')),
];
const licence = m('business-licence', '营业执照', '原件', 'B');
const licenceE = m('business-licence', '营业执照（电子营业执照）', '电子', 'A');
const photo = m('photo', '近期一寸白底免冠彩色照片', '原件', 'C', { copies: 2 });
const household = m('household-register', '居民户口簿', '原件', 'B');
const marriage = m('marriage-certificate', '结婚证', '原件', 'B');
const ssCard = m('social-security-card', '社会保障卡', '原件', 'B');
const property = m('property-certificate', '不动产权证书', '原件', 'B');
const loanContract = m('loan-contract', '借款合同', '原件', 'B');
const bankCard = m('bank-card', '本人银行借记卡', '复印件', 'C');
const meeting = (name: string) => m('resolution', name, '原件', 'C');
const driving = m('driving-licence', '机动车驾驶证', '原件', 'B');
const vehicleLicence = m('vehicle-licence', '机动车行驶证', '原件', 'B');
const health = m('health-certificate', '机动车驾驶人身体条件证明', '原件', 'C');
const transferPaper = (name: string) => m('transfer-paper', name, '原件', 'A');
const notaryBase = [idCard, form('公证申请表'), ...proxy];
const companyBase = (what: string) => [form(`${what}申请书`), m('signatory-id', '法定代表人（负责人）身份证明', '复印件', 'C'), ...proxy];
const elderProof = m('id-card', '居民身份证或社会保障卡', '原件', 'B');

// ---- item shapes ------------------------------------------------------------------------------
interface Spec {
  name: string;
  itemType: CatalogItem['itemType'];
  modes: Mode[];
  materials: Material[];
  days: [statutory: number, promised: number];
  result: CatalogItem['resultKind'];
  eLicence?: boolean;
  delivery: Delivery[];
  /** The CSV row, for national items. */
  national?: { status: 'verified'; source: string } | { status: 'unverified' };
}

const V = (source: string) => ({ status: 'verified' as const, source });
const U = { status: 'unverified' as const };
const PROXY: Mode[] = ['proxy_intake'];
const BOTH: Mode[] = ['online', 'proxy_intake'];
const JOINT: Mode[] = ['joint'];
const WP: Delivery[] = ['window', 'post'];
const WPE: Delivery[] = ['window', 'post', 'electronic'];
const E: Delivery[] = ['electronic'];
const WE: Delivery[] = ['window', 'electronic'];

const FAMILIES: { family: string; department: string; items: Spec[] }[] = [
  { family: 'SCZT', department: '市场监管总局', items: [
    { name: '内资企业及分支机构设立登记', itemType: '行政许可', modes: BOTH, materials: [...companyBase('设立登记'), m('articles', '公司章程', '原件', 'C'), m('premises', '住所（经营场所）使用证明', '复印件', 'C'), meeting('股东决定或股东会决议'), m('officer-appointment', '法定代表人、董事、监事和经理的任职文件', '复印件', 'C')], days: [15, 3], result: 'certificate', eLicence: true, delivery: WPE, national: V(S1) },
    { name: '个体工商户登记', itemType: '行政许可', modes: BOTH, materials: [form('个体工商户登记（备案）申请书'), idCard, m('premises', '经营场所使用证明', '复印件', 'C'), ...proxy], days: [15, 1], result: 'certificate', eLicence: true, delivery: WPE, national: U },
    { name: '农民专业合作社登记', itemType: '行政许可', modes: PROXY, materials: [form('农民专业合作社登记（备案）申请书'), m('articles', '农民专业合作社章程', '原件', 'C'), m('members', '成员名册及成员身份证明', '复印件', 'C'), meeting('设立大会纪要'), m('premises', '住所使用证明', '复印件', 'C'), ...proxy], days: [15, 3], result: 'certificate', eLicence: true, delivery: WPE, national: U },
    { name: '工业产品生产许可证', itemType: '行政许可', modes: BOTH, materials: [form('工业产品生产许可证申请书'), licenceE, m('inspection-report', '产品检验合格报告', '复印件', 'C'), m('self-check', '企业自查报告及质量安全承诺', '原件', 'D')], days: [60, 30], result: 'certificate', eLicence: true, delivery: WPE, national: V(S2) },
    { name: '特种设备作业人员资格认定', itemType: '行政许可', modes: PROXY, materials: [form('特种设备作业人员资格申请表'), idCard, photo, m('exam-result', '考试合格证明', '复印件', 'C'), m('education', '学历证明', '复印件', 'C')], days: [20, 15], result: 'certificate', eLicence: true, delivery: WP, national: U },
    { name: '有限责任公司变更登记', itemType: '行政许可', modes: BOTH, materials: [...companyBase('变更登记'), licence, meeting('变更决议或决定'), m('articles-amendment', '章程修正案', '原件', 'C')], days: [15, 3], result: 'certificate', eLicence: true, delivery: WPE },
    { name: '有限责任公司注销登记', itemType: '行政许可', modes: BOTH, materials: [...companyBase('注销登记'), meeting('股东会解散决议'), m('liquidation-report', '清算报告', '原件', 'C'), licence], days: [15, 3], result: 'approval', delivery: WPE },
    { name: '有限责任公司备案（董事、监事、经理）', itemType: '行政备案', modes: ['online'], materials: [formE('备案申请书'), m('resolution', '任免职文件', '电子', 'C'), licenceE], days: [5, 1], result: 'other', delivery: E },
    { name: '分公司变更登记', itemType: '行政许可', modes: BOTH, materials: [...companyBase('分公司变更登记'), licence, m('parent-licence', '隶属公司营业执照', '复印件', 'C')], days: [15, 3], result: 'certificate', eLicence: true, delivery: WPE },
    { name: '分公司注销登记', itemType: '行政许可', modes: BOTH, materials: [...companyBase('分公司注销登记'), licence, m('parent-decision', '隶属公司注销分公司的决定', '原件', 'C')], days: [15, 3], result: 'approval', delivery: WPE },
    { name: '个体工商户变更登记', itemType: '行政许可', modes: BOTH, materials: [form('个体工商户变更登记申请书'), idCard, licence, ...proxy], days: [15, 1], result: 'certificate', eLicence: true, delivery: WPE },
    { name: '个体工商户注销登记', itemType: '行政许可', modes: BOTH, materials: [form('个体工商户注销登记申请书'), idCard, licence, ...proxy], days: [15, 1], result: 'approval', delivery: WPE },
    { name: '农民专业合作社变更登记', itemType: '行政许可', modes: PROXY, materials: [form('农民专业合作社变更登记申请书'), licence, meeting('成员大会或成员代表大会决议'), ...proxy], days: [15, 3], result: 'certificate', eLicence: true, delivery: WPE },
    { name: '农民专业合作社注销登记', itemType: '行政许可', modes: PROXY, materials: [form('农民专业合作社注销登记申请书'), licence, meeting('解散决议'), m('liquidation-report', '清算报告', '原件', 'C'), ...proxy], days: [15, 3], result: 'approval', delivery: WPE },
    { name: '农民专业合作社备案（章程修改、成员变动）', itemType: '行政备案', modes: BOTH, materials: [form('农民专业合作社备案申请书'), m('articles-amendment', '章程修正案或成员变动名册', '原件', 'C'), licenceE], days: [5, 1], result: 'other', delivery: WE },
    { name: '营业执照遗失补领', itemType: '公共服务', modes: BOTH, materials: [form('营业执照补领申请书'), m('loss-statement', '遗失声明', '原件', 'D'), ...proxy], days: [5, 1], result: 'certificate', eLicence: true, delivery: WPE },
    { name: '企业简易注销登记', itemType: '行政许可', modes: ['online'], materials: [formE('简易注销申请书'), m('all-investors-pledge', '全体投资人承诺书', '电子', 'D'), licenceE], days: [3, 1], result: 'approval', delivery: E },
    { name: '食品经营许可', itemType: '行政许可', modes: BOTH, materials: [form('食品经营许可申请书'), licenceE, m('layout', '经营场所平面图和设备布局图', '原件', 'C'), m('safety-rules', '食品安全管理制度', '原件', 'C')], days: [20, 10], result: 'certificate', eLicence: true, delivery: WPE },
  ] },
  { family: 'GJJ', department: '住房和城乡建设部', items: [
    { name: '正常退休提取住房公积金', itemType: '公共服务', modes: BOTH, materials: [idCard, m('retirement-proof', '退休证明', '复印件', 'C'), bankCard, ...proxy], days: [3, 0], result: 'other', delivery: WE, national: V(S1) },
    { name: '住房公积金转移接续', itemType: '公共服务', modes: ['online'], materials: [idCardE, formE('住房公积金异地转移接续申请表'), m('new-account', '转入地住房公积金账户信息', '电子', 'A')], days: [15, 5], result: 'other', delivery: E, national: V(S4) },
    { name: '购房提取住房公积金', itemType: '公共服务', modes: BOTH, materials: [idCard, m('purchase-contract', '购房合同或不动产权证书', '复印件', 'C'), m('invoice', '购房发票', '复印件', 'C'), marriage, bankCard, ...proxy], days: [3, 1], result: 'other', delivery: WE, national: V(S1) },
    { name: '住房公积金单位登记开户', itemType: '公共服务', modes: BOTH, materials: [form('住房公积金单位登记开户申请表'), licenceE, m('handler-id', '经办人居民身份证', '原件', 'B')], days: [3, 1], result: 'other', delivery: WE, national: U },
    { name: '个人住房公积金缴存贷款等信息查询', itemType: '公共服务', modes: ['online'], materials: [idCardE], days: [0, 0], result: 'other', delivery: E, national: U },
    { name: '出具贷款职工住房公积金缴存使用证明', itemType: '公共服务', modes: BOTH, materials: [idCard, form('缴存使用证明申请表'), ...proxy], days: [1, 0], result: 'other', delivery: WPE, national: U },
    { name: '开具住房公积金个人住房贷款全部还清证明', itemType: '公共服务', modes: BOTH, materials: [idCard, loanContract, ...proxy], days: [3, 1], result: 'other', delivery: WPE, national: U },
    { name: '提前还清住房公积金贷款', itemType: '公共服务', modes: BOTH, materials: [idCard, loanContract, bankCard, ...proxy], days: [5, 1], result: 'other', delivery: WE, national: U },
    { name: '租房提取住房公积金', itemType: '公共服务', modes: BOTH, materials: [idCard, m('lease', '房屋租赁合同', '复印件', 'C'), m('no-house-pledge', '无房声明', '原件', 'D'), bankCard], days: [3, 1], result: 'other', delivery: WE },
    { name: '偿还住房贷款本息提取住房公积金', itemType: '公共服务', modes: BOTH, materials: [idCard, loanContract, m('repayment-record', '还款明细', '复印件', 'C'), bankCard], days: [3, 1], result: 'other', delivery: WE },
    { name: '离职提取住房公积金（解除劳动合同）', itemType: '公共服务', modes: PROXY, materials: [idCard, m('termination', '解除劳动合同证明', '复印件', 'C'), bankCard, ...proxy], days: [5, 3], result: 'other', delivery: WE },
    { name: '出境定居提取住房公积金', itemType: '公共服务', modes: PROXY, materials: [idCard, m('household-cancelled', '户口注销证明', '原件', 'A'), bankCard, ...proxy], days: [5, 3], result: 'other', delivery: WE },
    { name: '职工死亡或被宣告死亡提取住房公积金', itemType: '公共服务', modes: PROXY, materials: [m('heir-id', '继承人或受遗赠人居民身份证', '原件', 'B'), m('death-proof', '死亡证明或宣告死亡判决书', '复印件', 'C'), m('inheritance', '继承权或受遗赠权公证书', '原件', 'B'), bankCard], days: [10, 5], result: 'other', delivery: WE },
    { name: '重大疾病提取住房公积金', itemType: '公共服务', modes: PROXY, materials: [idCard, m('diagnosis', '二级以上医院诊断证明', '原件', 'C'), m('medical-invoices', '医疗费用票据', '复印件', 'C'), household, bankCard], days: [5, 3], result: 'other', delivery: WE },
    { name: '住房公积金个人住房贷款申请', itemType: '公共服务', modes: PROXY, materials: [idCard, marriage, m('purchase-contract', '购房合同', '原件', 'B'), m('income', '收入证明', '原件', 'C'), m('deposit-proof', '贷款职工住房公积金缴存使用证明', '原件', 'A', when('在异地缴存住房公积金时'))], days: [20, 15], result: 'approval', delivery: WP },
    { name: '住房公积金贷款部分提前还款', itemType: '公共服务', modes: BOTH, materials: [idCard, loanContract, bankCard], days: [3, 1], result: 'other', delivery: WE },
    { name: '住房公积金个人缴存证明', itemType: '公共服务', modes: BOTH, materials: [idCard, ...proxy], days: [1, 0], result: 'other', delivery: WPE },
    { name: '住房公积金单位缴存信息变更', itemType: '公共服务', modes: BOTH, materials: [form('单位缴存信息变更登记表'), licenceE, m('handler-id', '经办人居民身份证', '原件', 'B')], days: [3, 1], result: 'other', delivery: WE },
    { name: '职工住房公积金个人账户设立', itemType: '公共服务', modes: ['online'], materials: [formE('职工个人账户设立清册'), m('employee-ids', '职工居民身份证信息', '电子', 'A')], days: [3, 0], result: 'other', delivery: E },
    { name: '住房公积金个人账户封存与启封', itemType: '公共服务', modes: ['online'], materials: [formE('个人账户封存（启封）申请表'), licenceE], days: [3, 1], result: 'other', delivery: E },
  ] },
  { family: 'SB', department: '人力资源社会保障部', items: [
    { name: '企业职工基本养老保险关系转移接续', itemType: '公共服务', modes: BOTH, materials: [idCard, formE('基本养老保险关系转移接续申请表'), m('insured-proof', '参保缴费凭证', '电子', 'A')], days: [45, 15], result: 'other', delivery: WE, national: V(S1) },
    { name: '城乡居民基本养老保险关系转移接续', itemType: '公共服务', modes: BOTH, materials: [idCard, household, form('城乡居民基本养老保险关系转移申请表')], days: [45, 15], result: 'other', delivery: WE, national: V(S1) },
    { name: '电子社会保障卡申领', itemType: '公共服务', modes: ['online'], materials: [idCardE, m('face-check', '人脸识别核验结果', '电子', 'A')], days: [0, 0], result: 'certificate', eLicence: true, delivery: E, national: V(S3) },
    { name: '社会保障卡申领', itemType: '公共服务', modes: BOTH, materials: [idCard, photo, form('社会保障卡申领登记表'), ...proxy], days: [20, 10], result: 'certificate', delivery: WP, national: V(S2) },
    { name: '社会保障卡挂失', itemType: '公共服务', modes: ['online'], materials: [idCardE], days: [0, 0], result: 'other', delivery: E },
    { name: '社会保障卡补换领', itemType: '公共服务', modes: BOTH, materials: [idCard, photo, ssCard, ...proxy], days: [20, 10], result: 'certificate', delivery: WP },
    { name: '社会保障卡信息变更', itemType: '公共服务', modes: BOTH, materials: [idCard, ssCard, m('change-proof', '身份信息变更证明', '原件', 'A')], days: [5, 1], result: 'other', delivery: WE },
    { name: '参保缴费凭证打印（社会保险个人权益记录）', itemType: '公共服务', modes: ['online'], materials: [idCardE], days: [0, 0], result: 'other', delivery: E },
    { name: '领取养老金人员待遇资格认证', itemType: '公共服务', modes: BOTH, materials: [elderProof], days: [0, 0], result: 'other', delivery: E },
    { name: '机关事业单位基本养老保险关系转移接续', itemType: '公共服务', modes: PROXY, materials: [idCard, form('机关事业单位基本养老保险关系转移接续申请表'), m('insured-proof', '参保缴费凭证', '原件', 'A')], days: [45, 20], result: 'other', delivery: WP },
    { name: '城乡居民基本养老保险参保登记', itemType: '公共服务', modes: BOTH, materials: [idCard, household, form('城乡居民基本养老保险参保登记表')], days: [5, 1], result: 'other', delivery: WE },
    { name: '丧葬补助金和抚恤金申领', itemType: '行政给付', modes: PROXY, materials: [m('death-proof', '死亡证明', '原件', 'B'), m('claimant-id', '申领人居民身份证', '原件', 'B'), m('relation-proof', '亲属关系证明', '原件', 'B'), bankCard], days: [20, 10], result: 'other', delivery: WP },
  ] },
  { family: 'RS', department: '人力资源社会保障部', items: [
    { name: '失业登记', itemType: '公共服务', modes: BOTH, materials: [idCard, m('termination', '解除或终止劳动关系证明', '复印件', 'C', when('原单位已出具时'))], days: [0, 0], result: 'other', delivery: E, national: V(S1) },
    { name: '职业资格证书核验', itemType: '公共服务', modes: ['online'], materials: [idCardE, m('qualification', '职业资格证书编号', '电子', 'D')], days: [1, 0], result: 'other', delivery: E, national: V(S2) },
    { name: '失业保险金申领', itemType: '行政给付', modes: BOTH, materials: [idCard, bankCard, m('termination', '解除或终止劳动关系证明', '复印件', 'C')], days: [15, 5], result: 'other', delivery: E, national: U },
    { name: '就业登记', itemType: '公共服务', modes: ['online'], materials: [idCardE, m('labour-contract', '劳动合同', '电子', 'C')], days: [0, 0], result: 'other', delivery: E },
    { name: '就业创业证申领', itemType: '公共服务', modes: BOTH, materials: [idCard, photo], days: [5, 1], result: 'certificate', eLicence: true, delivery: WPE },
    { name: '失业保险关系转移接续', itemType: '公共服务', modes: PROXY, materials: [idCard, form('失业保险关系转移申请表'), m('benefit-record', '失业保险金领取记录', '原件', 'A')], days: [15, 10], result: 'other', delivery: WP },
    { name: '职业技能等级证书查询核验', itemType: '公共服务', modes: ['online'], materials: [idCardE], days: [0, 0], result: 'other', delivery: E },
    { name: '流动人员人事档案转递', itemType: '公共服务', modes: PROXY, materials: [idCard, m('transfer-letter', '调档函', '原件', 'B'), ...proxy], days: [10, 5], result: 'other', delivery: ['post'] },
  ] },
  { family: 'HJ', department: '公安部', items: [
    { name: '开具户籍类证明', itemType: '公共服务', modes: BOTH, materials: [idCard, household, ...proxy], days: [5, 1], result: 'other', delivery: WPE, national: V(S5) },
    { name: '户口迁移（工作调动）', itemType: '行政确认', modes: JOINT, materials: [idCard, household, m('transfer-order', '工作调动证明（调令）', '原件', 'B'), transferPaper('准予迁入证明')], days: [20, 10], result: 'approval', delivery: WP, national: V(S5) },
    { name: '户口迁移（大中专院校录取学生）', itemType: '行政确认', modes: JOINT, materials: [idCard, household, m('admission', '录取通知书', '原件', 'B')], days: [20, 5], result: 'approval', delivery: WP, national: V(S5) },
    { name: '户口迁移（大中专学生毕业）', itemType: '行政确认', modes: JOINT, materials: [idCard, m('graduation', '毕业证书', '原件', 'B'), m('employment', '就业报到证或劳动合同', '复印件', 'C'), transferPaper('准予迁入证明')], days: [20, 10], result: 'approval', delivery: WP, national: V(S5) },
    { name: '户口迁移（夫妻投靠）', itemType: '行政确认', modes: JOINT, materials: [idCard, household, marriage, m('host-household', '投靠方居民户口簿', '原件', 'B'), transferPaper('准予迁入证明')], days: [20, 10], result: 'approval', delivery: WP, national: V(S5) },
    { name: '户口迁移（父母投靠子女）', itemType: '行政确认', modes: JOINT, materials: [idCard, household, m('relation-proof', '亲属关系证明', '原件', 'B'), m('host-household', '子女居民户口簿', '原件', 'B'), transferPaper('准予迁入证明')], days: [20, 10], result: 'approval', delivery: WP, national: V(S5) },
    { name: '开具亲属关系证明', itemType: '公共服务', modes: BOTH, materials: [idCard, household, ...proxy], days: [5, 1], result: 'other', delivery: WPE },
    { name: '开具注销户口证明', itemType: '公共服务', modes: BOTH, materials: [m('applicant-id', '申请人居民身份证', '原件', 'B'), m('relation-proof', '与被注销人关系证明', '原件', 'B')], days: [5, 1], result: 'other', delivery: WPE },
    { name: '开具户口登记项目变更更正证明', itemType: '公共服务', modes: BOTH, materials: [idCard, household, ...proxy], days: [5, 1], result: 'other', delivery: WPE },
    { name: '开具同一人证明（身份信息变更前后）', itemType: '公共服务', modes: BOTH, materials: [idCard, household, m('old-document', '载有变更前身份信息的证件或材料', '复印件', 'C')], days: [5, 1], result: 'other', delivery: WPE },
    { name: '居民身份证异地换领', itemType: '行政许可', modes: PROXY, materials: [idCard, photo], days: [60, 20], result: 'certificate', delivery: WP },
    { name: '居民身份证异地补领', itemType: '行政许可', modes: PROXY, materials: [household, photo, m('loss-statement', '身份证遗失声明', '原件', 'D')], days: [60, 20], result: 'certificate', delivery: WP },
    { name: '临时居民身份证申领', itemType: '行政许可', modes: PROXY, materials: [household, photo], days: [3, 0], result: 'certificate', delivery: ['window'] },
    { name: '户口迁移（人才引进）', itemType: '行政确认', modes: JOINT, materials: [idCard, household, m('talent-proof', '人才引进认定材料', '原件', 'B'), transferPaper('准予迁入证明')], days: [20, 10], result: 'approval', delivery: WP },
    { name: '户口迁移（购房落户）', itemType: '行政确认', modes: JOINT, materials: [idCard, household, property, transferPaper('准予迁入证明')], days: [20, 10], result: 'approval', delivery: WP },
    { name: '户口迁移（子女投靠父母）', itemType: '行政确认', modes: JOINT, materials: [idCard, household, m('birth-certificate', '出生医学证明', '原件', 'B'), m('host-household', '父母居民户口簿', '原件', 'B'), transferPaper('准予迁入证明')], days: [20, 10], result: 'approval', delivery: WP },
  ] },
  { family: 'GZ', department: '司法部', items: [
    { name: '机动车驾驶证公证', itemType: '公共服务', modes: BOTH, materials: [...notaryBase, driving], days: [15, 5], result: 'certificate', eLicence: true, delivery: WPE, national: V(S2) },
    { name: '学历公证', itemType: '公共服务', modes: BOTH, materials: [...notaryBase, m('diploma', '毕业证书', '原件', 'B')], days: [15, 5], result: 'certificate', eLicence: true, delivery: WPE, national: V(S2) },
    { name: '学位公证', itemType: '公共服务', modes: BOTH, materials: [...notaryBase, m('degree', '学位证书', '原件', 'B')], days: [15, 5], result: 'certificate', eLicence: true, delivery: WPE, national: U },
    { name: '出生公证', itemType: '公共服务', modes: BOTH, materials: [...notaryBase, m('birth-certificate', '出生医学证明', '原件', 'B'), household], days: [15, 5], result: 'certificate', eLicence: true, delivery: WPE },
    { name: '无犯罪记录公证', itemType: '公共服务', modes: BOTH, materials: [...notaryBase, m('no-record', '无犯罪记录证明', '原件', 'A')], days: [15, 5], result: 'certificate', eLicence: true, delivery: WPE },
    { name: '婚姻状况公证', itemType: '公共服务', modes: BOTH, materials: [...notaryBase, m('marital-proof', '婚姻登记记录证明或结婚证、离婚证', '原件', 'B')], days: [15, 5], result: 'certificate', eLicence: true, delivery: WPE },
    { name: '亲属关系公证', itemType: '公共服务', modes: PROXY, materials: [...notaryBase, household, m('relation-proof', '亲属关系证明', '原件', 'B')], days: [15, 10], result: 'certificate', delivery: WP },
    { name: '职业资格证书公证', itemType: '公共服务', modes: BOTH, materials: [...notaryBase, m('qualification', '职业资格证书', '原件', 'B')], days: [15, 5], result: 'certificate', eLicence: true, delivery: WPE },
    { name: '成绩单公证', itemType: '公共服务', modes: BOTH, materials: [...notaryBase, m('transcript', '学校出具的成绩单', '原件', 'B')], days: [15, 5], result: 'certificate', eLicence: true, delivery: WPE },
    { name: '营业执照公证', itemType: '公共服务', modes: BOTH, materials: [m('signatory-id', '法定代表人居民身份证', '原件', 'B'), form('公证申请表'), licence, ...proxy], days: [15, 5], result: 'certificate', eLicence: true, delivery: WPE },
  ] },
  { family: 'YB', department: '国家医保局', items: [
    { name: '异地就医登记备案和结算', itemType: '公共服务', modes: ['online'], materials: [idCardE, m('filing-pledge', '跨省异地就医登记备案表（含承诺）', '电子', 'D')], days: [0, 0], result: 'other', delivery: E, national: V(S2) },
    { name: '基本医疗保险关系转移接续', itemType: '公共服务', modes: BOTH, materials: [idCard, form('基本医疗保险关系转移接续申请表'), m('insured-proof', '参保凭证', '电子', 'A')], days: [15, 10], result: 'other', delivery: WE, national: U },
    { name: '医疗保险参保证明打印', itemType: '公共服务', modes: ['online'], materials: [idCardE], days: [0, 0], result: 'other', delivery: E },
    { name: '异地长期居住人员备案', itemType: '公共服务', modes: BOTH, materials: [idCard, m('residence-proof', '居住证明或个人承诺书', '原件', 'D')], days: [1, 0], result: 'other', delivery: E },
    { name: '异地转诊人员备案', itemType: '公共服务', modes: BOTH, materials: [idCard, m('referral', '转诊转院证明', '原件', 'C')], days: [1, 0], result: 'other', delivery: E },
    { name: '门诊慢特病异地就医备案', itemType: '公共服务', modes: BOTH, materials: [idCard, m('chronic-proof', '门诊慢特病认定材料', '复印件', 'C')], days: [5, 1], result: 'other', delivery: E },
    { name: '异地就医费用零星报销', itemType: '行政给付', modes: PROXY, materials: [idCard, m('medical-invoices', '医疗费用发票', '原件', 'B'), m('expense-list', '费用明细清单', '原件', 'B'), m('discharge', '出院小结', '复印件', 'C', when('住院治疗时')), bankCard], days: [30, 20], result: 'other', delivery: E },
    { name: '生育津贴申领', itemType: '行政给付', modes: BOTH, materials: [idCard, m('birth-certificate', '出生医学证明', '复印件', 'C'), bankCard], days: [20, 10], result: 'other', delivery: E },
  ] },
  { family: 'JT', department: '公安部', items: [
    { name: '机动车驾驶证补换领', itemType: '行政许可', modes: BOTH, materials: [idCard, health, photo, driving], days: [1, 0], result: 'certificate', eLicence: true, delivery: WPE, national: U },
    { name: '机动车驾驶人提交身体条件证明', itemType: '公共服务', modes: ['online'], materials: [idCardE, { ...health, form: '电子' }], days: [1, 0], result: 'other', delivery: E },
    { name: '机动车驾驶证延期换证', itemType: '行政许可', modes: BOTH, materials: [idCard, driving, m('delay-reason', '延期事由证明', '复印件', 'C')], days: [1, 0], result: 'certificate', eLicence: true, delivery: WP },
    { name: '机动车驾驶证审验', itemType: '行政确认', modes: BOTH, materials: [idCard, driving, health], days: [1, 0], result: 'other', delivery: WE },
    { name: '机动车行驶证补领', itemType: '行政许可', modes: BOTH, materials: [idCard, m('owner-id', '机动车所有人身份证明', '原件', 'B')], days: [1, 0], result: 'certificate', eLicence: true, delivery: WP },
    { name: '机动车行驶证换领', itemType: '行政许可', modes: BOTH, materials: [idCard, vehicleLicence, m('vehicle-photo', '机动车标准照片', '原件', 'C', when('车辆外观变化时'))], days: [1, 0], result: 'certificate', eLicence: true, delivery: WP },
    { name: '机动车检验合格标志核发', itemType: '行政确认', modes: ['online'], materials: [{ ...vehicleLicence, name: '机动车行驶证（电子证照）', form: '电子', trustLevel: 'A' }, m('insurance', '机动车交通事故责任强制保险凭证', '电子', 'A')], days: [1, 0], result: 'certificate', eLicence: true, delivery: E },
  ] },
  { family: 'DLYS', department: '交通运输部', items: [
    { name: '道路运输从业人员从业资格证补发换证变更', itemType: '行政许可', modes: BOTH, materials: [idCard, form('从业资格证补发（换证、变更）申请表'), photo, m('qualification', '原从业资格证件', '原件', 'B', when('换证或变更时'))], days: [5, 1], result: 'certificate', eLicence: true, delivery: WPE, national: U },
    { name: '道路运输证补发换发', itemType: '行政许可', modes: BOTH, materials: [m('operator-licence', '道路运输经营许可证', '原件', 'B'), form('道路运输证补发换发申请表'), vehicleLicence], days: [5, 1], result: 'certificate', eLicence: true, delivery: WPE },
  ] },
  { family: 'BDC', department: '自然资源部', items: [
    { name: '不动产抵押登记', itemType: '行政确认', modes: PROXY, materials: [idCard, form('不动产登记申请书'), property, m('mortgage-contract', '抵押合同', '原件', 'B'), loanContract, ...proxy], days: [30, 5], result: 'certificate', eLicence: true, delivery: WPE, national: V(S1) },
    { name: '不动产抵押权注销登记', itemType: '行政确认', modes: BOTH, materials: [form('不动产登记申请书'), m('release-proof', '主债权消灭或抵押权人放弃抵押权的证明', '原件', 'B'), m('mortgage-certificate', '不动产登记证明', '原件', 'B'), ...proxy], days: [30, 3], result: 'approval', delivery: WPE },
    { name: '不动产登记资料查询', itemType: '公共服务', modes: BOTH, materials: [idCard, form('不动产登记资料查询申请书'), ...proxy], days: [5, 0], result: 'other', delivery: WPE },
    { name: '预购商品房预告登记', itemType: '行政确认', modes: PROXY, materials: [idCard, form('不动产登记申请书'), m('purchase-contract', '已备案的商品房预售合同', '原件', 'B')], days: [30, 5], result: 'approval', delivery: WPE },
    { name: '不动产权证书补证换证', itemType: '行政确认', modes: PROXY, materials: [idCard, form('不动产登记申请书'), property, m('loss-statement', '遗失声明', '原件', 'D', when('证书遗失时'))], days: [30, 10], result: 'certificate', eLicence: true, delivery: WPE },
  ] },
  { family: 'HB', department: '生态环境部', items: [
    { name: '排污许可', itemType: '行政许可', modes: BOTH, materials: [form('排污许可证申请表'), licenceE, m('self-monitoring', '自行监测方案', '原件', 'C'), m('eia', '环境影响评价文件批复', '复印件', 'A', when('依法需要环评时'))], days: [20, 15], result: 'certificate', eLicence: true, delivery: WPE, national: V(S1) },
    { name: '排污许可证变更', itemType: '行政许可', modes: ['online'], materials: [formE('排污许可证变更申请表'), licenceE, m('change-proof', '变更事项说明材料', '电子', 'C')], days: [20, 10], result: 'certificate', eLicence: true, delivery: E },
    { name: '排污许可证延续', itemType: '行政许可', modes: ['online'], materials: [formE('排污许可证延续申请表'), licenceE, m('execution-report', '排污许可证执行报告', '电子', 'C')], days: [20, 10], result: 'certificate', eLicence: true, delivery: E },
    { name: '固定污染源排污登记', itemType: '行政备案', modes: ['online'], materials: [formE('固定污染源排污登记表'), licenceE], days: [5, 0], result: 'other', delivery: E },
  ] },
  { family: 'JYB', department: '教育部', items: [
    { name: '教师资格认定', itemType: '行政许可', modes: BOTH, materials: [idCard, m('education', '学历证书', '原件', 'B'), m('mandarin', '普通话水平测试等级证书', '原件', 'B'), m('physical', '体检合格证明', '原件', 'C'), m('exam-result', '教师资格考试合格证明', '电子', 'A'), photo], days: [60, 30], result: 'certificate', eLicence: true, delivery: WPE, national: U },
    { name: '教师资格证书补发换发', itemType: '公共服务', modes: BOTH, materials: [idCard, form('教师资格证书补发（换发）申请表'), photo], days: [20, 10], result: 'certificate', eLicence: true, delivery: WPE },
    { name: '普通话水平测试等级证书补发', itemType: '公共服务', modes: ['online'], materials: [idCardE, formE('证书补发申请')], days: [20, 10], result: 'certificate', eLicence: true, delivery: E },
  ] },
  { family: 'MZ', department: '民政部', items: [
    { name: '婚姻登记', itemType: '行政确认', modes: PROXY, materials: [idCard, household, photo, m('single-pledge', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明', '原件', 'D')], days: [0, 0], result: 'certificate', eLicence: true, delivery: ['window'], national: U },
    { name: '出具婚姻登记记录证明', itemType: '公共服务', modes: BOTH, materials: [idCard, household, ...proxy], days: [5, 1], result: 'other', delivery: WPE },
    { name: '补领婚姻登记证', itemType: '行政确认', modes: PROXY, materials: [idCard, household, photo, m('loss-statement', '补领婚姻登记证申请书', '原件', 'D')], days: [5, 0], result: 'certificate', eLicence: true, delivery: WP },
  ] },
  { family: 'WJ', department: '国家卫生健康委', items: [
    { name: '生育登记', itemType: '公共服务', modes: ['online'], materials: [idCardE, m('marriage-certificate', '结婚证（电子证照）', '电子', 'A', when('夫妻双方登记时'))], days: [0, 0], result: 'other', delivery: E, national: U },
    { name: '出生医学证明补发', itemType: '公共服务', modes: PROXY, materials: [m('parent-id', '父母居民身份证', '原件', 'B'), m('birth-record', '分娩医院出具的出生记录', '原件', 'B'), form('出生医学证明补发申请表')], days: [20, 10], result: 'certificate', delivery: WP },
    { name: '医师执业注册变更', itemType: '行政许可', modes: BOTH, materials: [form('医师变更执业注册申请审核表'), m('practice-certificate', '医师执业证书', '原件', 'B'), m('employer-proof', '拟执业机构聘用证明', '原件', 'C')], days: [20, 10], result: 'certificate', eLicence: true, delivery: WPE },
    { name: '护士执业注册变更', itemType: '行政许可', modes: BOTH, materials: [form('护士变更注册申请审核表'), m('practice-certificate', '护士执业证书', '原件', 'B'), m('employer-proof', '拟执业机构聘用证明', '原件', 'C')], days: [20, 7], result: 'certificate', eLicence: true, delivery: WPE },
  ] },
];

function build(family: string, department: string, spec: Spec, n: number): CatalogItem {
  const [statutoryDays, promisedDays] = spec.days;
  const provenance = !spec.national ? { status: 'local' as const, note: LOCAL_NOTE }
    : spec.national.status === 'verified' ? spec.national : { status: 'unverified' as const, note: UNVERIFIED_NOTE };
  return catalogItemSchema.parse({
    code: `KS-${family}-${String(n).padStart(3, '0')}`, name: spec.name, ...(spec.national ? { nationalName: spec.name } : {}),
    itemType: spec.itemType, department, modes: spec.modes, materials: spec.materials, statutoryDays, promisedDays,
    resultKind: spec.result, electronicLicence: spec.eLicence ?? false, deliveryMethods: spec.delivery, provenance,
  });
}

const items = FAMILIES.flatMap(({ family, department, items: specs }) => specs.map((s, i) => build(family, department, s, i + 1)));
if (items.length !== 120) throw new Error(`expected 120 items, built ${items.length}`);
if (new Set(items.map((i) => i.code)).size !== items.length) throw new Error('codes repeat');
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify({ version: 'default-2025', effectiveFrom: '2025-01-01', items }, null, 2) + '\n');
const counts = items.reduce<Record<string, number>>((a, i) => ({ ...a, [i.provenance.status]: (a[i.provenance.status] ?? 0) + 1 }), {});
console.log(`wrote ${items.length} items to ${OUT}`, counts);
