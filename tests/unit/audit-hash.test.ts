import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalRecord, GENESIS_HASH, recordHash } from '../../src/federation/evidence/record';

const record = {
  seq: 7, at: new Date('2025-01-02T03:04:05.678Z'), kind: 'request_received', caseRef: null, peer: 'xihaike',
  method: 'POST', path: '/federation/v1/ping?x=1', token: 'eyJhbGciOiJFZDI1NTE5In0.e30.c2ln',
  bodyDigest: '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU', body: '', registrySeq: '3', prevHash: GENESIS_HASH,
};

describe('the canonical form of an evidence record', () => {
  it('is the compact JSON array of the documented fields, in order, hashed as lower-case hex SHA-256', async () => {
    const text = '["handshake-evidence/1",7,"2025-01-02T03:04:05.678Z","request_received",null,"xihaike","POST",'
      + '"/federation/v1/ping?x=1","eyJhbGciOiJFZDI1NTE5In0.e30.c2ln","47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU",true,"3",'
      + `"${'0'.repeat(64)}"]`;
    expect(canonicalRecord(record)).toBe(text);
    expect(await recordHash(record)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  it('changes with every field, including whether the body was kept and the previous hash', async () => {
    const base = await recordHash(record);
    const variants = [
      { seq: 8 }, { at: new Date('2025-01-02T03:04:05.679Z') }, { kind: 'response_sent' }, { caseRef: 'cs_1' }, { peer: 'gaoxin' },
      { method: 'GET' }, { path: '/federation/v1/ping' }, { token: 'x.y.z' }, { bodyDigest: 'A'.repeat(43) }, { body: null },
      { registrySeq: null }, { prevHash: '1'.repeat(64) },
    ];
    for (const v of variants) expect(await recordHash({ ...record, ...v }), JSON.stringify(v)).not.toBe(base);
  });

  it('commits to the body through bodyDigest and the kept flag, not its bytes (the audit ties the two)', async () => {
    expect(await recordHash({ ...record, body: 'e30=' })).toBe(await recordHash(record));
  });
});
