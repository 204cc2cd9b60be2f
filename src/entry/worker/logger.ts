import type { Config } from '../../config';
import { maskIdNumber, redactText, type Logger } from '../../lib/logger';

const LEVELS: Record<Config['logLevel'], number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/** Keys whose values never reach a log line, wherever they are nested (as in the Node logger). */
const SECRET_KEYS = new Set(['token', 'authorization', 'd', 'privateKey', 'secret', 'password', 'content', 'phone', 'apiSecret']);

/** One JSON line per entry on the console, which Workers Logs collect; same redaction as the Node logger. */
export function createConsoleLogger(level: Config['logLevel'], bindings: object = {}): Logger {
  const min = LEVELS[level];
  const write = (name: 'debug' | 'info' | 'warn' | 'error', n: number) => (obj: object, msg?: string) => {
    if (n < min) return;
    const line = JSON.stringify({ level: name, time: new Date().toISOString(), ...bindings, ...(scrub(obj) as object), msg });
    (name === 'error' ? console.error : name === 'warn' ? console.warn : console.log)(line);
  };
  return {
    debug: write('debug', 20), info: write('info', 30), warn: write('warn', 40), error: write('error', 50),
    child: (more) => createConsoleLogger(level, { ...bindings, ...(scrub(more) as object) }),
  };
}

function scrub(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return redactText(v);
  if (v instanceof Error) return { type: v.name, message: redactText(v.message), stack: v.stack ? redactText(v.stack) : undefined };
  if (depth > 6 || v === null || typeof v !== 'object') return typeof v === 'bigint' ? String(v) : v;
  if (Array.isArray(v)) return v.map((x) => scrub(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (SECRET_KEYS.has(k)) out[k] = '[redacted]';
    else out[k] = k === 'idNumber' && typeof x === 'string' ? maskIdNumber(x) : scrub(x, depth + 1);
  }
  return out;
}
