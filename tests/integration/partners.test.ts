import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adapterFactory } from '../../adapters/registry';
import { readPartnerFiles } from '../../src/entry/node/partners';
import { defaultCatalogFileSchema } from '../../src/services/catalog/default-catalog';
import { catalogItemSchema, type CatalogItem } from '../../src/services/catalog/item-schema';
import { PartnerDataError, validatePartners, type PartnerFile } from '../../src/services/partners/validate';

const file = defaultCatalogFileSchema.parse(JSON.parse(readFileSync(new URL('../../partners/catalog/items.json', import.meta.url), 'utf8')));
const catalog = new Map<string, CatalogItem>(file.items.map((raw) => catalogItemSchema.parse(raw)).map((i) => [i.code, i]));
const shipped = () => readPartnerFiles();

function problemsOf(files: PartnerFile[], cat: ReadonlyMap<string, CatalogItem> = catalog) {
  try {
    validatePartners(files, cat, adapterFactory);
  } catch (e) {
    expect(e).toBeInstanceOf(PartnerDataError);
    return (e as PartnerDataError).problems;
  }
  throw new Error('expected PartnerDataError');
}

const edited = (member: string, edit: (json: Record<string, unknown>) => void): PartnerFile[] =>
  shipped().map((f) => {
    const json = structuredClone(f.json) as Record<string, unknown>;
    if (json.member === member) edit(json);
    return { ...f, json };
  });

describe('partner data shipped in partners/', () => {
  it('every partner file is valid and every agreed item it handles has a complete mapping (coverage)', () => {
    const partners = validatePartners(shipped(), catalog, adapterFactory);
    expect(partners.map((p) => [p.member, p.adapter])).toEqual([['chengdu-gx', 'soap-legacy'], ['gaoxin', 'standard'], ['xihaike', 'xihaike']]);
    for (const p of partners) {
      const factory = adapterFactory(p.adapter)!;
      for (const a of p.agreements.filter((x) => x.direction !== 'intake')) {
        const mapping = p.items[a.item]!;
        expect(mapping, `${p.member} ${a.item}`).toBeDefined();
        for (const field of factory.requiredFields(mapping)) expect(mapping.fieldMap[field], `${p.member} ${a.item} ${field}`).toBeTruthy();
      }
    }
  });

  it('names no secret, only environment variable names', () => {
    for (const f of shipped()) for (const v of Object.values((f.json as { auth: Record<string, string> }).auth)) expect(v).toMatch(/^[A-Z][A-Z0-9_]+$/);
  });
});

describe('a gap in partner data fails loudly, naming file, field and item', () => {
  it('an agreed item without a mapping', () => {
    const problems = problemsOf(edited('xihaike', (j) => { delete (j.items as Record<string, unknown>)['KS-GJJ-001']; }));
    expect(problems).toEqual([{ file: 'partners/xihaike.json', field: 'items.KS-GJJ-001', reason: 'agreed item KS-GJJ-001 (正常退休提取住房公积金) has no mapping for xihaike' }]);
  });

  it('a mapping that leaves out a field the adapter needs', () => {
    const problems = problemsOf(edited('chengdu-gx', (j) => {
      const m = (j.items as Record<string, { fieldMap: Record<string, string> }>)['KS-GZ-001']!;
      delete m.fieldMap['applicant.idNumber'];
    }));
    expect(problems).toEqual([{ file: 'partners/chengdu-gx.json', field: 'items.KS-GZ-001.fieldMap', reason: 'does not map applicant.idNumber' }]);
  });

  it('an item the catalog lacks, a mode the item does not support, an unknown adapter and bad options, all at once', () => {
    const problems = problemsOf(edited('gaoxin', (j) => {
      const agreements = j.agreements as { item: string; modes: string[] }[];
      agreements[0]!.modes = ['joint'];
      agreements.push({ ...agreements[1]!, item: 'KS-NONE-001' } as never);
      j.options = { callbackUrl: 'not a url' };
    }));
    const fields = problems.map((p) => `${p.file} ${p.field}`);
    expect(fields).toContain('partners/gaoxin.json agreements[0].modes');
    expect(fields).toContain(`partners/gaoxin.json agreements[${(shipped().find((f) => (f.json as { member: string }).member === 'gaoxin')!.json as { agreements: unknown[] }).agreements.length}].item`);
    expect(fields.some((f) => f.startsWith('partners/gaoxin.json options.callbackUrl'))).toBe(true);
    const unknown = problemsOf(edited('gaoxin', (j) => { j.adapter = 'fax-machine'; }));
    expect(unknown).toContainEqual({ file: 'partners/gaoxin.json', field: 'adapter', reason: 'no adapter named fax-machine' });
  });

  it('a secret written into the file instead of a variable name is refused', () => {
    const problems = problemsOf(edited('xihaike', (j) => { (j.auth as Record<string, string>).clientSecret = 's3cr3t-value'; }));
    expect(problems).toEqual([{ file: 'partners/xihaike.json', field: 'auth.clientSecret', reason: 'must be an environment variable name (A-Z, 0-9, _)' }]);
    expect(JSON.stringify(problems)).not.toContain('s3cr3t-value');
  });

  it('an older catalog in force without the agreed items fails every agreement that lost its item', () => {
    const older = new Map([...catalog].filter(([code]) => !code.startsWith('KS-YB-')));
    const problems = problemsOf(shipped(), older);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.file === 'partners/chengdu-gx.json' && /KS-YB-\d{3} is not in the catalog in force/.test(p.reason))).toBe(true);
  });
});
