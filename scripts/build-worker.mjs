// `npm run build:worker`: bundles src/entry/worker.ts for workerd into dist/worker.js.
// The `workerd` condition picks postgres.js's Cloudflare build (cloudflare:sockets); the few node:*
// modules it still imports are provided by the nodejs_compat flag, so they stay external.
import { build } from 'esbuild';
import { relative } from 'node:path';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the Worker bundle.
 * @param {{ outfile?: string }} [options] where to write it (default dist/worker.js)
 * @returns {Promise<{ outfile: string, bytes: number, externalImports: string[] }>} `externalImports`:
 *   the modules the bundle leaves to the runtime (node:*, cloudflare:*), sorted
 */
export async function buildWorker({ outfile = `${root}dist/worker.js` } = {}) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/entry/worker.ts'],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*', 'node:*'],
    metafile: true,
    logLevel: 'warning',
  });
  const [output] = Object.values(result.metafile.outputs).filter((o) => o.entryPoint);
  const externalImports = [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))].sort();
  return { outfile, bytes: output.bytes, externalImports };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const { outfile, bytes, externalImports } = await buildWorker();
  process.stdout.write(`${relative(process.cwd(), outfile)}: ${(bytes / 1024).toFixed(0)} KiB in ${(performance.now() - started).toFixed(0)} ms; runtime imports: ${externalImports.join(', ')}\n`);
}
