import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** The signed-in clerk (GET /api/v1/me), shown in the header on every screen. */
export interface Me {
  id: string;
  name: string;
  role: 'intake' | 'handling' | 'supervisor';
  window: { id: string; name: string | null };
  member: { id: string; name: string | null };
}

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside a signed-in console');
  return me;
}
