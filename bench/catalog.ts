/**
 * `npm run bench:catalog`: a 10,000-row catalog sheet (.xlsx, made here in a temp dir) through
 * parse + validate and the database import, against the 5 s target; with baselines from the same run:
 * reading the same rows without validation, and JSON.parse + schema of the same items. Then the
 * adapters' mapping throughput against JSON.stringify of the same case.
 * Informational: exits 0 whatever the figures. Bounded: one sheet, 3 rounds, a watchdog.
 */
import { benchMapping } from './lib/mapping';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import postgres from 'postgres';
import { openDatabase } from '../src/entry/node/database';
import { parseCatalogSheet, readSheetRows } from '../src/entry/node/catalog-sheet';
import { readDefaultCatalog } from '../src/entry/node/catalog';
import { importCatalog, validateItems } from '../src/services/catalog/import-catalog';
import type { CatalogItem } from '../src/services/catalog/item-schema';
import { loadAverage, machineFacts } from './lib/report';

const ROWS = 10_000;
const ROUNDS = 3;
const TARGET_S = 5;
const WATCHDOG_MS = 180_000;
const HEADERS = ['事项编码', '事项名称', '国家事项名称', '事项类型', '实施部门', '办理模式', '材料', '法定时限', '承诺时限', '结果类型', '电子证照', '送达方式', '来源状态', '来源', '备注'];
const REQ = { required: '必需', optional: '容缺', conditional: '情形' } as const;

/** One item as a sheet row, in the layout of docs/catalog-format.md. */
function toRow(i: CatalogItem): (string | number)[] {
  const materials = i.materials.map((m) => `${m.id}=${[m.name, m.form, m.copies, REQ[m.requirement], m.trustLevel, ...(m.condition ? [m.condition] : [])].join(':')}`).join(';');
  const p = i.provenance;
  return [i.code, i.name, i.nationalName ?? '', i.itemType, i.department, i.modes.join('|'), materials, i.statutoryDays, i.promisedDays,
    i.resultKind, i.electronicLicence ? '是' : '否', i.deliveryMethods.join('|'), p.status, p.status === 'verified' ? p.source : '', p.status === 'verified' ? '' : p.note ?? ''];
}

async function writeSheet(path: string, items: CatalogItem[]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const ws = wb.addWorksheet('事项清单');
  ws.addRow(HEADERS).commit();
  for (const item of items) ws.addRow(toRow(item)).commit();
  ws.commit();
  await wb.commit();
}

const seconds = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
  const t = performance.now();
  const r = await fn();
  return [(performance.now() - t) / 1000, r];
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (s: number) => `${s.toFixed(3)} s`.padStart(9);
const rate = (s: number) => `${Math.round(ROWS / s).toLocaleString('en-US')} rows/s`.padStart(16);

async function importInto(name: string, databaseUrl: string | null, items: CatalogItem[]): Promise<number[]> {
  const times: number[] = [];
  const database = await openDatabase({ databaseUrl, pgliteDir: 'memory://' });
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const [t] = await seconds(() => importCatalog({ db: database.db, items, version: `bench-${r}`, effectiveFrom: '2025-01-01', source: 'bench.xlsx', sha256: '0'.repeat(64) }));
      times.push(t);
    }
  } finally {
    await database.close();
  }
  console.log(`import ${name.padEnd(26)}${fmt(median(times))}${rate(median(times))}   (median of ${ROUNDS}: ${times.map((t) => t.toFixed(2)).join(', ')})`);
  return times;
}

async function main() {
  const watchdog = setTimeout(() => { console.error(`bench: still running after ${WATCHDOG_MS / 1000} s, giving up`); process.exit(1); }, WATCHDOG_MS);
  watchdog.unref();
  console.log(machineFacts().join('\n'));
  const dir = mkdtempSync(join(tmpdir(), 'handshake-bench-catalog-'));
  try {
    const base = (readDefaultCatalog().file as { items: CatalogItem[] }).items;
    const items = Array.from({ length: ROWS }, (_, n) => ({ ...base[n % base.length]!, code: `KS-BENCH-${String(n + 1).padStart(5, '0')}` }));
    const path = join(dir, 'catalog-10000.xlsx');
    await writeSheet(path, items);
    console.log(`\nsheet    ${ROWS} rows, ${(statSync(path).size / 2 ** 20).toFixed(2)} MiB .xlsx (the default catalog's 120 items repeated)\n`);

    const read: number[] = [];
    const parsed: number[] = [];
    const json: number[] = [];
    const text = JSON.stringify(items);
    for (let r = 0; r < ROUNDS; r++) {
      read.push((await seconds(async () => { let n = 0; for await (const _ of readSheetRows(path)) n++; return n; }))[0]);
      const [t, sheet] = await seconds(() => parseCatalogSheet(path));
      if (sheet.problems.length || sheet.items.length !== ROWS) throw new Error(`bench sheet did not parse: ${sheet.problems.length} problems, ${sheet.items.length} items`);
      parsed.push(t);
      json.push((await seconds(async () => validateItems(JSON.parse(text) as unknown[])))[0]);
    }
    const p = median(parsed);
    console.log(`read rows only (baseline)        ${fmt(median(read))}${rate(median(read))}`);
    console.log(`parse + validate                 ${fmt(p)}${rate(p)}   ${(p / median(read)).toFixed(2)}x the baseline read`);
    console.log(`JSON.parse + schema (baseline)   ${fmt(median(json))}${rate(median(json))}   validation share of parse: ${(median(json) / p * 100).toFixed(0)}%\n`);

    const lite = median(await importInto('PGlite (in memory)', null, items));
    let pg: number | null = null;
    const admin = process.env.DATABASE_URL;
    if (admin) {
      const name = `hs_bench_${Date.now().toString(36)}`;
      const sql = postgres(admin, { max: 1, onnotice: () => {} });
      await sql.unsafe(`create database ${name}`);
      try {
        const url = new URL(admin);
        url.pathname = `/${name}`;
        pg = median(await importInto('PostgreSQL (DATABASE_URL)', url.toString(), items));
      } finally {
        await sql.unsafe(`drop database if exists ${name} with (force)`);
        await sql.end({ timeout: 1 });
      }
    } else console.log('import PostgreSQL: skipped (DATABASE_URL not set)');

    console.log('');
    for (const [name, db] of [['PGlite', lite], ['PostgreSQL', pg]] as const) {
      if (db === null) continue;
      const total = p + db;
      console.log(`10,000 rows parse + validate + import (${name}): ${total.toFixed(2)} s   target <= ${TARGET_S} s   ${total <= TARGET_S ? 'PASS' : 'FAIL'}   (${Math.round(ROWS / total).toLocaleString('en-US')} rows/s)`);
    }
    console.log('\nmapping throughput (pure adapter mapping, no I/O):');
    for (const line of benchMapping(20_000)) console.log(`  ${line}`);
    console.log(`loadavg after: ${loadAverage()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
