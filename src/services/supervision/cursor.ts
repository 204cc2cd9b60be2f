import { base64url, fromBase64url, fromUtf8, utf8 } from '../../lib/encoding';
import { AppError } from '../../lib/errors';

/** A page's position: the sort key and the id of its last row, opaque to clients. */
export interface Cursor {
  at: number;
  id: string;
}

export const encodeCursor = (c: Cursor): string => base64url(utf8(JSON.stringify([c.at, c.id])));

/** A cursor this service made, or 400 naming the `cursor` parameter. */
export function decodeCursor(s: string): Cursor {
  try {
    const v: unknown = JSON.parse(fromUtf8(fromBase64url(s)));
    if (Array.isArray(v) && v.length === 2 && Number.isFinite(v[0]) && typeof v[1] === 'string' && v[1].length <= 64) return { at: v[0] as number, id: v[1] };
  } catch {
    // falls through to the 400
  }
  throw new AppError('invalid_request', 'the query is not valid: 1 problem', { errors: [{ path: 'cursor', message: 'not a cursor this API gave' }] });
}
