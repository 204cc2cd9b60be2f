import type { JWK } from 'jose';
import { ConfigError, parseConfig, type Config, type MemberSettings } from '../../config';
import { algForJwk } from '../../federation/keys';
import type { RegistrySource } from '../../federation/registry/store';
import { urlRegistrySource } from '../../federation/registry/url-source';
import type { AnchorKeys } from '../../federation/registry/verify';
import type { FetchLike } from '../../lib/http';
import type { Hyperdrive } from './database';

/** The Worker's bindings: `[vars]`, secrets and the Hyperdrive binding of wrangler.toml. */
export interface WorkerEnv {
  HYPERDRIVE: Hyperdrive;
  /** The window console's files (wrangler.toml [assets], dist/console); absent: the console is not served. */
  ASSETS?: { fetch(request: Request): Promise<Response> };
  HANDSHAKE_MEMBER_ID?: string;
  HANDSHAKE_PUBLIC_URL?: string;
  /** Secret: the private JWK JSON itself. */
  HANDSHAKE_SIGNING_KEY?: string;
  /** The pinned anchor JWKS JSON itself. */
  HANDSHAKE_ANCHOR_JWKS?: string;
  /** An https URL, or the registry JWS itself. */
  HANDSHAKE_REGISTRY?: string;
  HANDSHAKE_REGISTRY_REFRESH_SECONDS?: string;
  HANDSHAKE_BLOCKED_MEMBERS?: string;
  /** Secret: the key sealing personal data at rest (hex or base64url of 32 bytes). */
  HANDSHAKE_DATA_KEY?: string;
  /** Outbox retry and circuit settings (src/config.ts). */
  HANDSHAKE_OUTBOX_BASE_MS?: string;
  HANDSHAKE_OUTBOX_CAP_MS?: string;
  HANDSHAKE_OUTBOX_COOLDOWN_MS?: string;
  /** LiveKit for cloud meetings; the secret with `wrangler secret put LIVEKIT_API_SECRET`. */
  LIVEKIT_URL?: string;
  LIVEKIT_API_KEY?: string;
  LIVEKIT_API_SECRET?: string;
  HANDSHAKE_MEETING_MAX_MINUTES?: string;
  HANDSHAKE_MEETING_WARN_MINUTES?: string;
  LOG_LEVEL?: string;
}

/** Only these bindings are settings; HYPERDRIVE and anything else never reach parseConfig. */
const SETTINGS = [
  'HANDSHAKE_MEMBER_ID', 'HANDSHAKE_PUBLIC_URL', 'HANDSHAKE_SIGNING_KEY', 'HANDSHAKE_ANCHOR_JWKS', 'HANDSHAKE_REGISTRY',
  'HANDSHAKE_REGISTRY_REFRESH_SECONDS', 'HANDSHAKE_BLOCKED_MEMBERS', 'HANDSHAKE_DATA_KEY',
  'HANDSHAKE_OUTBOX_BASE_MS', 'HANDSHAKE_OUTBOX_CAP_MS', 'HANDSHAKE_OUTBOX_COOLDOWN_MS', 'LOG_LEVEL',
  'LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET', 'HANDSHAKE_MEETING_MAX_MINUTES', 'HANDSHAKE_MEETING_WARN_MINUTES',
] as const;

export interface WorkerSettings {
  config: Config;
  member: MemberSettings;
  signingJwk: JWK;
  anchors: AnchorKeys;
}

/** Validates the bindings once per isolate; errors name the variable, never its value. */
export function readWorkerSettings(env: WorkerEnv): WorkerSettings {
  const raw: Record<string, string | undefined> = {};
  for (const k of SETTINGS) if (typeof env[k] === 'string') raw[k] = env[k];
  const config = parseConfig(raw);
  const member = config.member;
  if (!member) throw new ConfigError([{ variable: 'HANDSHAKE_MEMBER_ID', message: 'required on Workers (the development alliance is Node only)' }]);
  if (!/^https:\/\//.test(member.registry) && !member.registry.startsWith('eyJ')) {
    throw new ConfigError([{ variable: 'HANDSHAKE_REGISTRY', message: 'on Workers, an https URL or the registry JWS itself (eyJ...)' }]);
  }
  return { config, member, signingJwk: parseSigningKey(member.signingKey), anchors: parseAnchors(member.anchorJwks) };
}

function parseJson(variable: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new ConfigError([{ variable, message: 'must be the JSON itself (Workers have no files)' }]);
  }
}

function parseSigningKey(value: string): JWK {
  const jwk = parseJson('HANDSHAKE_SIGNING_KEY', value) as JWK | null;
  if (!jwk || typeof jwk !== 'object' || !jwk.d || !algForJwk(jwk)) {
    throw new ConfigError([{ variable: 'HANDSHAKE_SIGNING_KEY', message: 'not a private Ed25519 or P-256 JWK' }]);
  }
  return jwk;
}

function parseAnchors(value: string): AnchorKeys {
  const jwks = parseJson('HANDSHAKE_ANCHOR_JWKS', value) as AnchorKeys | null;
  if (!Array.isArray(jwks?.keys) || jwks.keys.length === 0) throw new ConfigError([{ variable: 'HANDSHAKE_ANCHOR_JWKS', message: 'expected a JWKS {"keys": [...]} with at least one key' }]);
  if (jwks.keys.some((k) => 'd' in k)) throw new ConfigError([{ variable: 'HANDSHAKE_ANCHOR_JWKS', message: 'contains a private key; pin only the public keys' }]);
  return jwks;
}

/** The configured registry: the token itself, or an https URL fetched with a timeout. */
export function registrySource(value: string, fetchFn: FetchLike): RegistrySource {
  if (value.startsWith('eyJ')) return async () => value;
  return urlRegistrySource(value, fetchFn);
}

/**
 * The source as the requests of one isolate share it: asked at most once per `ttlMs`, a failure
 * included, so a registry that is down does not cost every request a timeout. Only settled values are
 * kept: a promise of another request's I/O must not be awaited in this one.
 */
export function throttledSource(source: RegistrySource, ttlMs: number, now: () => number) {
  let last: { at: number; token: string | null; error: string } | null = null;
  const ask = async (force: boolean): Promise<string> => {
    const at = now();
    if (!force && last && at - last.at < ttlMs) {
      if (last.token !== null) return last.token;
      throw new Error(last.error);
    }
    try {
      const token = await source();
      last = { at, token, error: '' };
      return token;
    } catch (e) {
      last = { at, token: null, error: (e as Error).message };
      throw e;
    }
  };
  return { cached: () => ask(false), fresh: () => ask(true) };
}
