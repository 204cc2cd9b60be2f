import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanLogs } from '../support/log-scan';

// The scan the suite's teardown runs over every gateway process's output: it must find what it looks for.
describe('the log scan', () => {
  it('finds a full ID number, a phone, a clerk token, a JWS and a private key, and passes masked values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-scan-'));
    const jws = `eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJnYW94aW4ifQ.${'s'.repeat(40)}`;
    writeFileSync(join(dir, 'a.log'), [
      JSON.stringify({ msg: 'request', idMasked: '370211********1234', phoneMasked: '139****5678', at: 1795880049307 }),
      JSON.stringify({ msg: 'oops', applicant: { idNumber: '11010519491231002X' } }),
      JSON.stringify({ msg: 'oops', phone: '13912345678' }),
      `token hsk_${'a'.repeat(43)} in clear`,
      `header ${jws}`,
      JSON.stringify({ key: { kty: 'OKP', crv: 'Ed25519', x: 'x'.repeat(43), d: 'd'.repeat(43) } }),
      '',
      'Take a case end to end: the walk-through',
      '  curl -d \'{"idNumber":"11010519491231002X"}\'',
      '',
      JSON.stringify({ msg: 'after the walk-through', idNumber: '11010519491231002X' }),
    ].join('\n'));
    const { findings, lines } = scanLogs(dir);
    expect(findings.map((f) => [f.line, f.what])).toEqual([
      [2, 'a full resident ID number'], [3, 'a mobile phone number'], [4, 'a clerk token'],
      [5, 'a signed token (JWS/JWT)'], [6, 'a private key (JWK d)'], [11, 'a full resident ID number'],
    ]);
    expect(lines).toBe(7);
    // The report masks what it found.
    for (const f of findings) expect(f.excerpt).not.toMatch(/11010519491231002X|13912345678|hsk_a{43}/);
  });
});
