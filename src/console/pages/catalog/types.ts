/** The catalog as GET /api/v1/items and /api/v1/items/{code} answer it (contracts: "Catalog, members"). */
export type Mode = 'online' | 'proxy_intake' | 'joint';

export interface Provenance { status: 'verified' | 'unverified' | 'local'; source?: string; note?: string }

export interface ItemSummary {
  code: string;
  name: string;
  department: string;
  type: string;
  modes: Mode[];
  legalDays: number;
  promisedDays: number;
  provenance: Provenance;
  offeredBy: string[];
}

export interface ItemPage { items: ItemSummary[]; total: number; departments: string[] }

export interface ItemMaterial {
  id: string;
  name: string;
  form: '原件' | '复印件' | '电子';
  copies: number;
  requirement: 'required' | 'optional' | 'conditional';
  condition?: string;
  trustLevel: 'A' | 'B' | 'C' | 'D';
}

export interface Item {
  code: string;
  name: string;
  nationalName?: string;
  baseCode?: string;
  itemType: string;
  department: string;
  modes: Mode[];
  materials: ItemMaterial[];
  statutoryDays: number;
  promisedDays: number;
  resultKind: 'certificate' | 'approval' | 'other';
  electronicLicence: boolean;
  deliveryMethods: ('window' | 'post' | 'electronic')[];
  provenance: Provenance;
  offeredBy: { member: string; name: string; modes: Mode[] }[];
}

export interface MemberSummary { id: string; name: string; status: 'active' | 'suspended'; items: number }
