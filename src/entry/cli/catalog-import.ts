import { basename, extname } from 'node:path';
import cliProgress from 'cli-progress';
import { CatalogRejected, importCatalog, isCalendarDate } from '../../services/catalog/import-catalog';
import { formatProblem, parseCatalogSheet, type SheetProgress } from '../node/catalog-sheet';
import { EXIT, parseCommandArgs, required, runCommand, UsageError, type CliIo } from './command';
import { openGatewayDatabase } from './gateway-database';

const USAGE = `Usage: handshake catalog import FILE --effective YYYY-MM-DD [--version LABEL]

Imports the alliance item catalog from a spreadsheet (.xlsx, first worksheet, or .csv) laid out as in
docs/catalog-format.md, as a new catalog version in force from the given day (China time).
Every row is checked; if any is bad, each problem is listed as 'row N, column C: reason' and nothing
is imported (exit 1). The database is the gateway's (DATABASE_URL, or the embedded one under
HANDSHAKE_DATA_DIR: stop the gateway first), migrated if needed.

Options:
  --effective DATE   the first day the catalog is in force, YYYY-MM-DD
  --version LABEL    the version's label (default: the file name without extension)
  -h, --help         this text`;

const OPTIONS = { effective: { type: 'string' }, version: { type: 'string' } } as const;

/** Above this many rows the progress bar shows even when stderr is not a terminal. */
const PROGRESS_ROWS = 1000;

export interface ProgressTarget {
  /** Where the progress bar is drawn; default process.stderr. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** `handshake catalog import`: a sheet, validated whole, becomes one catalog version (all or nothing). */
export function catalogImport(argv: string[], io: CliIo, progress: ProgressTarget = {}): Promise<number> {
  return runCommand('catalog import', USAGE, io, async () => {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, ['FILE']);
    const file = positionals[0]!;
    const effective = required(values.effective, '--effective YYYY-MM-DD');
    if (!isCalendarDate(effective)) throw new UsageError(`--effective must be a date YYYY-MM-DD, not ${JSON.stringify(effective)}`);
    const label = values.version ?? basename(file, extname(file));
    if (!label.trim() || label.length > 100) throw new UsageError('--version must be 1 to 100 characters');
    if (!/\.(xlsx|csv)$/i.test(file)) throw new UsageError(`${file}: expected a .xlsx or .csv file`);

    const bars = progressBars(progress.stream ?? process.stderr);
    let sheet;
    try {
      sheet = await parseCatalogSheet(file, bars.reading);
    } finally {
      bars.stop();
    }
    if (sheet.ignoredColumns.length) io.err(`warning: columns not read: ${sheet.ignoredColumns.join(', ')}`);
    if (sheet.problems.length) {
      const n = sheet.problems.length;
      io.err(`${file}: ${n} problem${n === 1 ? '' : 's'} in ${new Set(sheet.problems.map((p) => p.row)).size} row(s); nothing imported`);
      for (const p of sheet.problems) io.err(formatProblem(p));
      return EXIT.failed;
    }

    const database = await openGatewayDatabase(io);
    try {
      const bar = bars.writing(sheet.items.length);
      let version;
      try {
        version = await importCatalog({ db: database.db, items: sheet.items, version: label, effectiveFrom: effective, source: sheet.file, sha256: sheet.sha256, onProgress: bar });
      } finally {
        bars.stop();
      }
      io.out(`imported catalog version ${version.id} (${version.label})`);
      io.out(`  items      ${version.itemCount}`);
      io.out(`  effective  ${version.effectiveFrom}`);
      io.out(`  source     ${sheet.file} sha256 ${sheet.sha256}`);
      io.out(`  database   ${database.driver}`);
      return EXIT.ok;
    } catch (e) {
      if (!(e instanceof CatalogRejected)) throw e;
      io.err(`${file}: refused: ${e.message}`);
      return EXIT.failed;
    } finally {
      await database.close();
    }
  });
}

/** Progress on stderr: always on a terminal, else only for big sheets (a log then gets a few lines). */
function progressBars(stream: NodeJS.WritableStream & { isTTY?: boolean }) {
  const tty = !!stream.isTTY;
  let bar: cliProgress.SingleBar | null = null;
  let shown = false;
  const make = (format: string, total: number, payload: object) => {
    bar = new cliProgress.SingleBar({ stream, format, noTTYOutput: true, notTTYSchedule: 1000, hideCursor: tty, clearOnComplete: false }, cliProgress.Presets.shades_classic);
    bar.start(total, 0, payload);
    shown = true;
    return bar;
  };
  return {
    reading(p: SheetProgress) {
      if (!bar && (tty || p.rows > PROGRESS_ROWS)) make('reading  |{bar}| {percentage}% | {rows} rows', p.totalBytes, { rows: p.rows });
      bar?.update(p.bytesRead, { rows: p.rows });
    },
    writing(total: number): ((done: number) => void) | undefined {
      if (!shown && !tty && total <= PROGRESS_ROWS) return undefined;
      const b = make('writing  |{bar}| {value}/{total} items', total, {});
      return (done) => b.update(done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
