import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config';

const member = {
  HANDSHAKE_MEMBER_ID: 'gaoxin',
  HANDSHAKE_PUBLIC_URL: 'https://gaoxin.example.test/',
  HANDSHAKE_SIGNING_KEY: './keys/gaoxin.jwk',
  HANDSHAKE_ANCHOR_JWKS: './anchor.jwks.json',
  HANDSHAKE_REGISTRY: 'https://anchor.example.test/registry.jwt',
};

function issues(env: Record<string, string>) {
  try {
    parseConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('with nothing set, runs the local development member on 8080 with the embedded database', () => {
    expect(parseConfig({})).toEqual({
      port: 8080, host: '0.0.0.0', member: null, outbox: { baseMs: 2000, capMs: 900000, leaseMs: 60000, cooldownMs: 30000 }, backOffice: { pollSeconds: 60 }, instances: { heartbeatMs: 5000, deadMs: 30000 }, livekit: null, meetings: { maxMinutes: 60, warnMinutes: 5 }, followUp: { badReviewCallbackDays: 1, badReviewRemedyDays: 15, complaintReplyDays: 5 }, registryRefreshSeconds: 60, blockedMembers: [], partnersDir: null, dataKey: null, databaseUrl: null, dataDir: './.data', logLevel: 'info',
    });
  });

  it('the 好差评 and complaint clocks are whole working days within bounds, each named when wrong', () => {
    expect(parseConfig({ HANDSHAKE_BAD_REVIEW_CALLBACK_DAYS: '2', HANDSHAKE_BAD_REVIEW_REMEDY_DAYS: '10', HANDSHAKE_COMPLAINT_REPLY_DAYS: '3' }).followUp)
      .toEqual({ badReviewCallbackDays: 2, badReviewRemedyDays: 10, complaintReplyDays: 3 });
    expect(issues({ HANDSHAKE_BAD_REVIEW_CALLBACK_DAYS: '0', HANDSHAKE_BAD_REVIEW_REMEDY_DAYS: '1.5', HANDSHAKE_COMPLAINT_REPLY_DAYS: '31' }).map((i) => i.variable))
      .toEqual(['HANDSHAKE_BAD_REVIEW_CALLBACK_DAYS', 'HANDSHAKE_BAD_REVIEW_REMEDY_DAYS', 'HANDSHAKE_COMPLAINT_REPLY_DAYS']);
  });

  it('a configured member needs all of its settings, and the public URL loses its trailing slash', () => {
    const c = parseConfig({ ...member, PORT: '9001', DATABASE_URL: 'postgres://u@h/db', LOG_LEVEL: 'warn' });
    expect(c.member).toEqual({
      memberId: 'gaoxin', publicUrl: 'https://gaoxin.example.test', signingKey: './keys/gaoxin.jwk', anchorJwks: './anchor.jwks.json', registry: member.HANDSHAKE_REGISTRY,
    });
    expect(c.port).toBe(9001);
    expect(c.databaseUrl).toBe('postgres://u@h/db');
  });

  it('names each missing variable', () => {
    expect(issues({ HANDSHAKE_MEMBER_ID: 'gaoxin' }).map((i) => i.variable)).toEqual(['HANDSHAKE_PUBLIC_URL', 'HANDSHAKE_SIGNING_KEY', 'HANDSHAKE_ANCHOR_JWKS', 'HANDSHAKE_REGISTRY']);
    expect(issues({ HANDSHAKE_REGISTRY: 'x' })).toEqual([{ variable: 'HANDSHAKE_MEMBER_ID', message: 'required when HANDSHAKE_REGISTRY is set' }]);
  });

  it('LiveKit needs its URL, key and secret together; a meeting warns before it ends', () => {
    expect(parseConfig({ LIVEKIT_URL: 'wss://lk.example.test', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' }).livekit).toEqual({ url: 'wss://lk.example.test', apiKey: 'k', apiSecret: 's' });
    expect(issues({ LIVEKIT_URL: 'wss://lk.example.test' }).map((i) => i.variable)).toEqual(['LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']);
    expect(issues({ LIVEKIT_URL: 'ftp://lk.example.test', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' }).map((i) => i.variable)).toEqual(['LIVEKIT_URL']);
    expect(issues({ HANDSHAKE_MEETING_MAX_MINUTES: '10', HANDSHAKE_MEETING_WARN_MINUTES: '10' }).map((i) => i.variable)).toEqual(['HANDSHAKE_MEETING_WARN_MINUTES']);
  });

  it('an instance counts as gone only after several missed heartbeats', () => {
    expect(parseConfig({ HANDSHAKE_HEARTBEAT_MS: '500', HANDSHAKE_INSTANCE_DEAD_MS: '2000' }).instances).toEqual({ heartbeatMs: 500, deadMs: 2000 });
    expect(issues({ HANDSHAKE_HEARTBEAT_MS: '5000', HANDSHAKE_INSTANCE_DEAD_MS: '10000' })).toEqual([{ variable: 'HANDSHAKE_INSTANCE_DEAD_MS', message: 'must be at least 3 x HANDSHAKE_HEARTBEAT_MS (15000)' }]);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['HANDSHAKE_MEMBER_ID', 'Gaoxin_1'],
    ['HANDSHAKE_PUBLIC_URL', 'ftp://x.test'],
    ['HANDSHAKE_PUBLIC_URL', 'https://x.test/?q=1'],
    ['DATABASE_URL', 'mysql://x'],
    ['LOG_LEVEL', 'loud'],
    ['HANDSHAKE_REGISTRY_REFRESH_SECONDS', '0'],
    ['HANDSHAKE_BLOCKED_MEMBERS', 'ok-member,BAD'],
  ])('a bad %s (%s) is refused naming the variable', (variable, value) => {
    const found = issues({ ...member, [variable]: value });
    expect(found.map((i) => i.variable)).toContain(variable);
    expect(new ConfigError(found).message).toContain(variable);
  });
});
