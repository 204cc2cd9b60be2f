/**
 * The logging port. The Node entry passes pino; tests pass a recorder.
 * @example log.child({ member: 'gaoxin' }).info({ status: 200 }, 'request')
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: object): Logger;
}

export const silentLogger: Logger = {
  debug: () => {}, info: () => {}, warn: () => {}, error: () => {},
  child: () => silentLogger,
};

/** 身份证号 display: hide the 8 birth-date digits (110105********1234). */
export function maskIdNumber(id: string): string {
  if (id.length === 18) return `${id.slice(0, 6)}********${id.slice(14)}`;
  if (id.length <= 4) return '*'.repeat(id.length);
  return `${id.slice(0, 2)}${'*'.repeat(id.length - 4)}${id.slice(-2)}`;
}

const ID_NUMBER = /\b(\d{6})(\d{8})(\d{3}[\dXx])\b/g;
const PHONE = /\b(1[3-9]\d)(\d{4})(\d{4})\b/g;
const JWS = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const CLERK_TOKEN = /\bhsk_[A-Za-z0-9_-]{20,}/g;

/** Scrubs personal data and tokens from free text before it reaches a log line. */
export function redactText(s: string): string {
  return s.replace(JWS, '[jws]').replace(CLERK_TOKEN, '[clerk-token]').replace(ID_NUMBER, '$1********$3').replace(PHONE, '$1****$3');
}

/** A child logger made only when first used: most requests never log beyond their one line. */
export function lazyChild(parent: Logger, bindings: object): Logger {
  let child: Logger | null = null;
  const get = () => (child ??= parent.child(bindings));
  return {
    debug: (o, m) => get().debug(o, m),
    info: (o, m) => get().info(o, m),
    warn: (o, m) => get().warn(o, m),
    error: (o, m) => get().error(o, m),
    child: (b) => lazyChild(get(), b),
  };
}
