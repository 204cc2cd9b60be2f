import { Requirement } from '../catalog/item-materials';
import type { Item, ItemMaterial } from '../catalog/types';
import { MaterialUpload } from './material-upload';
import type { CaseMaterial, Completeness } from './types';

/** The item's checklist against what the case holds; it changes after each upload (GET completeness). */
export function MaterialChecklist(p: { caseRef: string; item: Item; materials: CaseMaterial[]; completeness: Completeness | null; onUploaded: () => void }) {
  const c = p.completeness;
  return (
    <section aria-labelledby="checklist-title">
      <h2 id="checklist-title">材料清单</h2>
      {c ? (
        <p role="status" aria-live="polite" class={c.complete ? 'banner ok' : 'banner error'} data-testid="completeness">
          {c.complete ? '材料已齐全，可以转办' : `尚缺 ${c.missing.length} 项必需材料`}
        </p>
      ) : null}
      <table class="checklist">
        <thead><tr><th>材料</th><th>要求</th><th>形式 / 份数</th><th>状态</th><th>上传</th></tr></thead>
        <tbody>
          {p.item.materials.map((m) => {
            const state = stateOf(m, p.materials, c);
            return (
              <tr key={m.id} class={state.kind} data-material={m.id}>
                <td>{m.name}</td>
                <td><Requirement m={m} /></td>
                <td class="nowrap">{m.form} × {m.copies}</td>
                <td class="nowrap"><span class={`tag ${state.tag}`}>{state.text}</span></td>
                <td><MaterialUpload caseRef={p.caseRef} requirement={m.id} name={m.name} onUploaded={p.onUploaded} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function stateOf(m: ItemMaterial, held: CaseMaterial[], c: Completeness | null): { kind: string; tag: string; text: string } {
  const count = held.filter((h) => h.requirement === m.id).length;
  if (c?.missing.some((x) => x.id === m.id)) return { kind: 'missing', tag: 'bad', text: '缺少' };
  if (count > 0) return { kind: 'present', tag: 'ok', text: count > 1 ? `已提交 ${count} 份` : '已提交' };
  if (c?.ifApplicable.some((x) => x.id === m.id)) return { kind: 'conditional', tag: 'warn', text: '如属情形需提交' };
  return { kind: 'optional', tag: '', text: m.requirement === 'optional' ? '容缺，可后补' : '未提交' };
}
