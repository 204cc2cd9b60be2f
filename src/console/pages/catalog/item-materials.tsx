import { label } from '../../lib/labels';
import { REQUIREMENTS, TRUST_LEVELS } from './catalog-labels';
import type { ItemMaterial } from './types';

/** The item's materials as the window checks them: what is needed, when, in which form, how trusted. */
export function ItemMaterials(p: { materials: ItemMaterial[] }) {
  if (!p.materials.length) return <p class="empty">本事项无需提交材料。</p>;
  return (
    <table>
      <thead><tr><th>材料名称</th><th>要求</th><th>形式 / 份数</th><th>信任等级</th></tr></thead>
      <tbody>
        {p.materials.map((m) => (
          <tr key={m.id}>
            <td>{m.name}</td>
            <td><Requirement m={m} /></td>
            <td class="nowrap">{m.form} × {m.copies}</td>
            <td>{label(TRUST_LEVELS, m.trustLevel)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Requirement(p: { m: Pick<ItemMaterial, 'requirement' | 'condition'> }) {
  const kind = p.m.requirement === 'required' ? 'bad' : p.m.requirement === 'conditional' ? 'warn' : '';
  return (
    <>
      <span class={`tag ${kind}`}>{label(REQUIREMENTS, p.m.requirement)}</span>
      {p.m.condition ? <span class="condition">（{p.m.condition}）</span> : null}
    </>
  );
}
