import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../tests/support/http';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A member gateway in its own process (bench/lib/gateway-process.ts: runGateway as `npm start`, plus the plain routes). */
export interface SpawnedGateway {
  url: string;
  plainUrl: string;
  pid: number;
  /** CPU time of the process so far, in µs (its `GET /plain/cpu`). */
  cpuUs(): Promise<number>;
  /** Resident set size of the process now (VmRSS), in KiB; NaN where /proc is not there. */
  rssKiB(): Promise<number>;
  /** What the process wrote to stderr (LOG_LEVEL=warn and above). */
  log(): string;
  close(): Promise<void>;
}

/**
 * Starts bench/lib/gateway-process.ts with `env` (HANDSHAKE_*, DATABASE_URL ...; PORT and HOST are set
 * here) and waits for its READY line. The parent's DATABASE_URL is not inherited: the caller gives the
 * gateway its own database, or none (PGlite under HANDSHAKE_DATA_DIR).
 */
export async function spawnGateway(env: Record<string, string>, readyTimeoutMs = 90_000): Promise<SpawnedGateway> {
  const port = Number(env.PORT) || await freePort();
  const { DATABASE_URL: _inherited, ...parentEnv } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/gateway-process.ts'], {
    cwd: ROOT, env: { ...parentEnv, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => { err = (err + String(d)).slice(-20_000); });
  // Last resort: if this process exits without closing it (an error, the watchdog), the gateway goes too.
  const orphan = () => { if (child.exitCode === null) child.kill('SIGKILL'); };
  process.once('exit', orphan);
  const exited = new Promise<void>((resolve) => child.once('exit', () => { process.off('exit', orphan); resolve(); }));
  const ports = await new Promise<{ gateway: number; plain: number }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`gateway process not ready within ${readyTimeoutMs / 1000} s:\n${err}`)); }, readyTimeoutMs);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) { clearTimeout(timer); resolve(JSON.parse(line.slice(6)) as { gateway: number; plain: number }); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway process exited with ${code}:\n${err}`)); });
  });
  const plainUrl = `http://127.0.0.1:${ports.plain}`;
  const pid = child.pid!;
  return {
    url: `http://127.0.0.1:${ports.gateway}`, plainUrl, pid,
    cpuUs: async () => ((await (await fetch(`${plainUrl}/plain/cpu`)).json()) as { cpuUs: number }).cpuUs,
    rssKiB: () => readRssKiB(pid),
    log: () => err,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(hard);
    },
  };
}

/** VmRSS of a process from /proc/<pid>/status, in KiB. */
export async function readRssKiB(pid: number): Promise<number> {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
