import { soapLegacyAdapter } from './soap-legacy/index';
import { standardAdapter } from './standard/index';
import { xihaikeAdapter } from './xihaike/index';
import type { AdapterFactory } from './types';

/**
 * Adapter name (a partner file's `adapter`) -> implementation. Adding a partner API is adding a folder
 * under adapters/ and a line here; adding a partner or an item is only data in partners/.
 */
export const ADAPTERS: Readonly<Record<string, AdapterFactory>> = {
  'soap-legacy': soapLegacyAdapter,
  standard: standardAdapter,
  xihaike: xihaikeAdapter,
};

export function adapterFactory(name: string): AdapterFactory | undefined {
  return Object.hasOwn(ADAPTERS, name) ? ADAPTERS[name] : undefined;
}
