import pino from 'pino';
import type { Logger } from '../../lib/logger';
import { maskIdNumber, redactText } from '../../lib/logger';

/** Keys whose values never reach a log line, wherever they are nested. */
const SECRET_KEYS = ['token', 'authorization', 'd', 'privateKey', 'secret', 'password', 'content', 'phone', 'apiSecret'];

/** pino with the gateway's redaction rules: no tokens, keys, phone numbers, material content; ID numbers masked. */
export function createNodeLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: SECRET_KEYS.flatMap((k) => [k, `*.${k}`]), censor: '[redacted]' },
    formatters: {
      log: (obj) => scrub(obj) as Record<string, unknown>,
    },
    serializers: { err: (e: Error) => ({ type: e?.name, message: redactText(String(e?.message ?? e)), stack: e?.stack ? redactText(e.stack) : undefined }) },
  }, destination ?? pino.destination({ fd: 1, sync: false })) as unknown as Logger;
}

function scrub(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return redactText(v);
  if (depth > 6 || v === null || typeof v !== 'object' || v instanceof Error) return v;
  if (Array.isArray(v)) return v.map((x) => scrub(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'idNumber' && typeof x === 'string' ? maskIdNumber(x) : scrub(x, depth + 1);
  return out;
}
