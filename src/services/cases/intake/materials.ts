import { eq, sql } from 'drizzle-orm';
import { caseMaterials, cases } from '../../../db/schema/index';
import { fromBase64, hex } from '../../../lib/encoding';
import { AppError } from '../../../lib/errors';
import type { ClerkIdentity } from '../../clerks/schema';
import type { CatalogItem } from '../../catalog/item-schema';
import { MAX_MATERIAL_BYTES } from '../transfer-schema';
import { findIntakeCase } from './find-case';
import type { CaseRow, IntakeCtx, MaterialView, NewMaterial } from './types';

/**
 * Adds a material to a case still at the intake window: its requirement one of the item's, at most
 * 10 MiB decoded, its sha256 computed here. Under the case's row lock, so positions never collide.
 */
export async function addMaterial({ ctx, input }: { ctx: IntakeCtx; input: { clerk: ClerkIdentity; ref: string; material: NewMaterial } }): Promise<MaterialView> {
  const { material } = input;
  // 4 base64 characters carry 3 bytes: refuse an oversize material before decoding it.
  if (material.content.length > Math.ceil(MAX_MATERIAL_BYTES / 3) * 4 + 4) throw new AppError('payload_too_large', 'a material is at most 10 MiB');
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(material.content);
  } catch {
    throw new AppError('invalid_request', 'the content is not base64', { errors: [{ path: 'content', message: 'not base64' }] });
  }
  if (bytes.byteLength > MAX_MATERIAL_BYTES) throw new AppError('payload_too_large', 'a material is at most 10 MiB');
  if (!bytes.byteLength) throw new AppError('invalid_request', 'the content is empty', { errors: [{ path: 'content', message: 'empty' }] });
  const sha256 = hex(await ctx.engine.sha256(bytes));
  const found = await findIntakeCase(ctx.db, input.ref, input.clerk);
  if (!found) throw new AppError('not_found', `no case ${input.ref}`);
  // The catalog is read outside the transaction: it may sit on another connection (PGlite has one).
  const item = await itemOf(ctx, found);
  if (!item.materials.some((m) => m.id === material.requirement)) {
    throw new AppError('invalid_request', `${item.code} has no material ${material.requirement}`, {
      errors: [{ path: 'requirement', message: `must be one of ${item.materials.map((m) => m.id).join(', ')}` }],
    });
  }
  return ctx.db.transaction(async (tx) => {
    const row = await findIntakeCase(tx, input.ref, input.clerk, true);
    if (!row) throw new AppError('not_found', `no case ${input.ref}`);
    if (row.state !== 'intake') throw new AppError('invalid_transition', `case ${row.ref} is ${row.state}: materials are added at intake only`);
    const [last] = await tx.select({ max: sql<number | null>`max(${caseMaterials.position})` }).from(caseMaterials).where(eq(caseMaterials.caseRef, row.ref));
    const position = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1;
    const view: MaterialView = { position, requirement: material.requirement, name: material.name, mediaType: material.mediaType, size: bytes.byteLength, sha256 };
    await tx.insert(caseMaterials).values({ caseRef: row.ref, ...view, content: bytes });
    await tx.update(cases).set({ updatedAt: new Date(ctx.clock.now()) }).where(eq(cases.ref, row.ref));
    return view;
  });
}

/** The catalog item of a case; a case whose item left the catalog cannot go on. */
export async function itemOf(ctx: Pick<IntakeCtx, 'catalog' | 'clock'>, row: CaseRow): Promise<CatalogItem> {
  const item = (await ctx.catalog.itemsInForce(new Date(ctx.clock.now()))).get(row.itemCode);
  if (!item) throw new AppError('invalid_transition', `item ${row.itemCode} is no longer in the catalog in force`);
  return item;
}
