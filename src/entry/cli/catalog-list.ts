import { catalogInForce, chinaDate, listItems } from '../../services/catalog/catalog-in-force';
import { isCalendarDate } from '../../services/catalog/import-catalog';
import type { CatalogItem } from '../../services/catalog/item-schema';
import { EXIT, parseCommandArgs, runCommand, UsageError, type CliIo } from './command';
import { openGatewayDatabase } from './gateway-database';

const USAGE = `Usage: handshake catalog list [--at YYYY-MM-DD] [--json]

Lists the items of the catalog in force on a day (default today, China time): the version with the
latest effective date on or before it. Reads the gateway's database (as 'catalog import' does).

Options:
  --at DATE    the day, YYYY-MM-DD
  --json       the version and the full item records as JSON
  -h, --help   this text`;

const OPTIONS = { at: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

/** `handshake catalog list`: the catalog in force, as a table or JSON. */
export function catalogList(argv: string[], io: CliIo): Promise<number> {
  return runCommand('catalog list', USAGE, io, async () => {
    const { values } = parseCommandArgs(argv, OPTIONS);
    const at = values.at ?? chinaDate(new Date());
    if (!isCalendarDate(at)) throw new UsageError(`--at must be a date YYYY-MM-DD, not ${JSON.stringify(at)}`);
    const database = await openGatewayDatabase(io);
    try {
      const version = await catalogInForce(database.db, at);
      const items = version ? await listItems(database.db, version.id) : [];
      if (values.json) {
        io.out(JSON.stringify({ at, version, items }, null, 2));
        return EXIT.ok;
      }
      if (!version) {
        io.err(`no catalog in force on ${at} (import one with 'handshake catalog import')`);
        return EXIT.ok;
      }
      io.out(`catalog version ${version.id} (${version.label}), effective ${version.effectiveFrom}, ${version.itemCount} items, from ${version.sourceFile}`);
      for (const line of table(items)) io.out(line);
      return EXIT.ok;
    } finally {
      await database.close();
    }
  });
}

/** Terminal columns of a string: CJK and full-width characters take two. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

function table(items: CatalogItem[]): string[] {
  const rows = items.map((i) => [i.code, i.name, i.department, i.modes.join('|'), i.provenance.status]);
  const head = ['code', 'name', 'department', 'modes', 'provenance'];
  const widths = head.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c]!))));
  const line = (r: string[]) => r.map((cell, c) => (c === r.length - 1 ? cell : pad(cell, widths[c]!))).join('  ');
  return [line(head), ...rows.map(line)];
}
