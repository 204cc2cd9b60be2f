import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../../context';

/**
 * The window console's files (dist/console, built by `npm run build:console`), as the entry reads them:
 * from disk on Node, from the assets binding on Workers.
 * @example { read: async (path) => path === 'index.html' ? { body, type: 'text/html; charset=utf-8' } : null }
 */
export interface ConsoleAssets {
  /** `path` is relative to dist/console, already checked to hold no `..`; null when there is no such file. */
  read(path: string): Promise<{ body: Uint8Array; type: string } | null>;
}

// The console talks only to this gateway, and to the LiveKit server of a meeting (its URL is only known
// at run time, hence ws:/wss:/https: in connect-src). Nothing is framed, no inline script runs.
const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:", "connect-src 'self' ws: wss: https: http://127.0.0.1:* http://localhost:*", "frame-ancestors 'none'",
  "base-uri 'none'", "form-action 'self'", "object-src 'none'",
].join('; ');

const SAFE_PATH = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_.-]+)*\.(?:html|js|css|map|txt|png|svg|ico)$/;

/** `GET /` and `/console` lead to the console; `GET /console/<file>` serves it with a strict CSP. */
export function registerConsole(app: Hono<AppEnv>, deps: Pick<Deps, 'consoleAssets'>): void {
  const assets = deps.consoleAssets;
  if (!assets) return;
  app.get('/', (c) => c.redirect('/console/', 302));
  app.get('/console', (c) => c.redirect('/console/', 301));
  app.get('/console/*', async (c) => {
    const rest = c.req.path.slice('/console/'.length) || 'index.html';
    if (!SAFE_PATH.test(rest) || rest.split('/').includes('..')) return c.notFound();
    const file = await assets.read(rest);
    if (!file) {
      if (rest !== 'index.html') return c.notFound();
      return c.text('The window console is not built: run `npm run build:console`.', 503);
    }
    const headers: Record<string, string> = {
      'content-type': file.type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // Chunks carry a content hash; the entry and the page must be fetched again after an upgrade.
      'cache-control': rest.startsWith('assets/chunks/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, headers);
  });
}
