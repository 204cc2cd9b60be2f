import national from '../../../partners/calendar/national.json';
import { createCalendar, type WorkingCalendar } from './calendar';
import { calendarFileSchema } from './schema';

/**
 * The national working-day calendar shipped in `partners/calendar/national.json`, bundled (Workers read
 * no files). Years it does not cover count weekends only, so a deadline next year is never refused.
 */
export function nationalCalendar(): WorkingCalendar {
  return createCalendar(calendarFileSchema.parse(national), { uncovered: 'weekends' });
}
