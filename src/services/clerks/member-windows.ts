import type { PartnerConfig } from '../partners/schema';

export type Window = PartnerConfig['windows'][number];

/**
 * This member's 跨域通办 windows, from its own partner file; none when it has no file (nothing to check
 * a clerk's window against then).
 */
export function memberWindows({ ctx }: { ctx: { partners: ReadonlyMap<string, { config: PartnerConfig }>; memberId: string } }): Window[] {
  return ctx.partners.get(ctx.memberId)?.config.windows ?? [];
}
