import { z } from 'zod';

/** An XML element name we may write: letters (Chinese too), digits, `_`, `-`, `.`; no prefix. */
export const XML_NAME = /^[\p{L}_][\p{L}\p{N}._-]{0,63}$/u;

export const FAULT_KINDS = ['auth', 'not_found', 'rejected', 'unavailable'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The provincial CaseService v1 error codes (`<detail><errorCode>`) for Client faults. */
export const DEFAULT_FAULT_CODES: Readonly<Record<string, FaultKind>> = {
  E1001: 'auth', // 认证失败
  E1002: 'auth', // 账号已停用
  E1003: 'rejected', // 参数校验失败
  E1004: 'not_found', // 办件不存在
  E1005: 'not_found', // 事项不存在
  E2001: 'rejected', // 当前状态不允许该操作
  E2002: 'unavailable', // 系统繁忙，请稍后重试
};

const opName = z.string().regex(XML_NAME, 'must be an XML element name');

/** `options` of a soap-legacy partner file. Every field has the CaseService v1 default. */
export const soapOptionsSchema = z.object({
  soapNamespace: z.url().default('http://gov.example.cn/case/v1'),
  servicePath: z.string().regex(/^\/[\w./-]*$/, 'must be a path such as /services/CaseService').default('/services/CaseService'),
  /** SOAPAction = `"<prefix><operation>"`; the default prefix is the namespace and a slash. */
  soapActionPrefix: z.string().max(200).optional(),
  /** `ws-security`: a UsernameToken (PasswordText); `header`: `<AuthHeader><userName/><password/>` in the namespace. */
  security: z.enum(['ws-security', 'header']).default('ws-security'),
  operations: z.object({
    submitCase: opName.default('SubmitCase'),
    queryCase: opName.default('QueryCase'),
    revokeCase: opName.default('RevokeCase'),
    supplementCase: opName.default('SupplementCase'),
    ping: opName.default('Ping'),
  }).strict().default({ submitCase: 'SubmitCase', queryCase: 'QueryCase', revokeCase: 'RevokeCase', supplementCase: 'SupplementCase', ping: 'Ping' }),
  /** `<detail><errorCode>` of a Client fault -> error kind; replaces the default table when given. */
  faultCodes: z.record(z.string().min(1), z.enum(FAULT_KINDS)).default({ ...DEFAULT_FAULT_CODES }),
  maxResponseBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
}).strict();

export type SoapOptions = z.infer<typeof soapOptionsSchema>;

/** An element's text as fast-xml-parser gives it; an empty element (`<a/>`, `xsi:nil`) counts as absent. */
const text = z.string().trim().min(1);
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), text.optional());
const list = z.preprocess((v) => (v === '' || v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(text));

export const submitCaseResponseSchema = z.object({
  caseNo: text,
  statusCode: text,
  statusTime: text,
});

export const queryCaseResponseSchema = z.object({
  caseNo: text,
  serviceCode: text,
  statusCode: text,
  statusName: optionalText,
  statusTime: text,
  /** 审批意见 / 补正说明. */
  opinion: optionalText,
  /** 证照或文书编号, from 办结 on. */
  documentNo: optionalText,
  supplementItems: z.preprocess((v) => (v === '' ? undefined : v), z.object({ item: list }).optional()),
  /** 补正期限. */
  deadline: optionalText,
});

export const revokeCaseResponseSchema = z.object({
  caseNo: text,
  statusCode: text,
  statusTime: text,
});

export const supplementCaseResponseSchema = z.object({
  caseNo: text,
  statusCode: text,
  statusTime: text,
});

export const pingResponseSchema = z.object({ serverTime: text });

export const faultSchema = z.object({
  faultcode: text,
  faultstring: z.string().default(''),
  detail: z.unknown().optional(),
});

export type SubmitCaseResponse = z.infer<typeof submitCaseResponseSchema>;
export type QueryCaseResponse = z.infer<typeof queryCaseResponseSchema>;
export type SoapFault = z.infer<typeof faultSchema>;
