import { dirname } from 'node:path';
import type { JWK } from 'jose';
import { createSealer } from '../../lib/sealed';
import { readDataKey } from '../node/data-key';
import type { AnchorKeys } from '../../federation/registry/verify';
import { resolveCliMember } from './gateway-database';
import { readJsonFile, type CliIo } from './command';

export interface AuditSources {
  /** The member whose log it is. */
  memberId: string;
  anchors: AnchorKeys;
  /** Where the anchor keys came from, for the report. */
  anchorsFrom: string;
  /** Opens evidence bodies sealed with the member's data key; absent when no key is configured or kept. */
  open?: (sealed: string) => Promise<string>;
}

/** The gateway's identity and anchor keys, found as `npm start` finds them; `--anchor-jwks` overrides the keys. */
export async function auditSources(io: CliIo, anchorFile: string | undefined): Promise<AuditSources> {
  const { config, member } = await resolveCliMember(io);
  const key = readDataKey(config.dataKey, dirname(member.pgliteDir));
  const open = key ? (await createSealer(key)).open : undefined;
  if (anchorFile) return { memberId: member.memberId, anchors: readPinnedAnchors(anchorFile), anchorsFrom: `the pinned anchor keys of ${anchorFile}`, open };
  return { memberId: member.memberId, anchors: member.anchors, anchorsFrom: 'the gateway\'s anchor keys (HANDSHAKE_ANCHOR_JWKS)', open };
}

/** A JWKS of public anchor keys from a file. */
export function readPinnedAnchors(file: string): AnchorKeys {
  const jwks = readJsonFile(file, '--anchor-jwks') as { keys?: unknown } | null;
  if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new Error(`--anchor-jwks ${file}: expected a JWKS {"keys": [...]} with at least one public key`);
  if (jwks.keys.some((k) => !k || typeof k !== 'object' || 'd' in k)) throw new Error(`--anchor-jwks ${file}: contains a private key or a non-key; pin only the anchor's public keys`);
  return { keys: jwks.keys as JWK[] };
}
