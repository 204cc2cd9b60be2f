import type { PartnerLink } from '../../../context';
import type { CaseCtx } from '../case-ctx';

/**
 * This member's own back office: the partner file named like the member itself (partners/<self>.json),
 * or null, when its clerks handle cases through the clerk API.
 */
export function ownBackOffice(ctx: Pick<CaseCtx, 'partners' | 'selfId'>): PartnerLink | null {
  return ctx.partners.get(ctx.selfId) ?? null;
}

/** The back office decides cases of `itemCode`: its partner file maps the item. */
export function backOfficeHandles(ctx: Pick<CaseCtx, 'partners' | 'selfId'>, itemCode: string): boolean {
  const link = ownBackOffice(ctx);
  return !!link && Object.hasOwn(link.config.items, itemCode);
}
