import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';

export interface Vectors {
  protocol: string;
  now: number;
  anchor: { id: string; jwks: { keys: JWK[] } };
  registry: string;
  registryClaims: { members: { id: string; endpoint: string; keys: (JWK & { kid: string })[] }[] };
  receiver: { id: string; publicBase: string };
  request: { method: string; path: string; body: string };
  cases: { name: string; token: string; body: string; expect: string; note?: string }[];
  response: { name: string; token: string; body: string; status: number; requestJti: string; expect: string };
  registryCases: { name: string; token: string; expect: 'ok' | 'reject'; note?: string }[];
  privateKeys: Record<string, string>;
}

export const VECTORS_PATH = new URL('../fixtures/vectors.json', import.meta.url);
export const loadVectors = (): Vectors => JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as Vectors;
