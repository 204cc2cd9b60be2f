import { z } from 'zod';
import { INSTANCE_DEFAULTS } from './federation/instances';
import { defaultCircuitPolicy } from './federation/outbox/circuit';
import { DEFAULT_LEASE_MS } from './federation/outbox/outbox';
import { defaultRetryPolicy } from './federation/outbox/policy';
import { DEFAULT_BACKOFFICE_SETTINGS } from './services/cases/backoffice/settings';

const MEMBER_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

const optional = (s: z.ZodType<string>) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

/** A whole number of milliseconds with a default. */
const millis = (fallback: number, min: number, max: number) => z.preprocess((v) => (v === '' || v === undefined ? String(fallback) : v),
  z.string().regex(/^\d+$/, 'must be a whole number of milliseconds').transform(Number).pipe(z.number().int().min(min).max(max)));

/** A whole number of working days with a default, as an environment variable. */
const workingDays = (fallback: string, min: number, max: number) =>
  z.preprocess((v) => (v === '' || v === undefined ? fallback : v), z.string().regex(/^\d+$/, 'must be a whole number of working days').transform(Number).pipe(z.number().int().min(min).max(max)));

/** Working days allowed for the follow-up of a 差评 and for answering a complaint (all configurable). */
export interface FollowUpSettings {
  badReviewCallbackDays: number;
  badReviewRemedyDays: number;
  complaintReplyDays: number;
}

export const DEFAULT_FOLLOW_UP: FollowUpSettings = { badReviewCallbackDays: 1, badReviewRemedyDays: 15, complaintReplyDays: 5 };

const raw = z.object({
  PORT: z.preprocess((v) => (v === '' || v === undefined ? '8080' : v), z.string().regex(/^\d+$/, 'must be a port number').transform(Number).pipe(z.number().int().min(0).max(65535))),
  HOST: z.preprocess((v) => (v === '' || v === undefined ? '0.0.0.0' : v), z.string().min(1)),
  HANDSHAKE_MEMBER_ID: optional(z.string().regex(MEMBER_ID, 'must match ^[a-z0-9][a-z0-9-]{1,62}$ (handshake/1 §1)')),
  HANDSHAKE_PUBLIC_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .refine((u) => !new URL(u).search && !new URL(u).hash, 'must not carry a query or fragment')),
  HANDSHAKE_SIGNING_KEY: optional(z.string().min(1)),
  HANDSHAKE_ANCHOR_JWKS: optional(z.string().min(1)),
  HANDSHAKE_REGISTRY: optional(z.string().min(1)),
  HANDSHAKE_REGISTRY_REFRESH_SECONDS: z.preprocess((v) => (v === '' || v === undefined ? '60' : v), z.string().regex(/^\d+$/, 'must be a whole number of seconds').transform(Number).pipe(z.number().int().min(1).max(3600))),
  HANDSHAKE_BLOCKED_MEMBERS: optional(z.string()),
  HANDSHAKE_PARTNERS_DIR: optional(z.string().min(1)),
  HANDSHAKE_DATA_KEY: optional(z.string().refine((v) => /^[0-9a-f]{64}$/i.test(v.trim()) || /^[A-Za-z0-9_-]{43}$/.test(v.trim()), 'must be 32 bytes as hex (64 characters) or base64url (43 characters)')),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
  HANDSHAKE_DATA_DIR: z.preprocess((v) => (v === '' || v === undefined ? './.data' : v), z.string()),
  HANDSHAKE_OUTBOX_BASE_MS: millis(defaultRetryPolicy.baseMs, 1, 3_600_000),
  HANDSHAKE_OUTBOX_CAP_MS: millis(defaultRetryPolicy.capMs, 1, 86_400_000),
  HANDSHAKE_OUTBOX_LEASE_MS: millis(DEFAULT_LEASE_MS, 500, 3_600_000),
  HANDSHAKE_OUTBOX_COOLDOWN_MS: millis(defaultCircuitPolicy.cooldownMs, 1, 3_600_000),
  HANDSHAKE_HEARTBEAT_MS: millis(INSTANCE_DEFAULTS.heartbeatMs, 100, 60_000),
  HANDSHAKE_INSTANCE_DEAD_MS: millis(INSTANCE_DEFAULTS.deadMs, 500, 600_000),
  HANDSHAKE_BACKOFFICE_POLL_SECONDS: z.preprocess((v) => (v === '' || v === undefined ? String(DEFAULT_BACKOFFICE_SETTINGS.pollMs / 1000) : v), z.string().regex(/^\d+$/, 'must be a whole number of seconds').transform(Number).pipe(z.number().int().min(1).max(86_400))),
  LIVEKIT_URL: optional(z.url({ protocol: /^(https?|wss?)$/, error: 'must be the LiveKit server URL (https:// or wss://)' })),
  LIVEKIT_API_KEY: optional(z.string().min(1).max(200)),
  LIVEKIT_API_SECRET: optional(z.string().min(1).max(500)),
  HANDSHAKE_MEETING_MAX_MINUTES: z.preprocess((v) => (v === '' || v === undefined ? '60' : v), z.string().regex(/^\d+$/, 'must be a whole number of minutes').transform(Number).pipe(z.number().int().min(5).max(480))),
  HANDSHAKE_MEETING_WARN_MINUTES: z.preprocess((v) => (v === '' || v === undefined ? '5' : v), z.string().regex(/^\d+$/, 'must be a whole number of minutes').transform(Number).pipe(z.number().int().min(1).max(60))),
  HANDSHAKE_BAD_REVIEW_CALLBACK_DAYS: workingDays('1', 1, 10),
  HANDSHAKE_BAD_REVIEW_REMEDY_DAYS: workingDays('15', 1, 60),
  HANDSHAKE_COMPLAINT_REPLY_DAYS: workingDays('5', 1, 30),
  LOG_LEVEL: z.preprocess((v) => (v === '' || v === undefined ? 'info' : v), z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
});

const LIVEKIT_VARS = ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET'] as const;

const MEMBER_VARS = ['HANDSHAKE_PUBLIC_URL', 'HANDSHAKE_SIGNING_KEY', 'HANDSHAKE_ANCHOR_JWKS', 'HANDSHAKE_REGISTRY'] as const;

export interface MemberSettings {
  memberId: string;
  /** The public base URL, without a trailing slash: `htu` is checked against it (§3.1 step 8). */
  publicUrl: string;
  /** A path to a private JWK file, or the JWK JSON itself (Workers secrets). */
  signingKey: string;
  /** A path to the anchor JWKS file, or the JWKS JSON itself. */
  anchorJwks: string;
  /** A path or an http(s) URL. */
  registry: string;
}

export interface Config {
  port: number;
  /** The address to listen on. */
  host: string;
  /** `null`: no member configured, so the Node entry bootstraps a local development alliance. */
  member: MemberSettings | null;
  registryRefreshSeconds: number;
  blockedMembers: string[];
  /** Partner files (`*.json`); null: the partners/ folder shipped with the gateway. */
  partnersDir: string | null;
  /** Seals personal data at rest; null: the Node entry keeps a generated key in the data directory. */
  dataKey: string | null;
  databaseUrl: string | null;
  dataDir: string;
  logLevel: z.infer<typeof raw>['LOG_LEVEL'];
  /** Outbox delivery (§5): backoff base and cap, claim lease, circuit cooldown. */
  outbox: { baseMs: number; capMs: number; leaseMs: number; cooldownMs: number };
  /**
   * How often a Node gateway process says it is alive, and how long after its last word its unanswered §5
   * claims count as abandoned (taken over by the next retry instead of after STALE_CLAIM_MS).
   */
  instances: { heartbeatMs: number; deadMs: number };
  /** The member's own back office: seconds between two status polls of a case (callbacks make polls a backstop). */
  backOffice: { pollSeconds: number };
  /** LiveKit for cloud meetings; null: not configured, the meetings API answers 503. */
  livekit: { url: string; apiKey: string; apiSecret: string } | null;
  /** A meeting's longest duration, and how long before it the room is warned. */
  meetings: { maxMinutes: number; warnMinutes: number };
  /** 好差评 and complaints: working days to call a 差评 back and to remedy it; to answer a complaint (限时回复). */
  followUp: FollowUpSettings;
}

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment; pure, so every entry (Node, Workers, tests) shares it. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = raw.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  }
  const v = parsed.data;
  const config: Config = {
    port: v.PORT,
    host: v.HOST,
    member: null,
    registryRefreshSeconds: v.HANDSHAKE_REGISTRY_REFRESH_SECONDS,
    blockedMembers: (v.HANDSHAKE_BLOCKED_MEMBERS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    partnersDir: v.HANDSHAKE_PARTNERS_DIR ?? null,
    dataKey: v.HANDSHAKE_DATA_KEY ?? null,
    databaseUrl: v.DATABASE_URL ?? null,
    dataDir: v.HANDSHAKE_DATA_DIR,
    logLevel: v.LOG_LEVEL,
    outbox: { baseMs: v.HANDSHAKE_OUTBOX_BASE_MS, capMs: v.HANDSHAKE_OUTBOX_CAP_MS, leaseMs: v.HANDSHAKE_OUTBOX_LEASE_MS, cooldownMs: v.HANDSHAKE_OUTBOX_COOLDOWN_MS },
    instances: { heartbeatMs: v.HANDSHAKE_HEARTBEAT_MS, deadMs: v.HANDSHAKE_INSTANCE_DEAD_MS },
    backOffice: { pollSeconds: v.HANDSHAKE_BACKOFFICE_POLL_SECONDS },
    livekit: v.LIVEKIT_URL && v.LIVEKIT_API_KEY && v.LIVEKIT_API_SECRET ? { url: v.LIVEKIT_URL, apiKey: v.LIVEKIT_API_KEY, apiSecret: v.LIVEKIT_API_SECRET } : null,
    meetings: { maxMinutes: v.HANDSHAKE_MEETING_MAX_MINUTES, warnMinutes: v.HANDSHAKE_MEETING_WARN_MINUTES },
    followUp: { badReviewCallbackDays: v.HANDSHAKE_BAD_REVIEW_CALLBACK_DAYS, badReviewRemedyDays: v.HANDSHAKE_BAD_REVIEW_REMEDY_DAYS, complaintReplyDays: v.HANDSHAKE_COMPLAINT_REPLY_DAYS },
  };
  const livekitSet = LIVEKIT_VARS.filter((k) => v[k] !== undefined);
  if (livekitSet.length && livekitSet.length < LIVEKIT_VARS.length) {
    throw new ConfigError(LIVEKIT_VARS.filter((k) => v[k] === undefined).map((k) => ({ variable: k, message: `required with ${livekitSet.join(', ')}` })));
  }
  // A live instance must not look dead because one or two heartbeats were late.
  if (config.instances.deadMs < 3 * config.instances.heartbeatMs) throw new ConfigError([{ variable: 'HANDSHAKE_INSTANCE_DEAD_MS', message: `must be at least 3 x HANDSHAKE_HEARTBEAT_MS (${3 * config.instances.heartbeatMs})` }]);
  if (config.meetings.warnMinutes >= config.meetings.maxMinutes) throw new ConfigError([{ variable: 'HANDSHAKE_MEETING_WARN_MINUTES', message: 'must be less than HANDSHAKE_MEETING_MAX_MINUTES' }]);
  const bad = config.blockedMembers.filter((m) => !MEMBER_ID.test(m));
  if (bad.length) throw new ConfigError([{ variable: 'HANDSHAKE_BLOCKED_MEMBERS', message: `not member ids: ${bad.join(', ')}` }]);
  if (!v.HANDSHAKE_MEMBER_ID) {
    const stray = MEMBER_VARS.filter((k) => v[k] !== undefined);
    if (stray.length) throw new ConfigError([{ variable: 'HANDSHAKE_MEMBER_ID', message: `required when ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set` }]);
    return config;
  }
  const missing = MEMBER_VARS.filter((k) => v[k] === undefined);
  if (missing.length) throw new ConfigError(missing.map((k) => ({ variable: k, message: 'required when HANDSHAKE_MEMBER_ID is set' })));
  config.member = {
    memberId: v.HANDSHAKE_MEMBER_ID,
    publicUrl: v.HANDSHAKE_PUBLIC_URL!.replace(/\/+$/, ''),
    signingKey: v.HANDSHAKE_SIGNING_KEY!,
    anchorJwks: v.HANDSHAKE_ANCHOR_JWKS!,
    registry: v.HANDSHAKE_REGISTRY!,
  };
  return config;
}
