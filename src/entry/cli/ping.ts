import type { Self } from '../../context';
import { RESPONSE_TYP, SIGNING_ALGS } from '../../federation/envelope/claims';
import { createFederationClient, FederationClientError, type FederationClient, type SignedAnswer } from '../../federation/client';
import { parseProtectedHeader } from '../../federation/jws';
import { loadSigner } from '../../federation/keys';
import { nodeEngine } from '../node/engine';
import type { RegistrySnapshot } from '../../federation/registry/verify';
import { RegistryStore, type SnapshotRepository } from '../../federation/registry/store';
import { MEMBER_ID } from '../../federation/registry/schema';
import { systemClock } from '../../lib/clock';
import { randomIds } from '../../lib/ids';
import { silentLogger } from '../../lib/logger';
import { createNodeFetch } from '../node/http';
import { resolveCliMember } from './gateway-database';
import { registrySource } from '../node/settings';
import { EXIT, integerOption, parseCommandArgs, runCommand, UsageError, type CliIo } from './command';

const USAGE = `Usage: handshake ping MEMBER [--count N]

Sends a signed POST /federation/v1/ping to MEMBER, as this gateway: the identity and registry
come from the same environment as 'npm start' (HANDSHAKE_MEMBER_ID, HANDSHAKE_SIGNING_KEY,
HANDSHAKE_ANCHOR_JWKS, HANDSHAKE_REGISTRY, ...; with none set, the local development member
in ./.data). Verifies the response signature and prints the round-trip time.
Exits 1 if any ping gets no verified 2xx answer.

Options:
  --count N    pings to send, one after the other (default 1, at most 100)
  -h, --help   this text`;

const OPTIONS = { count: { type: 'string', default: '1' } } as const;

/** `handshake ping`: a signed round trip to another member, with the answer's signature checked (§4). */
export function ping(argv: string[], io: CliIo): Promise<number> {
  return runCommand('ping', USAGE, io, async () => {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, ['MEMBER']);
    const to = positionals[0]!;
    if (!MEMBER_ID.test(to)) throw new UsageError(`${JSON.stringify(to)} is not a member id (^[a-z0-9][a-z0-9-]{1,62}$)`);
    const count = integerOption(values.count, '--count', { min: 1, max: 100 });
    const { member } = await resolveCliMember(io);
    const http = createNodeFetch();
    try {
      const signer = await loadSigner(member.signingJwk);
      const self: Self = { memberId: member.memberId, publicUrl: member.publicUrl, signer };
      // The gateway's database may be held by a running gateway (PGlite locks it): keep snapshots in memory.
      const registry = new RegistryStore({
        anchors: member.anchors, source: registrySource(member.registry, http.fetch), repository: memoryRepository(),
        clock: systemClock, logger: silentLogger,
      });
      const loaded = await registry.start();
      if (loaded.seq === null) throw new Error(`no usable registry snapshot from ${member.registry} (${loaded.reason ?? loaded.outcome})`);
      if (registry.current()?.keys.get(signer.kid)?.member.id !== member.memberId) {
        io.err(`warning: registry seq ${loaded.seq} does not list ${member.memberId}'s signing key ${signer.kid}: ${to} will answer unknown_key`);
      }
      const client = createFederationClient({ self, registry, fetch: http.fetch, clock: systemClock, ids: randomIds, engine: nodeEngine() });
      return await pingTimes(client, to, count, io);
    } finally {
      await http.close();
    }
  });
}

async function pingTimes(client: FederationClient, to: string, count: number, io: CliIo): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    let answer: SignedAnswer;
    try {
      answer = await client.send({ to, method: 'POST', path: '/federation/v1/ping' });
    } catch (e) {
      if (!(e instanceof FederationClientError)) throw e;
      io.err(`ping ${to} failed: ${e.kind}: ${e.message}`);
      if (!e.retryable) break;
      continue;
    }
    const ms = (performance.now() - started).toFixed(1);
    if (answer.status >= 200 && answer.status < 300) {
      times.push(Number(ms));
      io.out(`${to} answered ${answer.status} in ${ms} ms (response signature verified, kid ${responseKid(answer)})`);
    } else {
      io.err(`${to} answered ${answer.status} in ${ms} ms: ${describeProblem(answer)} (response ${answer.verified ? 'signature verified' : 'not signed or not verifiable'})`);
    }
  }
  if (count > 1) {
    const stats = times.length ? `; min/avg/max ${Math.min(...times)}/${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(1)}/${Math.max(...times)} ms` : '';
    io.out(`${count} sent, ${times.length} answered with a verified 2xx${stats}`);
  }
  return times.length === count ? EXIT.ok : EXIT.failed;
}

function responseKid(answer: SignedAnswer): string {
  return (answer.responseToken && parseProtectedHeader(answer.responseToken, RESPONSE_TYP, SIGNING_ALGS)?.kid) ?? '?';
}

function describeProblem(answer: SignedAnswer): string {
  try {
    const p = answer.json<{ code?: unknown; detail?: unknown }>();
    if (typeof p.code === 'string') return `${p.code}: ${typeof p.detail === 'string' ? p.detail : ''}`;
  } catch {
    // Not a problem+json body: say what it was instead.
  }
  return `${answer.contentType ?? 'no content type'}, ${answer.body.byteLength} bytes`;
}

function memoryRepository(): SnapshotRepository {
  let held: RegistrySnapshot | null = null;
  return {
    latest: async () => held?.token ?? null,
    save: async (snapshot) => { held = snapshot; },
  };
}
