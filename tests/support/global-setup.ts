import postgres from 'postgres';

/** Fails fast, with the reason, when DATABASE_URL is set but PostgreSQL does not answer. */
export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (e) {
    throw new Error(`DATABASE_URL is set but PostgreSQL does not answer: ${(e as Error).message}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}
