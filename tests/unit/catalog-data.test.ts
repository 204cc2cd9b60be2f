import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readDefaultCatalog } from '../../src/entry/node/catalog';
import { defaultCatalogFileSchema } from '../../src/services/catalog/default-catalog';
import { catalogItemSchema, type CatalogItem } from '../../src/services/catalog/item-schema';

interface NationalRow { name: string; department: string; batch: string; status: 'verified' | 'unverified'; source: string }

const national = parse(readFileSync(new URL('../../partners/catalog/national-items.csv', import.meta.url)), { columns: true, bom: true }) as NationalRow[];
const { file } = readDefaultCatalog();
const catalog = defaultCatalogFileSchema.parse(file);
const items = catalog.items as CatalogItem[];
const byNationalName = new Map(items.filter((i) => i.nationalName).map((i) => [i.nationalName!, i]));

describe('the default catalog (partners/catalog/items.json)', () => {
  it('has exactly 120 items, every one valid under catalogItemSchema', () => {
    expect(items).toHaveLength(120);
    for (const raw of catalog.items) {
      const r = catalogItemSchema.safeParse(raw);
      expect(r.success, `${(raw as CatalogItem).code}: ${r.error?.message}`).toBe(true);
      expect(r.data).toEqual(raw);
    }
  });

  it('uses unique, stable-looking codes KS-<FAMILY>-<NNN>', () => {
    const codes = items.map((i) => i.code);
    expect(new Set(codes).size).toBe(120);
    for (const code of codes) expect(code).toMatch(/^KS-[A-Z]{2,5}-\d{3}$/);
  });

  it('holds every row of the national list once, with its department and status', () => {
    expect(national).toHaveLength(38);
    for (const row of national) {
      const item = byNationalName.get(row.name);
      expect(item, row.name).toBeDefined();
      expect(item!.name).toBe(row.name);
      expect(item!.department).toBe(row.department);
      expect(item!.provenance.status).toBe(row.status);
    }
    expect(byNationalName.size).toBe(national.length);
  });

  it('cites the source of every verified item, and calls verified only what the national list verified', () => {
    const verified = new Map(national.filter((r) => r.status === 'verified').map((r) => [r.name, r.source]));
    const claimed = items.filter((i) => i.provenance.status === 'verified');
    expect(claimed).toHaveLength(verified.size);
    for (const item of claimed) {
      expect(item.provenance).toEqual({ status: 'verified', source: verified.get(item.nationalName!) });
    }
  });

  it('marks every other item local, as the alliance\'s own list, and no local item names a national one', () => {
    const local = items.filter((i) => !i.nationalName);
    expect(local).toHaveLength(120 - 38);
    for (const item of local) {
      expect(item.provenance.status).toBe('local');
      expect(item.provenance).toMatchObject({ note: expect.stringContaining('alliance') });
    }
    for (const item of items.filter((i) => i.provenance.status === 'unverified')) expect(item.provenance).toMatchObject({ note: expect.stringContaining('not confirmed') });
  });

  it('handles 户口迁移 jointly, keeps promised within statutory days and asks for a power of attorney only when someone acts for the applicant', () => {
    const migrations = items.filter((i) => i.name.startsWith('户口迁移'));
    expect(migrations.length).toBeGreaterThanOrEqual(5);
    for (const item of migrations) expect(item.modes).toEqual(['joint']);
    for (const item of items) {
      expect(item.promisedDays).toBeLessThanOrEqual(item.statutoryDays);
      for (const m of item.materials.filter((x) => x.name.includes('委托书'))) expect(m).toMatchObject({ requirement: 'conditional', condition: expect.stringContaining('代办') });
      if (item.modes.length === 1 && item.modes[0] === 'online') expect(item.materials.filter((m) => m.form !== '电子'), item.code).toEqual([]);
    }
  });
});
