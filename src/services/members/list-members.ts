import type { KeyIndex } from '../../federation/registry/key-index';

export interface MemberSummary {
  id: string;
  name: string;
  status: 'active' | 'suspended';
  /** How many items the registry lists the member as handling. */
  items: number;
}

/** `GET /api/v1/members`: the members of the registry in force, in its order; none before a registry is held. */
export function listMembers({ input }: { input: { registry: KeyIndex | null } }): MemberSummary[] {
  return [...(input.registry?.members.values() ?? [])].map((m) => ({ id: m.id, name: m.name, status: m.status, items: m.items?.length ?? 0 }));
}
