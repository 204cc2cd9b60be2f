import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { bytea } from './columns';

/** The materials of a case, exactly as received (their sha256 checked on the way in). */
export const caseMaterials = pgTable('case_materials', {
  caseRef: text().notNull(),
  position: integer().notNull(),
  requirement: text().notNull(),
  name: text().notNull(),
  mediaType: text().notNull(),
  size: integer().notNull(),
  sha256: text().notNull(),
  content: bytea().notNull(),
}, (t) => [primaryKey({ columns: [t.caseRef, t.position] })]);
