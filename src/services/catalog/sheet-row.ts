import { MATERIAL_FORMS, TRUST_LEVELS, catalogItemSchema, type CatalogItem, type Material } from './item-schema';
import { SHEET_COLUMNS, type HeaderLayout, type SheetField } from './sheet-columns';

/** A problem with one cell, or with the row as a whole when the schema cannot place it. */
export interface CellProblem {
  column: string;
  reason: string;
}

type Decoded = { ok: true; value: unknown } | { ok: false; reason: string };
const ok = (value: unknown): Decoded => ({ ok: true, value });
const bad = (reason: string): Decoded => ({ ok: false, reason });

/** Words a cell may use for each enum value: the schema's own value, or the Chinese term. */
const aliases = (table: Record<string, readonly string[]>) =>
  new Map(Object.entries(table).flatMap(([value, words]) => [value, ...words].map((w) => [w.toLowerCase(), value] as const)));
const MODES = aliases({ online: ['全程网办', '网办'], proxy_intake: ['异地代收代办', '代收代办'], joint: ['多地联办', '联办'] });
const RESULTS = aliases({ certificate: ['证照', '证书'], approval: ['批文', '批准文书', '审批文件'], other: ['其他'] });
const DELIVERY = aliases({ window: ['窗口', '窗口领取'], post: ['邮寄', 'EMS'], electronic: ['电子', '电子送达'] });
const STATUS = aliases({ verified: ['已核实'], unverified: ['未核实'], local: ['本地', '联盟自定'] });
const REQUIREMENT = aliases({ required: ['必需', '必要'], optional: ['容缺'], conditional: ['情形'] });
const BOOL = aliases({ true: ['是', '有', 'y', 'yes', '1'], false: ['否', '无', 'n', 'no', '0'] });

const LIST_SEPARATOR = /[|｜、]/;
const MATERIAL_SEPARATOR = /[;；]/;
const PART_SEPARATOR = /[:：]/;
const MATERIAL_ID = /^([a-z0-9][a-z0-9_-]{0,63})=/;
/** How a sheet says an item needs no materials (an empty cell is an omission, not this). */
const NONE = new Set(['无', '-']);

const words = (map: Map<string, string>) => [...new Set(map.values())].join(', ');

function oneOf(map: Map<string, string>, cell: string): Decoded {
  const v = map.get(cell.trim().toLowerCase());
  return v === undefined ? bad(`${JSON.stringify(cell.trim())} is not one of ${words(map)}`) : ok(v);
}

function listOf(map: Map<string, string>, cell: string): Decoded {
  const out: string[] = [];
  for (const part of cell.split(LIST_SEPARATOR).map((p) => p.trim()).filter(Boolean)) {
    const v = map.get(part.toLowerCase());
    if (v === undefined) return bad(`${JSON.stringify(part)} is not one of ${words(map)} (separate several with |)`);
    if (!out.includes(v)) out.push(v);
  }
  return out.length ? ok(out) : bad('empty; give at least one value');
}

function days(cell: string): Decoded {
  const s = cell.trim();
  return /^\d{1,3}$/.test(s) ? ok(Number(s)) : bad(`${JSON.stringify(s)} is not a whole number of working days (0 for 即办件)`);
}

/** `[id=]名称:形式:份数:要求:信任等级[:情形]`, several separated by `;`. */
export function decodeMaterials(cell: string): Decoded {
  if (NONE.has(cell.trim())) return ok([]);
  const out: Material[] = [];
  const parts = cell.split(MATERIAL_SEPARATOR).map((p) => p.trim()).filter(Boolean);
  for (const [i, part] of parts.entries()) {
    const id = MATERIAL_ID.exec(part)?.[1];
    const [name = '', form = '', copies = '', requirement = '', trust = '', ...rest] = part.slice(id ? id.length + 1 : 0).split(PART_SEPARATOR).map((s) => s.trim());
    const at = `material ${i + 1} (${name || part})`;
    if (!trust) return bad(`${at}: expected 名称:形式:份数:要求:信任等级[:情形], got ${JSON.stringify(part)}`);
    if (!(MATERIAL_FORMS as readonly string[]).includes(form)) return bad(`${at}: 形式 must be ${MATERIAL_FORMS.join(', ')}, not ${JSON.stringify(form)}`);
    if (!/^\d{1,2}$/.test(copies)) return bad(`${at}: 份数 must be a whole number from 0 to 99, not ${JSON.stringify(copies)}`);
    const req = REQUIREMENT.get(requirement.toLowerCase());
    if (!req) return bad(`${at}: 要求 must be 必需, 容缺 or 情形, not ${JSON.stringify(requirement)}`);
    if (!(TRUST_LEVELS as readonly string[]).includes(trust.toUpperCase())) return bad(`${at}: 信任等级 must be A, B, C or D, not ${JSON.stringify(trust)}`);
    const condition = rest.join(':').trim();
    if (req === 'conditional' && !condition) return bad(`${at}: 情形 materials say when they are needed (a sixth part)`);
    if (req !== 'conditional' && condition) return bad(`${at}: only 情形 materials carry a condition`);
    if (out.some((o) => o.id === (id ?? `m${i + 1}`))) return bad(`${at}: id ${id} is already used by another material of this item`);
    out.push({
      id: id ?? `m${i + 1}`, name, form: form as Material['form'], copies: Number(copies), requirement: req as Material['requirement'],
      trustLevel: trust.toUpperCase() as Material['trustLevel'], ...(condition ? { condition } : {}),
    });
  }
  return ok(out);
}

const DECODERS: Partial<Record<SheetField, (cell: string) => Decoded>> = {
  modes: (c) => listOf(MODES, c),
  materials: decodeMaterials,
  statutoryDays: days,
  promisedDays: days,
  resultKind: (c) => oneOf(RESULTS, c),
  electronicLicence: (c) => { const d = oneOf(BOOL, c); return d.ok ? ok(d.value === 'true') : bad(`${JSON.stringify(c.trim())} is not 是 or 否`); },
  deliveryMethods: (c) => listOf(DELIVERY, c),
  provenanceStatus: (c) => oneOf(STATUS, c),
};

/** Which column a schema issue belongs to. */
function fieldOf(path: readonly PropertyKey[]): SheetField {
  const [top, second] = path;
  if (top === 'provenance') return second === 'source' ? 'source' : second === 'note' ? 'note' : 'provenanceStatus';
  return (top as SheetField) in SHEET_COLUMNS ? (top as SheetField) : 'code';
}

/** One data row to a catalog item, or every problem of the row. `cells` as the reader gives them. */
export function rowToItem(layout: HeaderLayout, cells: readonly string[]): { item: CatalogItem } | { problems: CellProblem[] } {
  const problems: CellProblem[] = [];
  const column = (f: SheetField) => layout.label.get(f) ?? SHEET_COLUMNS[f][0];
  const decoded: Partial<Record<SheetField, unknown>> = {};
  const failed = new Set<SheetField>();
  for (const [field, i] of layout.index) {
    const cell = (cells[i] ?? '').trim();
    if (!cell) continue;
    const decode = DECODERS[field];
    const d = decode ? decode(cell) : ok(cell);
    if (d.ok) decoded[field] = d.value;
    else { failed.add(field); problems.push({ column: column(field), reason: d.reason }); }
  }
  const { statutoryDays, promisedDays } = decoded as { statutoryDays?: number; promisedDays?: number };
  if (statutoryDays !== undefined && promisedDays !== undefined && promisedDays > statutoryDays) {
    failed.add('promisedDays');
    problems.push({ column: column('promisedDays'), reason: `${promisedDays} working days is longer than the statutory ${statutoryDays} (${column('statutoryDays')})` });
  }
  const status = decoded.provenanceStatus as string | undefined;
  if (status && status !== 'verified' && decoded.source !== undefined) {
    failed.add('source');
    problems.push({ column: column('source'), reason: `only verified items cite a source (this one is ${status}); put remarks in 备注` });
  }
  if (status === 'verified' && decoded.note !== undefined) {
    failed.add('note');
    problems.push({ column: column('note'), reason: 'a verified item carries its source, not a remark' });
  }
  const provenance = status === 'verified' ? { status, source: decoded.source } : { status, ...(decoded.note !== undefined ? { note: decoded.note } : {}) };
  const { provenanceStatus: _s, source: _u, note: _n, ...fields } = decoded;
  const parsed = catalogItemSchema.safeParse({ ...fields, provenance });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path);
      if (failed.has(field)) continue;
      const where = field === 'materials' && typeof issue.path[1] === 'number' ? `material ${issue.path[1] + 1}: ${issue.path.slice(2).join('.')}: ` : '';
      const missing = decoded[field] === undefined && (issue.path.length === 1 || field === 'source' || field === 'provenanceStatus');
      const reason = !missing ? `${where}${issue.message}` : field === 'source' ? 'empty; a verified item cites its source (a URL)' : 'empty; a value is required';
      problems.push({ column: column(field), reason });
    }
  }
  if (!problems.length && parsed.success) return { item: parsed.data };
  const unique = new Map(problems.map((p) => [`${p.column}\n${p.reason}`, p]));
  return { problems: [...unique.values()] };
}
