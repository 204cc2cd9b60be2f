/**
 * The columns of a catalog sheet (docs/catalog-format.md). Headers are matched after trimming, ignoring
 * case and any parenthesised remark, so `法定办结时限（工作日）` is `statutoryDays`.
 */
export const SHEET_COLUMNS = {
  code: ['事项编码', 'code'],
  name: ['事项名称', 'name'],
  nationalName: ['国家事项名称', 'national_name', 'nationalName'],
  baseCode: ['基本编码', 'base_code', 'baseCode'],
  itemType: ['事项类型', 'item_type', 'itemType'],
  department: ['实施部门', 'department'],
  modes: ['办理模式', 'modes'],
  materials: ['材料', '申请材料', 'materials'],
  statutoryDays: ['法定时限', '法定办结时限', 'statutory_days', 'statutoryDays'],
  promisedDays: ['承诺时限', '承诺办结时限', 'promised_days', 'promisedDays'],
  resultKind: ['结果类型', 'result_kind', 'resultKind'],
  electronicLicence: ['电子证照', 'electronic_licence', 'electronicLicence'],
  deliveryMethods: ['送达方式', 'delivery_methods', 'deliveryMethods'],
  provenanceStatus: ['来源状态', 'provenance_status', 'provenanceStatus'],
  source: ['来源', 'source'],
  note: ['备注', 'note'],
} as const;

export type SheetField = keyof typeof SHEET_COLUMNS;

/** Columns a sheet must have; the others may be left out. */
export const REQUIRED_COLUMNS: readonly SheetField[] = [
  'code', 'name', 'itemType', 'department', 'modes', 'materials', 'statutoryDays', 'promisedDays',
  'resultKind', 'electronicLicence', 'deliveryMethods', 'provenanceStatus',
];

/** Columns that are skipped without a warning (a running number is common in office sheets). */
const SKIPPED = new Set(['序号', 'no', '#']);

const normalise = (h: string) => h.replace(/[（(][^）)]*[）)]/g, '').trim().toLowerCase();

const BY_HEADER = new Map<string, SheetField>(
  Object.entries(SHEET_COLUMNS).flatMap(([field, names]) => names.map((n) => [normalise(n), field as SheetField] as const)),
);

export interface HeaderLayout {
  /** Cell index (as the reader gives it) of each recognised field. */
  index: Map<SheetField, number>;
  /** The header text as written in the sheet, for messages. */
  label: Map<SheetField, string>;
  /** Headers that are not catalog columns; their cells are not read. */
  ignored: string[];
  /** Problems with the header row itself: missing or repeated columns. */
  problems: { column: string; reason: string }[];
}

/** Is this row a header row? Yes when one of its cells names the code column. */
export const looksLikeHeader = (cells: readonly string[]): boolean => cells.some((c) => BY_HEADER.get(normalise(c)) === 'code');

export function readHeader(cells: readonly string[]): HeaderLayout {
  const layout: HeaderLayout = { index: new Map(), label: new Map(), ignored: [], problems: [] };
  cells.forEach((raw, i) => {
    const text = raw.trim();
    if (!text) return;
    const field = BY_HEADER.get(normalise(text));
    if (!field) {
      if (!SKIPPED.has(normalise(text))) layout.ignored.push(text);
      return;
    }
    if (layout.index.has(field)) {
      layout.problems.push({ column: text, reason: `repeats column ${layout.label.get(field)}` });
      return;
    }
    layout.index.set(field, i);
    layout.label.set(field, text);
  });
  for (const field of REQUIRED_COLUMNS) {
    if (!layout.index.has(field)) layout.problems.push({ column: SHEET_COLUMNS[field][0], reason: `missing column (header ${SHEET_COLUMNS[field].join(' or ')})` });
  }
  return layout;
}
