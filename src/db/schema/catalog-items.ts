import { bigint, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import type { CatalogItem } from '../../services/catalog/item-schema';
import { catalogVersions } from './catalog-versions';

/** The items of one catalog version; `data` is the whole record as `catalogItemSchema` validated it. */
export const catalogItems = pgTable('catalog_items', {
  versionId: bigint({ mode: 'number' }).notNull().references(() => catalogVersions.id, { onDelete: 'cascade' }),
  code: text().notNull(),
  name: text().notNull(),
  department: text().notNull(),
  itemType: text().notNull(),
  data: jsonb().$type<CatalogItem>().notNull(),
}, (t) => [unique('catalog_items_version_code_key').on(t.versionId, t.code)]);
