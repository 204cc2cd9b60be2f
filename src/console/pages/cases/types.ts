/** A case as the clerk API answers it (GET /api/v1/cases/{ref}): the ID number only masked, the phone never. */
export interface CaseMaterial { position: number; requirement: string; name: string; mediaType: string; size: number; sha256: string }

export interface CaseView {
  ref: string;
  role: 'intake' | 'handling';
  intakeMember: string;
  caseId: string;
  itemCode: string;
  mode: string;
  state: string;
  applicant: { kind: string; name: string; idType: string };
  applicantIdMasked: string;
  window: string;
  clerk: string;
  delivery: { method: string; address?: string };
  handlingMember: string | null;
  remoteRef: string | null;
  receiptId: string | null;
  materialsDigest: string | null;
  receivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  materials: CaseMaterial[];
  hop: string | null;
  hopDueAt: string | null;
  deadlineAt: string | null;
  paused: boolean;
  overdue: boolean;
}

export interface MissingMaterial { id: string; name: string; requirement: 'required' | 'conditional'; condition?: string }
export interface Completeness { complete: boolean; missing: MissingMaterial[]; ifApplicable: MissingMaterial[]; notice: string }

export interface TimelineEvent {
  eventId: string;
  type: string;
  at: string;
  side: 'intake' | 'handling';
  sender: string;
  actor?: string;
  status: string;
  note?: string;
  data?: Record<string, unknown>;
}

export interface EvidenceEntry { seq: number; at: string; kind: string; peer: string; method: string; path: string; hash: string }

export interface Timeline { caseRef: string; role: 'intake' | 'handling'; status: string; timeline: TimelineEvent[]; evidence: EvidenceEntry[] }

export interface ShipmentEvent { id: string; at: string; status: string; location?: string; note?: string; recordedBy: string }
export interface Shipment {
  id: string; caseRef: string; direction: string; carrier: string; trackingNo: string; status: string;
  createdBy: string; createdAt: string; updatedAt: string; events: ShipmentEvent[];
}

/** A requested supplement (§7.2 supplement_requested `data.items[]`). */
export interface SupplementItem { requirement?: string; name: string; reason?: string }
