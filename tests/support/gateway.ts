import { createGateway, type Gateway } from '../../src/gateway';
import type { Database } from '../../src/db/client';
import type { JwsEngine } from '../../src/federation/engine';
import type { CatalogReader } from '../../src/services/catalog/offered-items';
import type { Clock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { silentLogger, type Logger } from '../../src/lib/logger';
import type { FetchLike } from '../../src/lib/http';
import type { TestAlliance } from './alliance';
import type { PartnerConfig } from '../../src/services/partners/schema';
import type { WorkingCalendar } from '../../src/services/calendar/calendar';
import type { OutboxSettings } from '../../src/federation/outbox/outbox';
import type { MeetingSettings } from '../../src/context';
import type { FollowUpSettings } from '../../src/config';

export interface TestGatewayOptions {
  alliance: TestAlliance;
  memberId: string;
  database: Database;
  clock: Clock;
  /** Returns the registry token the gateway reads at each refresh. */
  registry: () => string | Promise<string>;
  fetch?: FetchLike;
  blockedMembers?: string[];
  logger?: Logger;
  /** Signature primitives; default jose over WebCrypto, as on Workers. */
  engine?: JwsEngine;
  catalog?: CatalogReader;
  /** Seals personal data; a random key when not given. */
  dataKey?: Uint8Array;
  /** Validated partner files; the one named like the member is its own back office. */
  partners?: PartnerConfig[];
  /** Secrets by environment variable name, for the partners' adapters. */
  secrets?: Record<string, string>;
  calendar?: WorkingCalendar;
  /** The outbox's retry policy, circuit and lease. */
  outbox?: OutboxSettings;
  /** LiveKit (the fake of tests/support/fake-livekit, usually) and meeting limits. */
  meetings?: Partial<MeetingSettings>;
  followUp?: Partial<FollowUpSettings>;
}

/** One member gateway in this process, on the given database, registry loaded. */
export async function startTestGateway(o: TestGatewayOptions): Promise<Gateway> {
  const member = o.alliance.members.get(o.memberId);
  if (!member) throw new Error(`no member ${o.memberId} in the test alliance`);
  const gateway = await createGateway({
    memberId: member.id, publicUrl: member.endpoint, signingJwk: member.privateJwk, anchors: o.alliance.anchors,
    registrySource: async () => o.registry(), database: o.database,
    fetch: o.fetch ?? (() => Promise.reject(new Error('no network in this test'))),
    clock: o.clock, ids: randomIds, logger: o.logger ?? silentLogger, blockedMembers: o.blockedMembers, engine: o.engine, catalog: o.catalog, dataKey: o.dataKey ?? crypto.getRandomValues(new Uint8Array(32)),
    partners: o.partners, secret: (name) => o.secrets?.[name], calendar: o.calendar, outbox: o.outbox, meetings: o.meetings, followUp: o.followUp,
  });
  const r = await gateway.registry.start();
  if (r.seq === null) throw new Error(`test gateway ${o.memberId} has no registry: ${r.reason}`);
  return gateway;
}

/**
 * A fetch that delivers to in-process gateways by their registered endpoint: no sockets needed. Any other
 * origin goes to `network` if given, with the caller's input and init as they are: a Request built here
 * would carry a signal that follows the caller's only while that Request lives, so after a garbage
 * collection an `AbortSignal.timeout` would never abort the call (nodejs/node#55428).
 */
export function inProcessFetch(routes: Record<string, { app: { fetch(req: Request): Response | Promise<Response> } }>, network?: FetchLike): FetchLike {
  return async (input, init) => {
    const origin = new URL(input instanceof Request ? input.url : input).origin;
    const target = routes[origin];
    if (target) return target.app.fetch(new Request(input, init));
    if (network) return network(input, init);
    throw new TypeError(`fetch failed: no gateway at ${origin}`);
  };
}
