import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What a command may touch besides the file system: tests pass recorders, `cli.ts` the process. */
export interface CliIo {
  /** Writes one line (a newline is added) to standard output. */
  out(line: string): void;
  /** Writes one line to standard error. */
  err(line: string): void;
  env: Record<string, string | undefined>;
}

/** A CLI command: its arguments (after the command words) in, an exit code out. */
export type Command = (argv: string[], io: CliIo) => Promise<number>;

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Bad invocation (unknown option, missing or malformed value): exit 2 with a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

class HelpRequested extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `node:util` parseArgs, strict, with `--help`; parse failures become UsageError. */
export function parseCommandArgs<T extends Options>(argv: string[], options: T, positionals: readonly string[] = []) {
  const config = { args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } } as T, allowPositionals: true, strict: true } as const;
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (e) {
    if (argv.includes('--help') || argv.includes('-h')) throw new HelpRequested();
    throw new UsageError((e as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) throw new HelpRequested();
  if (parsed.positionals.length < positionals.length) throw new UsageError(`missing ${positionals.slice(parsed.positionals.length).join(' ')}`);
  if (parsed.positionals.length > positionals.length) throw new UsageError(`unexpected argument ${parsed.positionals[positionals.length]}`);
  return parsed;
}

export function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  return value;
}

export function integerOption(value: string, flag: string, range: { min: number; max?: number }): number {
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || (range.max !== undefined && n > range.max)) {
    throw new UsageError(`${flag} must be a whole number ${range.max === undefined ? `>= ${range.min}` : `from ${range.min} to ${range.max}`}, not ${JSON.stringify(value)}`);
  }
  return n;
}

/** Reads and parses a JSON file; the error names the flag, the file and what is wrong with it. */
export function readJsonFile(path: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${flag} ${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${flag} ${path}: not valid JSON (${(e as Error).message})`);
  }
}

export function readTextFile(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${flag} ${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * Runs a command body with the exit-code convention: `--help` prints the usage (0), a UsageError
 * exits 2, any other error prints its message and exits 1.
 */
export async function runCommand(name: string, usage: string, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof HelpRequested) {
      io.out(usage);
      return EXIT.ok;
    }
    if (e instanceof UsageError) {
      io.err(`handshake ${name}: ${e.message}`);
      io.err(`Run 'handshake ${name} --help' for usage.`);
      return EXIT.usage;
    }
    io.err(`handshake ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.failed;
  }
}

export const isoDate = (sec: number): string => new Date(sec * 1000).toISOString();
