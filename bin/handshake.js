#!/usr/bin/env node
// The `handshake` CLI: TypeScript sources run through tsx, as `npm start` does.
import { register } from 'tsx/esm/api';

register();
// Imported only after register(): a static import would be resolved before tsx is in place.
const { main } = await import('../src/entry/cli.ts');
await main();
