export { replayGuard } from './replay-guard';
export { idempotencyKeys } from './idempotency-keys';
export { registrySnapshots } from './registry-snapshots';
export { catalogVersions } from './catalog-versions';
export { catalogItems } from './catalog-items';
export { outboxMessages } from './outbox-messages';
export { evidenceRecords } from './evidence-records';
export { clerks } from './clerks';
