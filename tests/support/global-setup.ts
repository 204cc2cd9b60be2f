import postgres from 'postgres';
import { clearLogs, scanLogs } from './log-scan';

/** Fails fast, with the reason, when DATABASE_URL is set but PostgreSQL does not answer. */
export default async function setup() {
  clearLogs();
  const url = process.env.DATABASE_URL;
  if (url) {
    const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
    try {
      await sql`select 1`;
    } catch (e) {
      throw new Error(`DATABASE_URL is set but PostgreSQL does not answer: ${(e as Error).message}`);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
  return teardown;
}

/** After every test: no log line any gateway process wrote may hold personal data or a secret. */
function teardown() {
  const { files, lines, findings } = scanLogs();
  process.stdout.write(`log scan: ${lines} lines in ${files} gateway logs, ${findings.length} findings\n`);
  if (findings.length) {
    throw new Error(`personal data or secrets in gateway logs:\n${findings.slice(0, 20).map((f) => `  ${f.file}:${f.line}: ${f.what}: ...${f.excerpt}`).join('\n')}`);
  }
}
