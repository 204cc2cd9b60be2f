import { randomBytes } from 'node:crypto';
import { startSandbox as startSoapSandbox } from '../../../adapters/soap-legacy/sandbox';
import { startSandbox as startStandardSandbox } from '../../../adapters/standard/sandbox';
import { startSandbox as startXihaikeSandbox } from '../../../adapters/xihaike/sandbox';
import type { PartnerConfig } from '../../services/partners/schema';
import { portIsFree } from './free-port';

/** A partner back office of the demo: one of the adapters' in-memory sandboxes, on loopback. */
export interface DemoSandbox {
  member: string;
  adapter: string;
  url: string;
  close(): Promise<void>;
}

interface SandboxInput {
  partner: PartnerConfig;
  port: number;
  secret: (role: string) => string;
  /** Where the back office posts its callbacks: the member's gateway (none for a member outside the demo). */
  callbackUrl: string | undefined;
}

const optionsOf = (p: PartnerConfig) => (p.options && typeof p.options === 'object' ? p.options : {}) as Record<string, unknown>;
const serviceCodes = (p: PartnerConfig) => [...new Set(Object.values(p.items).map((i) => i.serviceCode))];

/** adapter name -> how its sandbox starts, with the secrets and service codes of the partner file. */
const STARTERS: Record<string, (input: SandboxInput) => Promise<{ url: string; close(): Promise<void> }>> = {
  standard: ({ partner, port, secret }) => startStandardSandbox({
    port, apiKey: secret('apiKey'), callbackSecret: secret('callbackSecret'),
    services: Object.fromEntries(serviceCodes(partner).map((code) => [code, []])),
  }),
  xihaike: ({ partner, port, secret, callbackUrl }) => startXihaikeSandbox({
    port, clientId: secret('clientId'), clientSecret: secret('clientSecret'), callbackSecret: secret('callbackSecret'),
    ...(callbackUrl ? { callbackUrl } : {}), services: serviceCodes(partner),
  }),
  'soap-legacy': ({ partner, port, secret }) => {
    const o = optionsOf(partner);
    return startSoapSandbox({
      port, username: secret('username'), password: secret('password'), serviceCodes: serviceCodes(partner),
      ...(o.security === 'header' || o.security === 'ws-security' ? { security: o.security } : {}),
      ...(typeof o.servicePath === 'string' ? { servicePath: o.servicePath } : {}),
      ...(typeof o.soapNamespace === 'string' ? { namespace: o.soapNamespace } : {}),
    });
  },
};

/**
 * The value of every secret the partner files name: the environment's when set, else a fresh dev value.
 * The adapters and the sandboxes read the same map, so nothing is written to process.env.
 */
export function devSecrets(partners: PartnerConfig[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of partners) {
    for (const name of Object.values(p.auth)) out.set(name, process.env[name] ?? `dev-${randomBytes(18).toString('base64url')}`);
  }
  return out;
}

/**
 * Starts the sandbox of each partner, on the port of its file's `backOffice.baseUrl` when that port is
 * free (another on loopback otherwise: the caller points the partner at `url`). On a failure, the
 * sandboxes already started are closed.
 */
export async function startDemoSandboxes(partners: PartnerConfig[], secrets: Map<string, string>, callbackUrl: (member: string) => string | undefined): Promise<DemoSandbox[]> {
  const started: DemoSandbox[] = [];
  try {
    for (const partner of partners) {
      const start = STARTERS[partner.adapter];
      if (!start) continue;
      const wanted = Number(new URL(partner.backOffice.baseUrl).port) || 0;
      const port = wanted && (await portIsFree(wanted)) ? wanted : 0;
      const secret = (role: string) => secrets.get(partner.auth[role] ?? '') ?? '';
      const run = (on: number) => start({ partner, port: on, secret, callbackUrl: callbackUrl(partner.member) });
      // Taken between the check and the listen (another dev alliance starting): any free port will do.
      const running = await run(port).catch((e: NodeJS.ErrnoException) => (port && e.code === 'EADDRINUSE' ? run(0) : Promise.reject(e)));
      started.push({ member: partner.member, adapter: partner.adapter, url: running.url, close: running.close });
    }
    return started;
  } catch (e) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw e;
  }
}

/** Points each partner with a running sandbox at it; a standard API also learns where to post callbacks. */
export function pointAtSandboxes(partners: PartnerConfig[], sandboxes: DemoSandbox[], callbackUrl: (member: string) => string | undefined): PartnerConfig[] {
  return partners.map((p) => {
    const sandbox = sandboxes.find((s) => s.member === p.member);
    if (!sandbox) return p;
    const url = callbackUrl(p.member);
    const options = p.adapter === 'standard' && url ? { ...optionsOf(p), callbackUrl: url } : p.options;
    return { ...p, backOffice: { ...p.backOffice, baseUrl: sandbox.url }, options };
  });
}
