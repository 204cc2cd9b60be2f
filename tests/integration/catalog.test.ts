import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/entry/cli';
import { catalogImport } from '../../src/entry/cli/catalog-import';
import type { CliIo } from '../../src/entry/cli/command';
import { seedDefaultCatalog } from '../../src/entry/node/catalog';
import { parseCatalogSheet } from '../../src/entry/node/catalog-sheet';
import { catalogItems, catalogVersions } from '../../src/db/schema/index';
import { catalogInForce, dbCatalogReader, getItem, listItems } from '../../src/services/catalog/catalog-in-force';
import { CatalogRejected, importCatalog } from '../../src/services/catalog/import-catalog';
import type { CatalogItem } from '../../src/services/catalog/item-schema';
import { createTestDatabase, type TestDatabase } from '../support/db';

const SHA = 'a'.repeat(64);
const item = (code: string, extra: Partial<CatalogItem> = {}): CatalogItem => ({
  code, name: `事项 ${code}`, itemType: '公共服务', department: '住房和城乡建设部', modes: ['online', 'proxy_intake'],
  materials: [{ id: 'id-card', name: '居民身份证', form: '原件', copies: 1, requirement: 'required', trustLevel: 'B' }],
  statutoryDays: 5, promisedDays: 3, resultKind: 'other', electronicLicence: false, deliveryMethods: ['window'],
  provenance: { status: 'local', note: 'test' }, ...extra,
});

const HEADERS = ['序号', '事项编码', '事项名称', '国家事项名称', '事项类型', '实施部门', '办理模式', '材料', '法定时限（工作日）', '承诺时限', '结果类型', '电子证照', '送达方式', '来源状态', '来源', '备注'];
const GOOD_ROWS = [
  ['1', 'KS-GJJ-001', '正常退休提取住房公积金', '正常退休提取住房公积金', '公共服务', '住房和城乡建设部', 'online|proxy_intake', 'id-card=居民身份证:原件:1:必需:B;授权委托书:原件:1:情形:D:委托他人代办时', '3', '0', '其他', '否', '窗口|电子', 'verified', 'http://www.aishengyuanaijiu.com/news/guonei/2020-12-17/1153874.html', ''],
  ['2', 'KS-HJ-002', '户口迁移（夫妻投靠）', '', '行政确认', '公安部', '多地联办', '居民身份证:原件:1:必需:B；结婚证:原件:1:必需:B', '20', '10', '批文', '否', '窗口|邮寄', '本地', '', '联盟自定'],
];
/** Rows 3 and 5 are good; 4, 6 and 7 are bad in several ways (the title is row 1, the header row 2). */
const MIXED_ROWS = [
  GOOD_ROWS[0]!,
  ['2', 'KS-GJJ-002', '购房提取', '', '公共服务', '住房和城乡建设部', 'online|fax', '居民身份证:正本:1:必需:B', '3', '5', '其他', '否', '窗口', 'local', '', ''],
  GOOD_ROWS[1]!,
  ['4', 'bad code', '', '', '行政许可', '公安部', 'joint', '居民身份证:原件:1:情形:B', '20', '10', '证照', '也许', '窗口', 'verified', '', ''],
  ['5', 'KS-GJJ-001', '重复', '', '公共服务', '住房和城乡建设部', 'online', '无', '1', '0', '其他', '否', '电子', 'unverified', 'http://example.gov.cn', ''],
];
const MIXED_PROBLEMS = [
  'row 4, column 办理模式: "fax" is not one of online, proxy_intake, joint (separate several with |)',
  'row 4, column 材料: material 1 (居民身份证): 形式 must be 原件, 复印件, 电子, not "正本"',
  'row 4, column 承诺时限: 5 working days is longer than the statutory 3 (法定时限（工作日）)',
  'row 6, column 材料: material 1 (居民身份证): 情形 materials say when they are needed (a sixth part)',
  'row 6, column 电子证照: "也许" is not 是 or 否',
  'row 6, column 事项编码: must look like KS-SCZT-001',
  'row 6, column 事项名称: empty; a value is required',
  'row 6, column 来源: empty; a verified item cites its source (a URL)',
  'row 7, column 来源: only verified items cite a source (this one is unverified); put remarks in 备注',
  'row 7, column 事项编码: KS-GJJ-001 is already on row 3',
];

let dir: string;
const file = (name: string) => join(dir, name);

async function writeXlsx(path: string, rows: string[][], title = true) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('事项清单');
  if (title) ws.addRow(['2025年跨省通办事项清单']);
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r.map((c) => (/^\d+$/.test(c) ? Number(c) : c)));
  await wb.xlsx.writeFile(path);
}

const csvCell = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
const csv = (rows: string[][]) => [HEADERS, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

/** GB18030 bytes of `text` (what Excel on Chinese Windows saves), from the decoder's own table. */
function gb18030(text: string): Uint8Array {
  const dec = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x40; b <= 0xfe; b++) if (b !== 0x7f) table.set(dec.decode(new Uint8Array([a, b])), [a, b]);
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else out.push(...(table.get(ch) ?? (() => { throw new Error(`no GB18030 two-byte code for ${ch}`); })()));
  }
  return new Uint8Array(out);
}

interface Recorder extends CliIo { stdout: string[]; stderr: string[] }
function recorder(env: Record<string, string | undefined>): Recorder {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s), env };
}

let tdb: TestDatabase;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'handshake-catalog-'));
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const versionCount = async () => (await tdb.database.db.select().from(catalogVersions)).length;
const itemCount = async () => (await tdb.database.db.select().from(catalogItems)).length;

describe('importCatalog and the catalog in force', () => {
  it('writes a version and its items; the version in force is the latest effective date on or before the day, ties to the latest imported', async () => {
    const db = tdb.database.db;
    expect(await catalogInForce(db, '2025-12-31')).toBeNull();
    const v1 = await importCatalog({ db, items: [item('KS-GJJ-001'), item('KS-GJJ-002')], version: 'v1', effectiveFrom: '2025-01-01', source: 'a.xlsx', sha256: SHA });
    const v2 = await importCatalog({ db, items: [item('KS-GJJ-001', { name: '新名称' })], version: 'v2', effectiveFrom: '2025-07-01', source: 'b.xlsx', sha256: SHA });
    const v2b = await importCatalog({ db, items: [item('KS-SB-001')], version: 'v2-corrected', effectiveFrom: '2025-07-01', source: 'c.xlsx', sha256: SHA });
    expect(v1).toEqual({ id: expect.any(Number), label: 'v1', effectiveFrom: '2025-01-01', itemCount: 2 });

    expect(await catalogInForce(db, '2024-12-31')).toBeNull();
    expect(await catalogInForce(db, '2025-01-01')).toMatchObject({ id: v1.id, label: 'v1', sourceFile: 'a.xlsx', itemCount: 2, sourceSha256: SHA });
    expect((await catalogInForce(db, '2025-06-30'))?.id).toBe(v1.id);
    expect((await catalogInForce(db, '2026-01-01'))?.id).toBe(v2b.id);
    expect(v2.id).toBeLessThan(v2b.id);
    // 2025-07-01 starts at 16:00 UTC the day before (China time).
    expect((await catalogInForce(db, new Date('2025-06-30T15:59:59Z')))?.id).toBe(v1.id);
    expect((await catalogInForce(db, new Date('2025-06-30T16:00:00Z')))?.id).toBe(v2b.id);

    expect((await listItems(db, v1.id)).map((i) => i.code)).toEqual(['KS-GJJ-001', 'KS-GJJ-002']);
    expect(await getItem(db, v2.id, 'KS-GJJ-001')).toEqual(item('KS-GJJ-001', { name: '新名称' }));
    expect(await getItem(db, v2.id, 'KS-GJJ-002')).toBeNull();
    const reader = dbCatalogReader(db);
    expect([...(await reader.itemsInForce(new Date('2025-03-01T00:00:00Z'))).keys()]).toEqual(['KS-GJJ-001', 'KS-GJJ-002']);
    expect([...(await reader.itemsInForce(new Date('2025-08-01T00:00:00Z'))).keys()]).toEqual(['KS-SB-001']);
  });

  it('refuses a catalog with invalid items or repeated codes, naming each problem, and writes nothing', async () => {
    const before = [await versionCount(), await itemCount()];
    const bad = [item('KS-GJJ-001'), { ...item('KS-GJJ-002'), promisedDays: 9 }, item('KS-GJJ-001'), { ...item('nope'), modes: [] }];
    const err = await importCatalog({ db: tdb.database.db, items: bad, version: 'bad', effectiveFrom: '2025-02-01', source: 'bad.xlsx', sha256: SHA }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogRejected);
    expect((err as CatalogRejected).problems).toEqual([
      { index: 1, code: 'KS-GJJ-002', path: 'promisedDays', message: 'promisedDays is longer than statutoryDays' },
      { index: 2, code: 'KS-GJJ-001', path: 'code', message: 'KS-GJJ-001 is already items[0]' },
      { index: 3, code: 'nope', path: 'code', message: 'must look like KS-SCZT-001' },
      { index: 3, code: 'nope', path: 'modes', message: expect.any(String) },
    ]);
    expect([await versionCount(), await itemCount()]).toEqual(before);
  });

  it('rolls the whole import back when the database refuses an item after the first batch was written', async () => {
    const before = [await versionCount(), await itemCount()];
    const items = Array.from({ length: 1500 }, (_, i) => item(`KS-BIG-${String(i).padStart(4, '0')}`, i === 1200 ? { name: 'NUL \u0000 in text' } : {}));
    await expect(importCatalog({ db: tdb.database.db, items, version: 'big', effectiveFrom: '2025-03-01', source: 'big.xlsx', sha256: SHA })).rejects.toThrow();
    expect([await versionCount(), await itemCount()]).toEqual(before);
  });
});

describe('the default catalog', () => {
  it('is seeded once, on the first start, even when two instances start together', async () => {
    const fresh = await createTestDatabase();
    try {
      const results = await Promise.all([seedDefaultCatalog(fresh.database.db), seedDefaultCatalog(fresh.database.db)]);
      const seeded = results.map((r) => r.seeded).filter((s) => s !== null);
      expect(seeded).toEqual([{ id: expect.any(Number), label: 'default-2025', effectiveFrom: '2025-01-01', itemCount: 120 }]);
      expect((await seedDefaultCatalog(fresh.database.db)).seeded).toBeNull();
      const inForce = await catalogInForce(fresh.database.db, new Date());
      expect(inForce).toMatchObject({ label: 'default-2025', sourceFile: 'partners/catalog/items.json', itemCount: 120, sourceSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(await listItems(fresh.database.db, inForce!.id)).toHaveLength(120);
    } finally {
      await fresh.drop();
    }
  });
});

describe('catalog sheets', () => {
  it.each(['xlsx', 'csv'])('reads a good .%s with Chinese headers and Chinese or schema words in its cells', async (ext) => {
    const path = file(`good.${ext}`);
    if (ext === 'xlsx') await writeXlsx(path, GOOD_ROWS);
    else writeFileSync(path, '\uFEFF' + csv(GOOD_ROWS));
    const sheet = await parseCatalogSheet(path);
    expect(sheet.problems).toEqual([]);
    expect(sheet.rows).toBe(2);
    expect(sheet.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sheet.items).toEqual([
      {
        code: 'KS-GJJ-001', name: '正常退休提取住房公积金', nationalName: '正常退休提取住房公积金', itemType: '公共服务', department: '住房和城乡建设部',
        modes: ['online', 'proxy_intake'],
        materials: [
          { id: 'id-card', name: '居民身份证', form: '原件', copies: 1, requirement: 'required', trustLevel: 'B' },
          { id: 'm2', name: '授权委托书', form: '原件', copies: 1, requirement: 'conditional', condition: '委托他人代办时', trustLevel: 'D' },
        ],
        statutoryDays: 3, promisedDays: 0, resultKind: 'other', electronicLicence: false, deliveryMethods: ['window', 'electronic'],
        provenance: { status: 'verified', source: 'http://www.aishengyuanaijiu.com/news/guonei/2020-12-17/1153874.html' },
      },
      expect.objectContaining({ code: 'KS-HJ-002', modes: ['joint'], resultKind: 'approval', provenance: { status: 'local', note: '联盟自定' }, materials: [expect.objectContaining({ id: 'm1' }), expect.objectContaining({ id: 'm2', name: '结婚证' })] }),
    ]);
  });

  it('gives every problem of every bad row of an .xlsx, with the row numbers the spreadsheet shows', async () => {
    await writeXlsx(file('mixed.xlsx'), MIXED_ROWS);
    const sheet = await parseCatalogSheet(file('mixed.xlsx'));
    expect(sheet.problems.map((p) => `row ${p.row}, column ${p.column}: ${p.reason}`)).toEqual(MIXED_PROBLEMS);
  });

  it('gives the same problems for the same rows in a .csv, also when it is GB18030 with quoted multi-line cells', async () => {
    writeFileSync(file('mixed.csv'), '2025年跨省通办事项清单\r\n' + csv(MIXED_ROWS));
    expect((await parseCatalogSheet(file('mixed.csv'))).problems.map((p) => `row ${p.row}, column ${p.column}: ${p.reason}`)).toEqual(MIXED_PROBLEMS);

    const multiline = GOOD_ROWS.map((r) => r.map((c, i) => (i === 2 ? `${c}\n（第二行）` : c)));
    writeFileSync(file('gbk.csv'), gb18030(csv([multiline[0]!, MIXED_ROWS[1]!, multiline[1]!])));
    const sheet = await parseCatalogSheet(file('gbk.csv'));
    expect(sheet.items.map((i) => i.name)).toEqual(['正常退休提取住房公积金\n（第二行）', '户口迁移（夫妻投靠）\n（第二行）']);
    expect(sheet.problems.map((p) => p.row)).toEqual([3, 3, 3]);
  });

  it('refuses a sheet without the required columns, naming them', async () => {
    writeFileSync(file('columns.csv'), '事项编码,事项名称,颜色\nKS-GJJ-001,x,红\n');
    const sheet = await parseCatalogSheet(file('columns.csv'));
    expect(sheet.ignoredColumns).toEqual(['颜色']);
    expect(sheet.problems).toContainEqual({ row: 1, column: '材料', reason: 'missing column (header 材料 or 申请材料 or materials)' });
    expect(sheet.problems.every((p) => p.row === 1)).toBe(true);
  });
});

describe('handshake catalog import and list', () => {
  let cliDb: TestDatabase;
  let env: Record<string, string | undefined>;
  beforeAll(async () => {
    cliDb = await createTestDatabase();
    // On PGlite the CLI opens the gateway's own embedded database under HANDSHAKE_DATA_DIR, as npm start would.
    env = { HANDSHAKE_DATA_DIR: file('data'), DATABASE_URL: cliDb.url ?? undefined };
  });
  afterAll(async () => { await cliDb?.drop(); });

  const listJson = async (at?: string) => {
    const io = recorder(env);
    expect(await runCli(['catalog', 'list', '--json', ...(at ? ['--at', at] : [])], io)).toBe(0);
    return JSON.parse(io.stdout.join('\n')) as { at: string; version: { label: string; effectiveFrom: string } | null; items: CatalogItem[] };
  };

  it('imports a good sheet and lists it in force from its effective date', async () => {
    await writeXlsx(file('cli-good.xlsx'), GOOD_ROWS);
    const io = recorder(env);
    expect(await runCli(['catalog', 'import', file('cli-good.xlsx'), '--effective', '2025-07-01', '--version', '2025-07'], io)).toBe(0);
    expect(io.stdout[0]).toMatch(/^imported catalog version \d+ \(2025-07\)$/);
    expect(io.stdout).toContain('  items      2');
    expect(io.stdout).toContain('  effective  2025-07-01');

    expect((await listJson('2025-06-30')).version).toBeNull();
    const listed = await listJson('2025-07-01');
    expect(listed.version).toMatchObject({ label: '2025-07', effectiveFrom: '2025-07-01' });
    expect(listed.items.map((i) => i.code)).toEqual(['KS-GJJ-001', 'KS-HJ-002']);

    const table = recorder(env);
    expect(await runCli(['catalog', 'list', '--at', '2030-01-01'], table)).toBe(0);
    expect(table.stdout[0]).toMatch(/^catalog version \d+ \(2025-07\), effective 2025-07-01, 2 items, from cli-good.xlsx$/);
    expect(table.stdout[1]).toMatch(/^code\s+name\s+department\s+modes\s+provenance$/);
    expect(table.stdout[2]).toMatch(/^KS-GJJ-001\s+正常退休提取住房公积金\s+住房和城乡建设部\s+online\|proxy_intake\s+verified$/);
    expect(table.stdout[3]).toMatch(/^KS-HJ-002\s+户口迁移（夫妻投靠）\s+公安部\s+joint\s+local$/);
  });

  it('reports each problem of a bad sheet on its own line, exits 1 and imports nothing', async () => {
    await writeXlsx(file('cli-mixed.xlsx'), MIXED_ROWS);
    const io = recorder(env);
    expect(await runCli(['catalog', 'import', file('cli-mixed.xlsx'), '--effective', '2025-08-01'], io)).toBe(1);
    expect(io.stdout).toEqual([]);
    expect(io.stderr[0]).toBe(`${file('cli-mixed.xlsx')}: 10 problems in 3 row(s); nothing imported`);
    expect(io.stderr.slice(1)).toEqual(MIXED_PROBLEMS);
    expect((await listJson('2030-01-01')).version).toMatchObject({ label: '2025-07' });
  });

  it('draws a progress bar on stderr for a sheet of over 1,000 rows, even when stderr is not a terminal', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => { const r = [...GOOD_ROWS[1]!]; r[1] = `KS-HJ-${String(i + 1).padStart(4, '0')}`; return r; });
    writeFileSync(file('big.csv'), csv(rows));
    const stream = new PassThrough();
    let drawn = '';
    stream.on('data', (d) => { drawn += String(d); });
    const io = recorder(env);
    expect(await catalogImport([file('big.csv'), '--effective', '2025-09-01'], io, { stream })).toBe(0);
    expect(io.stdout).toContain('  items      1200');
    expect(drawn).toMatch(/reading .*100% \| 1200 rows/);
    expect(drawn).toMatch(/writing .*1200\/1200 items/);
    expect((await listJson('2025-09-01')).version).toMatchObject({ label: 'big', effectiveFrom: '2025-09-01' });
  });

  it.each([
    [['catalog', 'import', 'x.xlsx'], /--effective YYYY-MM-DD is required/],
    [['catalog', 'import', 'x.xlsx', '--effective', '2025-02-30'], /--effective must be a date YYYY-MM-DD/],
    [['catalog', 'import', 'x.txt', '--effective', '2025-02-01'], /expected a .xlsx or .csv file/],
    [['catalog', 'list', '--at', 'tomorrow'], /--at must be a date/],
  ])('exit 2 for %j', async (argv, reason) => {
    const io = recorder(env);
    expect(await runCli(argv, io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(reason);
  });
});
