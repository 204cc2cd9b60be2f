/** Routes of the federation API, named for authorization (§3.1 step 9). */
export type FederationRoute = 'ping' | 'registry' | 'items' | 'cases' | 'case_status' | 'case_events' | 'meetings' | 'evaluations';

/**
 * Step 9 of §3.1: whether a route is open to a member at all. Rules about the body (item, mode, case)
 * belong to the endpoint.
 * @example const policy = blockListPolicy(['rogue-member']); policy.allows('gaoxin', 'ping') // true
 */
export interface FederationPolicy {
  allows(memberId: string, route: FederationRoute): boolean;
}

/** Every active member may use every route, except members the operator has shut out. */
export function blockListPolicy(blocked: readonly string[]): FederationPolicy {
  const set = new Set(blocked);
  return { allows: (memberId) => !set.has(memberId) };
}
