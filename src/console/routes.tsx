import type { FunctionComponent } from 'preact';
import { CaseDetail } from './pages/cases/case-detail';
import { CaseList } from './pages/cases/case-list';
import { NewCase } from './pages/cases/new-case';
import { CatalogList } from './pages/catalog/catalog-list';
import { ItemDetail } from './pages/catalog/item-detail';
import { ComplaintDetail } from './pages/complaints/complaint-detail';
import { ComplaintList } from './pages/complaints/complaint-list';
import { NewComplaint } from './pages/complaints/new-complaint';
import { EvaluationList } from './pages/evaluations/evaluation-list';
import { Home } from './pages/home';
import { MeetingList } from './pages/meetings/meeting-list';
import { MeetingRoom } from './pages/meetings/meeting-room';
import { Statistics } from './pages/statistics';

export interface PageProps { params: Record<string, string>; query: URLSearchParams }

/** Every screen by its hash path; the first match wins, so fixed paths come before `:params`. */
export const ROUTES: [string, FunctionComponent<PageProps>][] = [
  ['/', Home],
  ['/catalog', CatalogList],
  ['/catalog/:code', ItemDetail],
  ['/cases', CaseList],
  ['/cases/new', NewCase],
  ['/cases/:ref', CaseDetail],
  ['/meetings', MeetingList],
  ['/meetings/:id', MeetingRoom],
  ['/evaluations', EvaluationList],
  ['/complaints', ComplaintList],
  ['/complaints/new', NewComplaint],
  ['/complaints/:id', ComplaintDetail],
  ['/statistics', Statistics],
];
