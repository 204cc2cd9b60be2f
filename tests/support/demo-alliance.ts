import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../src/entry/node/free-port';
import { startGatewayProcess, type GatewayProcess } from './process';
import { until } from './receiver-proxy';

export const DEV_IDS = ['gaoxin', 'xihaike', 'chengdu-gx'] as const;
export type DevId = (typeof DEV_IDS)[number];

/** A base port with the next two free as well: the dev alliance listens on PORT, PORT+1, PORT+2. */
export const threeFreePorts = (): Promise<number> => freeLoopbackPort(3);

/** `NAME=value` lines of the dev alliance's clerks.env. */
export function readTokens(file: string): Record<string, string> {
  return Object.fromEntries(readFileSync(file, 'utf8').split('\n').flatMap((line) => {
    const m = /^([A-Z0-9_]+)=(\S+)$/.exec(line);
    return m ? [[m[1]!, m[2]!]] : [];
  }));
}

export interface DemoAlliance {
  dataDir: string;
  process: GatewayProcess;
  urls: Record<DevId, string>;
  /** Clerk tokens by variable name (GAOXIN_INTAKE_TOKEN, XIHAIKE_HANDLING_TOKEN, ...). */
  tokens: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * `npm start` with no configuration, as a new user runs it: three member gateways, their back-office
 * sandboxes and one clerk per role, in a fresh data directory; resolves once the how-to is printed.
 */
export async function startDemoAlliance(env: Record<string, string> = {}): Promise<DemoAlliance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'handshake-demo-'));
  const port = await threeFreePorts();
  const gw = await startGatewayProcess({ HANDSHAKE_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env }, port, 120_000);
  try {
    await until('the dev alliance is up', async () => gw.output().includes('Take a case end to end'), 120_000);
  } catch (e) {
    await gw.stop(true);
    throw e;
  }
  const urls = Object.fromEntries(DEV_IDS.map((id, i) => [id, `http://127.0.0.1:${port + i}`])) as Record<DevId, string>;
  return { dataDir, process: gw, urls, tokens: readTokens(join(dataDir, 'dev', 'clerks.env')), stop: () => gw.stop() };
}
