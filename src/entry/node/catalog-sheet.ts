import { createHash } from 'node:crypto';
import { createReadStream, statSync, type ReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Transform } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { CatalogItem } from '../../services/catalog/item-schema';
import { looksLikeHeader, readHeader, SHEET_COLUMNS, type HeaderLayout } from '../../services/catalog/sheet-columns';
import { rowToItem } from '../../services/catalog/sheet-row';

/**
 * Reads a catalog sheet (.xlsx, first worksheet, or .csv in UTF-8 or GB18030) laid out as in
 * docs/catalog-format.md. Every bad row is reported with the row number the spreadsheet shows.
 */

export interface SheetProblem {
  /** As the spreadsheet shows it (the header is usually row 1). */
  row: number;
  /** The header text of the column, or '' for a problem with the row or the file as a whole. */
  column: string;
  reason: string;
}

export interface ParsedSheet {
  file: string;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
  /** Data rows read (blank rows not counted). */
  rows: number;
  items: CatalogItem[];
  /** Empty when the sheet is good; otherwise the sheet must be refused whole. */
  problems: SheetProblem[];
  /** Headers that are not catalog columns: their cells were not read. */
  ignoredColumns: string[];
}

export interface SheetProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

const HEADER_SEARCH_ROWS = 20;
const PROGRESS_EVERY_ROWS = 250;

export const formatProblem = (p: SheetProblem): string => `row ${p.row}${p.column ? `, column ${p.column}` : ''}: ${p.reason}`;

/** A cell's value as text, whatever exceljs made of it (rich text, hyperlink, formula result, date). */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if ('text' in o) return cellText(o.text);
    if ('result' in o) return cellText(o.result);
  }
  return '';
}

async function* xlsxRows(stream: ReadStream): AsyncGenerator<[number, string[]]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = row.values as unknown[];
      // exceljs rows are 1-based: values[0] is always empty.
      yield [row.number, Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1]))];
    }
    return; // the first worksheet only
  }
}

/** UTF-8 unless the file's start is not valid UTF-8; then GB18030 (what Excel writes on Chinese Windows). */
async function csvEncoding(path: string): Promise<'utf-8' | 'gb18030'> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    // Drop a possibly cut multi-byte sequence at the end of the sample.
    let end = bytesRead;
    if (bytesRead === buf.length) while (end > 0 && (buf[end - 1]! & 0xc0) === 0x80) end--;
    if (bytesRead === buf.length && end > 0 && buf[end - 1]! >= 0xc0) end--;
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, end));
    return 'utf-8';
  } catch (e) {
    if (e instanceof TypeError) return 'gb18030';
    throw e;
  } finally {
    await fh.close();
  }
}

function decoder(encoding: string): Transform {
  const d = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Uint8Array, _enc, done) { done(null, d.decode(chunk, { stream: true })); },
    flush(done) { done(null, d.decode()); },
  });
}

async function* csvRows(stream: ReadStream, encoding: string): AsyncGenerator<[number, string[]]> {
  // Empty lines are kept as (blank) records so that record n is the row a spreadsheet shows as n.
  const parser = stream.pipe(decoder(encoding)).pipe(parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: false, info: true }));
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { records: number } }>) yield [info.records, record];
}

/** The rows of the file, with their spreadsheet row numbers; the baseline of `bench/catalog.ts` too. */
export async function* readSheetRows(path: string, onBytes?: (bytesRead: number) => void): AsyncGenerator<[number, string[]]> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.csv') throw new Error(`${path}: not a .xlsx or .csv file`);
  const encoding = ext === '.csv' ? await csvEncoding(path) : 'utf-8';
  const stream = createReadStream(path);
  try {
    for await (const row of ext === '.xlsx' ? xlsxRows(stream) : csvRows(stream, encoding)) {
      onBytes?.(stream.bytesRead);
      yield row;
    }
  } finally {
    stream.destroy();
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Uint8Array);
  return hash.digest('hex');
}

/**
 * Reads and validates the whole sheet: the header row (the first naming 事项编码/code, within the first
 * 20 rows), then every data row through `catalogItemSchema`, and repeated codes. Never stops at the
 * first problem; blank rows are skipped.
 */
export async function parseCatalogSheet(path: string, onProgress?: (p: SheetProgress) => void): Promise<ParsedSheet> {
  const totalBytes = statSync(path).size;
  const out: ParsedSheet = { file: basename(path), sha256: await sha256File(path), rows: 0, items: [], problems: [], ignoredColumns: [] };
  let layout: HeaderLayout | null = null;
  let headerRow = 0;
  let bytesRead = 0;
  const firstRowOf = new Map<string, number>();
  for await (const [row, cells] of readSheetRows(path, (b) => { bytesRead = b; })) {
    if (cells.every((c) => !c.trim())) continue;
    if (!layout) {
      if (looksLikeHeader(cells)) {
        layout = readHeader(cells);
        headerRow = row;
        out.ignoredColumns = layout.ignored;
        if (layout.problems.length) {
          out.problems = layout.problems.map((p) => ({ row, ...p }));
          return out;
        }
      } else if (row >= HEADER_SEARCH_ROWS) break;
      continue;
    }
    out.rows++;
    const r = rowToItem(layout, cells);
    if ('problems' in r) out.problems.push(...r.problems.map((p) => ({ row, ...p })));
    else out.items.push(r.item);
    const code = cells[layout.index.get('code')!]?.trim();
    if (code) {
      const first = firstRowOf.get(code);
      if (first !== undefined) out.problems.push({ row, column: layout.label.get('code')!, reason: `${code} is already on row ${first}` });
      else firstRowOf.set(code, row);
    }
    if (out.rows % PROGRESS_EVERY_ROWS === 0) onProgress?.({ bytesRead, totalBytes, rows: out.rows });
  }
  onProgress?.({ bytesRead: totalBytes, totalBytes, rows: out.rows });
  if (!layout) out.problems.push({ row: 1, column: '', reason: `no header row: no row in the first ${HEADER_SEARCH_ROWS} names the column ${SHEET_COLUMNS.code.join(' or ')}` });
  else if (!out.rows) out.problems.push({ row: headerRow + 1, column: '', reason: 'the sheet has no item rows' });
  return out;
}
