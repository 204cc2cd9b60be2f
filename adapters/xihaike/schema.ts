import { z } from 'zod';
import { valueMapsSchema } from '../standard/schema';

// 西海岸新区 back office shapes (the API is described in index.ts). Times are Beijing wall-clock
// `yyyy-MM-dd HH:mm:ss`; status codes (zt) are numbers.

/** `yyyy-MM-dd HH:mm:ss`, Beijing time, as the back office writes it. */
export const XHK_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const xhkTime = z.string().regex(XHK_TIME, 'must be yyyy-MM-dd HH:mm:ss');

/** `options` of a partner file with `adapter: xihaike`. */
export const xihaikeOptionsSchema = z.object({
  tokenPath: z.string().regex(/^\/[\w/.-]*$/, 'must be a path such as /oauth/token').default('/oauth/token'),
  scope: z.string().min(1).max(200).optional(),
  /** Page size for `listUpdatedSince`; the back office allows at most 100. */
  pageSize: z.number().int().min(1).max(100).default(50),
  /** Refresh the token this long before it expires. */
  refreshEarlySeconds: z.number().int().min(0).max(3600).default(60),
  /** How far a callback's X-Xhk-Timestamp may be from our clock. */
  callbackToleranceSeconds: z.number().int().min(30).max(3600).default(300),
  /** Over the built-in codes (delivery.method, applicant.kind): alliance field -> (value -> code). */
  valueMaps: valueMapsSchema.optional(),
}).strict();
export type XihaikeOptions = z.infer<typeof xihaikeOptionsSchema>;

/** Every answer: `{code: 0, msg: "成功", data}`; a non-zero code is an error. */
export const envelopeSchema = z.object({ code: z.number().int(), msg: z.string().optional(), data: z.unknown().optional() });

export const tokenSchema = z.object({ access_token: z.string().min(1), token_type: z.string().optional(), expires_in: z.number().int().positive() });

export const xhkCaseSchema = z.object({
  ajid: z.string().min(1), // 案件编号
  wbbh: z.string().optional(), // 外部编号: our caseRef
  sxbm: z.string().optional(), // 事项编码
  zt: z.number().int(), // 状态
  ztmc: z.string().optional(), // 状态名称
  gxsj: xhkTime, // 更新时间
  bz: z.string().optional(), // 备注
  zsbh: z.string().optional(), // 证书编号
  kdgs: z.string().optional(), // 快递公司
  kddh: z.string().optional(), // 快递单号
  bzcl: z.array(z.string()).optional(), // 补正材料
  bzqx: xhkTime.optional(), // 补正期限
});
export type XhkCase = z.infer<typeof xhkCaseSchema>;

export const createdSchema = z.object({ ajid: z.string().min(1), zt: z.number().int(), sjsj: xhkTime });
export const pageSchema = z.object({ list: z.array(xhkCaseSchema), total: z.number().int().min(0), page: z.number().int().min(1) });
export const revokedSchema = z.object({ ajid: z.string().min(1), zt: z.number().int() });
export const supplementedSchema = z.object({ ajid: z.string().min(1), zt: z.number().int() });
export const healthSchema = z.object({ status: z.string() });

/** A callback body: one or more notifications (通知列表), each a case's new state. */
export const callbackSchema = z.object({ tzlb: z.array(xhkCaseSchema.extend({ tzid: z.string().min(1) })).min(1) });
export type XhkCallback = z.infer<typeof callbackSchema>;
