import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createNodeLogger } from '../../src/entry/node/logger';
import { maskIdNumber, redactText } from '../../src/lib/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { logger: createNodeLogger('info', stream as never), lines };
}

describe('log redaction', () => {
  it('masks the 8 birth-date digits of an ID number', () => {
    expect(maskIdNumber('110105199001011234')).toBe('110105********1234');
    expect(redactText('申请人 11010519900101123X 已受理')).toBe('申请人 110105********123X 已受理');
  });

  it('never writes tokens, keys, phone numbers, material content or full ID numbers', () => {
    const { logger, lines } = capture();
    const jws = 'eyJhbGciOiJFZDI1NTE5In0.eyJpc3MiOiJnYW94aW4ifQ.c2lnbmF0dXJlc2lnbmF0dXJl';
    logger.child({ member: 'gaoxin' }).info({
      applicant: { idNumber: '110105199001011234', phone: '13812345678' },
      token: 'secret-token', d: 'private-scalar', content: 'base64-material',
      note: `call 13812345678 about 110105199001011234 with ${jws} and hsk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg`,
    }, 'request');
    const out = lines.join('');
    for (const secret of ['110105199001011234', '13812345678', 'secret-token', 'private-scalar', 'base64-material', jws, 'hsk_AbCdEfGh']) expect(out).not.toContain(secret);
    expect(out).toContain('110105********1234');
    expect(JSON.parse(out)).toMatchObject({ member: 'gaoxin', msg: 'request' });
  });
});
