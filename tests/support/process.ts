import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { keepLog } from './log-scan';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, or SIGKILL with `hard`; resolves when the process has exited. */
  stop(hard?: boolean): Promise<void>;
}

/** Runs `src/entry/node.ts` as its own process (as `npm start` does) and waits for /health. */
export async function startGatewayProcess(env: Record<string, string>, port: number, timeoutMs = 60_000): Promise<GatewayProcess> {
  const { DATABASE_URL: _drop, ...inherited } = process.env;
  // node itself, with tsx as a loader: a SIGKILL then hits the gateway, not a wrapper that would orphan it.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], { cwd: ROOT, env: { ...inherited, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { out += String(d); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { keepLog(`gateway-${port}`, out); resolve(); }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${out}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway did not answer /health within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, child, output: () => out,
    async stop(hard = false) {
      if (child.exitCode === null) child.kill(hard ? 'SIGKILL' : 'SIGTERM');
      await exited;
    },
  };
}
