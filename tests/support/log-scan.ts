import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every gateway process the suite starts leaves its whole output here; after the run, global-setup's
 * teardown scans every line for personal data and secrets in clear. The run fails on any finding.
 */
export const LOG_DIR = fileURLToPath(new URL('../../test-artifacts/logs', import.meta.url));

export function keepLog(name: string, output: string): void {
  mkdirSync(LOG_DIR, { recursive: true });
  writeFileSync(join(LOG_DIR, `${name}-${process.pid}-${Date.now()}.log`), output);
}

export function clearLogs(): void {
  rmSync(LOG_DIR, { recursive: true, force: true });
}

/** What must never be in a log line: each a pattern and what it is. */
const FORBIDDEN: [RegExp, string][] = [
  // An 18-character resident ID (GB 11643), not inside a longer run of digits; masked ones carry '*'.
  [/(?<![\d])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\d])/, 'a full resident ID number'],
  [/(?<![\d])1[3-9]\d{9}(?![\d])/, 'a mobile phone number'],
  [/hsk_[A-Za-z0-9_-]{43}/, 'a clerk token'],
  [/eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{20,}/, 'a signed token (JWS/JWT)'],
  [/"d"\s*:\s*"[A-Za-z0-9_-]{20,}"/, 'a private key (JWK d)'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a PEM private key'],
];

export interface Finding { file: string; line: number; what: string; excerpt: string }

export function scanLogs(dir = LOG_DIR): { files: number; lines: number; findings: Finding[] } {
  let files = 0;
  let lines = 0;
  const findings: Finding[] = [];
  let names: string[] = [];
  try { names = readdirSync(dir).filter((n) => n.endsWith('.log')); } catch { return { files, lines, findings }; }
  for (const name of names) {
    files++;
    let howTo = false;
    readFileSync(join(dir, name), 'utf8').split('\n').forEach((text, i) => {
      // The dev alliance's printed walk-through (demo-howto.ts) holds its sample applicant on purpose: it is
      // usage text for the person at the terminal, not a log record. It ends at the first empty line.
      if (text.startsWith('Take a case end to end')) howTo = true;
      if (!text) { howTo = false; return; }
      if (howTo) return;
      lines++;
      for (const [re, what] of FORBIDDEN) {
        const m = re.exec(text);
        // The excerpt is masked too: the report of a leak must not leak it again.
        if (m) findings.push({ file: name, line: i + 1, what, excerpt: text.slice(Math.max(0, m.index - 40), m.index).concat('<', what, '>') });
      }
    });
  }
  return { files, lines, findings };
}
