import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { JWK } from 'jose';
import type { RegistrySource } from '../../federation/registry/store';
import { urlRegistrySource } from '../../federation/registry/url-source';
import type { AnchorKeys } from '../../federation/registry/verify';
import type { FetchLike } from '../../lib/http';

/** A setting that is either inline JSON or the path of a JSON file; errors name the variable. */
export function readJsonSetting<T>(variable: string, value: string): T {
  let text = value;
  if (!value.trimStart().startsWith('{')) {
    try {
      text = readFileSync(value, 'utf8');
    } catch (e) {
      throw new Error(`${variable}: cannot read ${value} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${variable}: ${value === text ? 'the value' : value} is not valid JSON`);
  }
}

export function readSigningKey(value: string): JWK {
  const jwk = readJsonSetting<JWK>('HANDSHAKE_SIGNING_KEY', value);
  if (!jwk || typeof jwk !== 'object' || !jwk.d) throw new Error('HANDSHAKE_SIGNING_KEY: not a private JWK (no "d")');
  return jwk;
}

export function readAnchors(value: string): AnchorKeys {
  const jwks = readJsonSetting<AnchorKeys>('HANDSHAKE_ANCHOR_JWKS', value);
  if (!Array.isArray(jwks?.keys) || jwks.keys.length === 0) throw new Error('HANDSHAKE_ANCHOR_JWKS: expected a JWKS {"keys": [...]} with at least one key');
  if (jwks.keys.some((k) => 'd' in k)) throw new Error('HANDSHAKE_ANCHOR_JWKS: contains a private key; pin only the public keys');
  return jwks;
}

/** The configured registry source: an http(s) URL, or a file read anew at every refresh. */
export function registrySource(value: string, fetchFn: FetchLike): RegistrySource {
  if (/^https?:\/\//.test(value)) return urlRegistrySource(value, fetchFn);
  return () => readFile(value, 'utf8');
}
