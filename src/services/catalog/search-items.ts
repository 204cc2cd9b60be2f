import type { KeyIndex } from '../../federation/registry/key-index';
import type { MODES } from '../../federation/registry/schema';
import type { CatalogItem } from './item-schema';
import type { CatalogReader } from './offered-items';

type Mode = (typeof MODES)[number];

/** A member that takes the item as handling member, in the modes the registry lists for it. */
export interface MemberOffer {
  member: string;
  name: string;
  modes: Mode[];
}

export interface ItemSummary {
  code: string;
  name: string;
  department: string;
  type: CatalogItem['itemType'];
  modes: Mode[];
  legalDays: number;
  promisedDays: number;
  provenance: CatalogItem['provenance'];
  offeredBy: string[];
}

export interface ItemSearch {
  /** Case-insensitive substring of the name, national name, code or 基本编码. */
  q?: string;
  department?: string;
  mode?: Mode;
  limit: number;
  offset: number;
}

export interface ItemPage {
  items: ItemSummary[];
  /** How many match, over all pages. */
  total: number;
  /** Every department of the catalog in force, for a filter list (not only those on this page). */
  departments: string[];
}

interface Prepared {
  items: readonly { item: CatalogItem; haystack: string }[];
  departments: string[];
}

// A catalog version never changes once imported, and its reader hands out one map per version: what is
// derived from a map (sorted items, search text) or from a registry snapshot is computed once for it.
const preparedCatalogs = new WeakMap<ReadonlyMap<string, CatalogItem>, Prepared>();
const offersByRegistry = new WeakMap<KeyIndex, ReadonlyMap<string, MemberOffer[]>>();

function prepare(catalog: ReadonlyMap<string, CatalogItem>): Prepared {
  let p = preparedCatalogs.get(catalog);
  if (!p) {
    const items = [...catalog.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map((item) => ({ item, haystack: [item.code, item.name, item.nationalName ?? '', item.baseCode ?? ''].join('\u0000').toLowerCase() }));
    const departments = [...new Set(items.map((i) => i.item.department))].sort();
    p = { items, departments };
    preparedCatalogs.set(catalog, p);
  }
  return p;
}

/**
 * Who offers each item, from the registry in force. A suspended member is left out: its requests are
 * refused (`member_suspended`), so a case cannot be sent to it.
 */
export function offersByItem(registry: KeyIndex | null): ReadonlyMap<string, MemberOffer[]> {
  if (!registry) return new Map();
  let offers = offersByRegistry.get(registry);
  if (!offers) {
    const byCode = new Map<string, MemberOffer[]>();
    for (const m of registry.members.values()) {
      if (m.status !== 'active') continue;
      for (const { code, modes } of m.items ?? []) {
        const list = byCode.get(code) ?? [];
        list.push({ member: m.id, name: m.name, modes });
        byCode.set(code, list);
      }
    }
    offers = byCode;
    offersByRegistry.set(registry, offers);
  }
  return offers;
}

/** `GET /api/v1/items`: the catalog in force, filtered in memory (a few thousand items at most), by code. */
export async function searchItems({ ctx, input }: {
  ctx: { catalog: CatalogReader };
  input: ItemSearch & { registry: KeyIndex | null; at: Date };
}): Promise<ItemPage> {
  const { items, departments } = prepare(await ctx.catalog.itemsInForce(input.at));
  const q = input.q?.trim().toLowerCase();
  const matching = items.filter(({ item, haystack }) =>
    (!q || haystack.includes(q))
    && (!input.department || item.department === input.department)
    && (!input.mode || item.modes.includes(input.mode)));
  const offers = offersByItem(input.registry);
  return {
    items: matching.slice(input.offset, input.offset + input.limit).map(({ item }) => ({
      code: item.code, name: item.name, department: item.department, type: item.itemType, modes: item.modes,
      legalDays: item.statutoryDays, promisedDays: item.promisedDays, provenance: item.provenance,
      offeredBy: (offers.get(item.code) ?? []).map((o) => o.member),
    })),
    total: matching.length,
    departments,
  };
}

/** `GET /api/v1/items/{code}`: the catalog's record with the members offering it; null when the catalog lacks it. */
export async function describeItem({ ctx, input }: {
  ctx: { catalog: CatalogReader };
  input: { code: string; registry: KeyIndex | null; at: Date };
}): Promise<(CatalogItem & { offeredBy: MemberOffer[] }) | null> {
  const item = (await ctx.catalog.itemsInForce(input.at)).get(input.code);
  return item ? { ...item, offeredBy: offersByItem(input.registry).get(item.code) ?? [] } : null;
}
