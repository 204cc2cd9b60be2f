import { and, eq, like, sql } from 'drizzle-orm';
import { chinaDay } from '../../calendar/china-day';
import type { Db } from '../../../db/client';
import { cases } from '../../../db/schema/index';
import { AppError, type FieldError } from '../../../lib/errors';
import { maskIdNumber } from '../../../lib/logger';
import type { ClerkIdentity } from '../../clerks/schema';
import type { CatalogItem } from '../../catalog/item-schema';
import { jointPlanErrors } from '../joint/check-plan';
import { jointStepsView } from '../joint/steps-view';
import { initialCaseState } from '../state-machine';
import { toCaseView } from './find-case';
import type { IntakeCaseView, IntakeCtx, NewIntakeCase } from './types';

/**
 * Takes in a case at the clerk's window: the item and mode checked against the catalog in force (a joint
 * case's steps also against the registry), the ID number and phone sealed, a case number
 * `<member>-<yyyyMMdd>-<seq>` (the day in China Standard Time). A joint case keeps its plan in `jointPlan`.
 */
export async function createIntakeCase({ ctx, input }: { ctx: IntakeCtx; input: { clerk: ClerkIdentity; body: NewIntakeCase } }): Promise<IntakeCaseView> {
  const { clerk, body } = input;
  const now = new Date(ctx.clock.now());
  checkAgainstItem((await ctx.catalog.itemsInForce(now)).get(body.itemCode), body, ctx);
  const { applicant } = body;
  const row = {
    ref: ctx.ids.make('cs'), role: 'intake', intakeMember: clerk.member, handlingMember: null, intakeCaseId: '',
    itemCode: body.itemCode, mode: body.mode, jointPlan: body.mode === 'joint' ? body.steps : null, state: 'intake', stateDetail: initialCaseState('intake', body.delivery.method),
    applicantKind: applicant.kind, applicantName: applicant.name, applicantIdType: applicant.idType,
    applicantIdSealed: await ctx.sealer.seal(applicant.idNumber), applicantIdMasked: maskIdNumber(applicant.idNumber),
    applicantPhoneSealed: applicant.phone ? await ctx.sealer.seal(applicant.phone) : null,
    intake: { member: clerk.member, window: clerk.window, clerk: clerk.id, receivedAt: now.toISOString(), identityCheck: body.identityCheck },
    form: body.form ?? null, delivery: body.delivery, consent: body.consent, materialsDigest: null, createdAt: now, updatedAt: now,
  };
  const day = chinaDay(now.getTime()).replaceAll('-', '');
  // Windows of one member number cases at once: the number and the insert share a transaction that holds
  // an advisory lock for the member and day, so two cases never draw the same number.
  const saved = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CASE_NUMBER_LOCK}, hashtext(${`${clerk.member}-${day}`}))`);
    const intakeCaseId = await nextCaseId(tx, clerk.member, day);
    const [inserted] = await tx.insert(cases).values({ ...row, intakeCaseId }).returning();
    return inserted!;
  });
  return toCaseView(saved, [], jointStepsView(saved, []), ctx.clock.now());
}

/** The advisory lock class of case numbering (the second key is the member and day). */
const CASE_NUMBER_LOCK = 727_010;

function checkAgainstItem(item: CatalogItem | undefined, body: NewIntakeCase, ctx: Pick<IntakeCtx, 'registry' | 'selfId'>): void {
  const errors: FieldError[] = [];
  if (!item) errors.push({ path: 'itemCode', message: `${body.itemCode} is not in the catalog in force` });
  else {
    if (!item.modes.includes(body.mode)) errors.push({ path: 'mode', message: `${item.code} is not offered as ${body.mode} (it is ${item.modes.join(', ')})` });
    if (!item.deliveryMethods.includes(body.delivery.method)) errors.push({ path: 'delivery.method', message: `${item.code} is not delivered by ${body.delivery.method}` });
  }
  errors.push(...stepsErrors(body, ctx));
  if (errors.length) throw new AppError('invalid_request', `the case cannot be taken in: ${errors.length} problem${errors.length > 1 ? 's' : ''}`, { errors });
}

/** A joint case (多地联办) needs its steps, each at a member that handles the item jointly; no other case has any. */
function stepsErrors(body: NewIntakeCase, ctx: Pick<IntakeCtx, 'registry' | 'selfId'>): FieldError[] {
  if (body.mode !== 'joint') return body.steps ? [{ path: 'steps', message: 'only a joint case (mode joint) has steps' }] : [];
  if (!body.steps) return [{ path: 'steps', message: 'required for a joint case: 2 to 8 steps, each at one member' }];
  return jointPlanErrors(body.steps, { registry: ctx.registry(), selfId: ctx.selfId, itemCode: body.itemCode });
}

async function nextCaseId(db: Db, member: string, day: string): Promise<string> {
  const prefix = `${member}-${day}-`;
  // Numerically: past 9999 cases a day the number has five digits, and text order would put it first.
  const [last] = await db.select({ max: sql<string | number | null>`max(substring(${cases.intakeCaseId} from ${prefix.length + 1}::int)::int)` }).from(cases)
    .where(and(eq(cases.role, 'intake'), eq(cases.intakeMember, member), like(cases.intakeCaseId, `${prefix}%`)));
  const seq = last?.max ? Number(last.max) + 1 : 1;
  return `${prefix}${String(seq).padStart(4, '0')}`;
}
