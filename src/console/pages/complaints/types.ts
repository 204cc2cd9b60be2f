/** The complaint as GET /api/v1/complaints/{id} answers it (docs/complaints-and-statistics.md). */
export interface ComplaintEvent { type: 'received' | 'escalated' | 'replied' | 'closed'; at: string; actor: string; level: number | null }

export interface Complaint {
  id: string;
  channel: string;
  category: string;
  subject: string;
  content: string;
  complainant: { name: string | null; phoneMasked: string | null };
  caseRef: string | null;
  windowId: string | null;
  state: 'open' | 'replied' | 'closed';
  receivedAt: string;
  replyDueAt: string;
  overdue: boolean;
  escalationLevel: number;
  escalatedAt: string | null;
  repliedAt: string | null;
  reply: string | null;
  closedAt: string | null;
  createdBy: string;
  /** Absent from the list's summaries. */
  events?: ComplaintEvent[];
}

export interface ComplaintPage { complaints: Complaint[]; nextCursor: string | null }
