import { bigint, date, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One imported catalog. The catalog in force at a date is the version with the greatest `effective_from`
 * on or before it; of several with that date, the one imported last (greatest `id`).
 */
export const catalogVersions = pgTable('catalog_versions', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  label: text().notNull(),
  /** A calendar date (`YYYY-MM-DD`), as the alliance office announces it. */
  effectiveFrom: date({ mode: 'string' }).notNull(),
  importedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  /** The file the version came from (its name, no directory). */
  sourceFile: text().notNull(),
  itemCount: integer().notNull(),
  /** Hex SHA-256 of the source file's bytes. */
  sourceSha256: text().notNull(),
}, (t) => [index('catalog_versions_effective_from_idx').on(t.effectiveFrom, t.id)]);
