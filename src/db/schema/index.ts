export { replayGuard } from './replay-guard';
export { idempotencyKeys } from './idempotency-keys';
export { registrySnapshots } from './registry-snapshots';
export { catalogVersions } from './catalog-versions';
export { catalogItems } from './catalog-items';
