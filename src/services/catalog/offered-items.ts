import type { Logger } from '../../lib/logger';
import type { KeyIndex } from '../../federation/registry/key-index';
import type { CatalogItem } from './item-schema';

/** The catalog in force, as the federation routes read it. */
export interface CatalogReader {
  itemsInForce(at: Date): Promise<ReadonlyMap<string, CatalogItem>>;
}

export interface OfferedItem {
  code: string;
  name: string;
  modes: string[];
  materials: CatalogItem['materials'];
}

/**
 * §7 `GET /federation/v1/items`: the items the registry lists for this member, with the registry's
 * modes, joined with the catalog's details. A registry item the catalog lacks is left out and logged.
 */
export async function listOfferedItems({ ctx, input }: {
  ctx: { catalog: CatalogReader; logger: Logger };
  input: { registry: KeyIndex | null; memberId: string; at: Date };
}): Promise<OfferedItem[]> {
  const listed = input.registry?.members.get(input.memberId)?.items ?? [];
  if (!listed.length) return [];
  const catalog = await ctx.catalog.itemsInForce(input.at);
  const out: OfferedItem[] = [];
  const missing: string[] = [];
  for (const { code, modes } of listed) {
    const item = catalog.get(code);
    if (!item) { missing.push(code); continue; }
    out.push({ code, name: item.name, modes, materials: item.materials });
  }
  if (missing.length) ctx.logger.warn({ member: input.memberId, missing }, 'registry lists items the catalog in force lacks; left out of /federation/v1/items');
  return out;
}
