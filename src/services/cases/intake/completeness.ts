import { AppError } from '../../../lib/errors';
import type { ClerkIdentity } from '../../clerks/schema';
import type { CatalogItem } from '../../catalog/item-schema';
import { findIntakeCase, listMaterials } from './find-case';
import { itemOf } from './materials';
import type { IntakeCtx } from './types';

export interface MissingMaterial {
  id: string;
  name: string;
  requirement: 'required' | 'conditional';
  condition?: string;
}

export interface Completeness {
  complete: boolean;
  /** Required materials the case lacks. */
  missing: MissingMaterial[];
  /** Conditional materials the case lacks: needed only if their condition applies (情形). */
  ifApplicable: MissingMaterial[];
  /** 一次性告知 (行政许可法 art. 32): everything the applicant still has to bring, told once. */
  notice: string;
}

/** What the case lacks, against the item's material list; optional (容缺) materials never hold a case up. */
export function completenessOf(item: CatalogItem, held: readonly { requirement: string }[]): Completeness {
  const have = new Set(held.map((m) => m.requirement));
  const lacking = item.materials.filter((m) => !have.has(m.id));
  const missing: MissingMaterial[] = lacking.filter((m) => m.requirement === 'required').map((m) => ({ id: m.id, name: m.name, requirement: 'required' }));
  const ifApplicable: MissingMaterial[] = lacking.filter((m) => m.requirement === 'conditional')
    .map((m) => ({ id: m.id, name: m.name, requirement: 'conditional', ...(m.condition ? { condition: m.condition } : {}) }));
  return { complete: missing.length === 0, missing, ifApplicable, notice: noticeOf(item, missing, ifApplicable) };
}

function noticeOf(item: CatalogItem, missing: MissingMaterial[], ifApplicable: MissingMaterial[]): string {
  const parts = [missing.length
    ? `办理“${item.name}”尚缺以下材料：${missing.map((m, i) => `${i + 1}. ${m.name}`).join('；')}。`
    : `办理“${item.name}”所需材料已齐全。`];
  if (ifApplicable.length) parts.push(`如属以下情形，还需提交：${ifApplicable.map((m) => `${m.name}（${m.condition ?? '视情形'}）`).join('；')}。`);
  return `一次性告知：${parts.join('')}`;
}

/** `GET .../completeness` for a clerk. */
export async function caseCompleteness({ ctx, input }: { ctx: IntakeCtx; input: { clerk: ClerkIdentity; ref: string } }): Promise<Completeness> {
  const row = await findIntakeCase(ctx.db, input.ref, input.clerk);
  if (!row) throw new AppError('not_found', `no case ${input.ref}`);
  return completenessOf(await itemOf(ctx, row), await listMaterials(ctx.db, row.ref));
}
