/** GET /api/v1/statistics (docs/complaints-and-statistics.md: what each figure counts). */
export interface Statistics {
  from: string;
  to: string;
  totals: {
    cases: number; finished: number; overdue: number; avgHandlingDays: number | null;
    evaluations: number; good: number; bad: number; goodRate: number | null; activeRate: number | null;
  };
  byItem: { itemCode: string; itemName: string | null; cases: number; finished: number; overdue: number }[];
  byMember: { member: string | null; role: 'intake' | 'handling'; cases: number }[];
  byMode: { mode: string; cases: number }[];
  byMonth: { month: string; cases: number; finished: number; evaluations: number; good: number }[];
  definitions: { cases: string; finished: string; goodRate: string; activeRate: string; avgHandlingDays: string; overdue: string };
}

/** A ratio 0..1 as the CSV writes it (`66.67%`), so the screen and the export read the same. */
export const rateText = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);
export const daysText = (v: number | null): string => (v === null ? '—' : `${v.toFixed(2)} 天`);
