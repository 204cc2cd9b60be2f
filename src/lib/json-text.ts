/**
 * PostgreSQL's text cannot hold U+0000, and no field of ours means to. A JSON body with one anywhere is
 * refused at the boundary (400 naming the field) instead of failing later, half-way into a transaction.
 * Returns the path of the first string holding one (`applicant.name`, `materials[0].name`), else null.
 */
export function pathOfNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathOfNul(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = path ? `${path}.${k}` : k;
      if (k.includes('\u0000')) return here;
      const found = pathOfNul(v, here);
      if (found !== null) return found;
    }
  }
  return null;
}

export const NUL_MESSAGE = 'must not contain the character U+0000';
