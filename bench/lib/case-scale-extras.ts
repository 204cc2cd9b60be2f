import postgres from 'postgres';
import type { CaseQuery } from './case-queries';
import type { SpawnedGateway } from './gateway-spawn';

/** An index the list might need, created by hand in a bench database to measure it: never a migration. */
export interface IndexExperiment {
  label: string;
  /** The queries it may speed up (the others are not measured again). */
  helps(q: CaseQuery): boolean;
  /** Creates it (and ANALYZEs); says how long that took and how big the index is. */
  create(url: string): Promise<string>;
}

export function experiment(label: string, helps: IndexExperiment['helps'], statements: string[], indexes: string[]): IndexExperiment {
  return {
    label, helps,
    async create(url) {
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const t0 = performance.now();
        for (const s of statements) await sql.unsafe(s);
        await sql.unsafe('analyze cases');
        const [size] = await sql`select pg_size_pretty(sum(pg_relation_size(c.oid))) as size from pg_class c where c.relname in ${sql(indexes)}`;
        return `created in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${size!.size as string}`;
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
  };
}


/**
 * Indexes to try by hand on the bench databases, in order, on the queries still over the target. Empty since
 * migration 0012 made the two the first runs found (btree on created_at, ref; pg_trgm GIN on the searched
 * columns) part of every gateway; add one here to measure the next idea before writing its migration.
 */
export const EXPERIMENTS: IndexExperiment[] = [];

/** VmRSS of the gateway processes every 250 ms: first, peak and last sample, and marks along the way. */
export class RssSampler {
  private samples = new Map<string, number[]>();
  private marks: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private gateways: Record<string, SpawnedGateway> = {};

  start(gateways: Record<string, SpawnedGateway>): void {
    this.gateways = gateways;
    const tick = async () => {
      for (const [name, g] of Object.entries(gateways)) {
        const kib = await g.rssKiB();
        if (Number.isFinite(kib)) this.samples.set(name, [...(this.samples.get(name) ?? []), kib]);
      }
    };
    void tick();
    this.timer = setInterval(() => void tick(), 250);
    this.timer.unref();
  }

  mark(label: string): void {
    const now = Object.entries(this.gateways).map(([name]) => `${name} ${mib(this.samples.get(name)?.at(-1))}`).join(', ');
    this.marks.push(`${label}: ${now}`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  report(): string[] {
    const lines = [...this.samples].map(([name, xs]) => `${name.padEnd(4)} start ${mib(xs[0])}, peak ${mib(Math.max(...xs))}, end ${mib(xs.at(-1))} (${xs.length} samples)`);
    return [...lines, ...this.marks];
  }
}

const mib = (kib: number | undefined) => (kib === undefined ? '-' : `${(kib / 1024).toFixed(0)} MiB`);
