import type { Db } from '../../../db/client';
import type { cases } from '../../../db/schema/index';
import type { JwsEngine } from '../../../federation/engine';
import type { KeyIndex } from '../../../federation/registry/key-index';
import type { MODES } from '../../../federation/registry/schema';
import type { Clock } from '../../../lib/clock';
import type { Ids } from '../../../lib/ids';
import type { Sealer } from '../../../lib/sealed';
import type { CatalogReader } from '../../catalog/offered-items';
import type { JointStep } from '../joint-plan';
import type { JointStepView } from '../joint/steps-view';
import type { CaseStatus } from '../state-machine';
import type { ClockView } from '../clocks';

export type CaseRow = typeof cases.$inferSelect;
export type Mode = (typeof MODES)[number];

/** What the intake services read and write through; built by the routes from Deps. */
export interface IntakeCtx {
  db: Db;
  sealer: Sealer;
  engine: JwsEngine;
  catalog: CatalogReader;
  /** The registry in force (null before one is loaded). */
  registry: () => KeyIndex | null;
  selfId: string;
  clock: Clock;
  ids: Ids;
}

/** The media types a window may scan or upload. */
export const MATERIAL_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'application/ofd'] as const;
export type MaterialMediaType = (typeof MATERIAL_MEDIA_TYPES)[number];

/** A new intake case as a clerk enters it (validated by the route's schema). */
export interface NewIntakeCase {
  itemCode: string;
  mode: Mode;
  applicant: { kind: 'person' | 'organization'; name: string; idType: string; idNumber: string; phone?: string };
  identityCheck: { method: string; result: string };
  delivery: { method: 'window' | 'post' | 'electronic'; address?: string };
  consent: { dataSharing: true; at: string };
  form?: Record<string, unknown>;
  /** Mode joint (多地联办) only, and then required: its steps (services/cases/joint-plan.ts). */
  steps?: JointStep[];
}

export interface NewMaterial {
  requirement: string;
  name: string;
  mediaType: MaterialMediaType;
  /** base64 */
  content: string;
}

/** A material as the API shows it: never its content. */
export interface MaterialView {
  position: number;
  requirement: string;
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
}

/** An intake case as the API shows it: the ID number masked, the phone never. */
export interface IntakeCaseView extends ClockView {
  ref: string;
  /** intake: taken in at our window; handling: sent to us to decide. */
  role: 'intake' | 'handling';
  intakeMember: string;
  caseId: string;
  itemCode: string;
  mode: string;
  state: CaseStatus;
  applicant: { kind: string; name: string; idType: string };
  applicantIdMasked: string;
  window: string;
  clerk: string;
  delivery: { method: string; address?: string };
  /** Null until the case is transferred. */
  handlingMember: string | null;
  remoteRef: string | null;
  receiptId: string | null;
  /** §7.1 `materialsDigest` of the receipt (the transfer's, on the handling side); null before the transfer. */
  materialsDigest: string | null;
  receivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  materials: MaterialView[];
  /** A step of a joint case: the joint case and the step's id. */
  parentRef?: string;
  step?: string;
  /** A joint case: its steps. */
  steps?: JointStepView[];
}
