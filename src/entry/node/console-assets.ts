import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleAssets } from '../../routes/console/serve-console';

export const CONSOLE_DIR = fileURLToPath(new URL('../../../dist/console', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
};

/** The built console from disk, each file read once and kept (the files change only with a new build and restart). */
export function diskConsoleAssets(dir = CONSOLE_DIR): ConsoleAssets {
  const root = resolve(dir);
  const cache = new Map<string, { body: Uint8Array; type: string } | null>();
  return {
    async read(path) {
      if (cache.has(path)) return cache.get(path)!;
      const full = resolve(join(root, path));
      if (!full.startsWith(`${root}/`)) return null;
      const body = await readFile(full).then((b) => new Uint8Array(b), () => null);
      const file = body ? { body, type: TYPES[extname(full)] ?? 'application/octet-stream' } : null;
      // A missing index.html is not cached: `npm run build:console` while the gateway runs then works.
      if (file) cache.set(path, file);
      return file;
    },
  };
}
