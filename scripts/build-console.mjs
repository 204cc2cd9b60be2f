// `npm run build:console`: bundles the window console (src/console, Preact) into dist/console, which the
// gateway serves at /console/. Chart.js and livekit-client are split into chunks loaded by the pages that
// use them, so signing in does not download the video stack.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the console.
 * @param {{ outdir?: string, minify?: boolean }} [options]
 * @returns {Promise<{ outdir: string, bytes: number }>} `bytes`: the entry script's size
 */
export async function buildConsole({ outdir = `${root}dist/console`, minify = true } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: 'src/console/main.tsx' },
    outdir: `${outdir}/assets`,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    chunkNames: 'chunks/[name]-[hash]',
    minify,
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  copyFileSync(`${root}src/console/index.html`, `${outdir}/index.html`);
  copyFileSync(`${root}src/console/styles.css`, `${outdir}/assets/styles.css`);
  const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint);
  return { outdir, bytes: entry ? entry[1].bytes : 0 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const { outdir, bytes } = await buildConsole();
  process.stdout.write(`console built in ${Math.round(performance.now() - started)} ms: ${outdir} (entry ${(bytes / 1024).toFixed(0)} KiB)\n`);
}
