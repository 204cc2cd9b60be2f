import { customType } from 'drizzle-orm/pg-core';

/** Exact bytes (bodies, materials), as Uint8Array on every driver. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });
