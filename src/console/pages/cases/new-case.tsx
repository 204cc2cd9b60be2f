import { useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { useMe } from '../../lib/me';
import type { PageProps } from '../../routes';
import { useLoad } from '../../ui/data';
import { Banner } from '../../ui/form';
import type { Item } from '../catalog/types';
import { IntakeSteps } from './intake-steps';
import { NewCaseForm } from './new-case-form';
import { Steps } from './steps';

/**
 * 新建办件, three steps: the form (one POST makes the case), its materials against the item's checklist,
 * the transfer. `?case=REF` is where steps 2 and 3 live, so a reload comes back to them; `?item=CODE`
 * starts from a catalog item.
 */
export function NewCase(p: PageProps) {
  const me = useMe();
  const ref = p.query.get('case');
  if (me.role !== 'intake') {
    return <section><h1>新建办件</h1><p class="empty">只有收件窗口的工作人员可以新建办件。</p></section>;
  }
  return (
    <section>
      <h1>新建办件</h1>
      {ref ? <IntakeSteps caseRef={ref} /> : <><Steps at={1} /><NewCaseStart initial={p.query.get('item')} /></>}
    </section>
  );
}

function NewCaseStart(p: { initial: string | null }) {
  const [code, setCode] = useState<string | null>(p.initial);
  const item = useLoad((signal) => (code ? api<Item>(`/api/v1/items/${encodeURIComponent(code)}`, { signal }) : Promise.resolve(null)), [code]);
  return (
    <>
      <Banner message={item.error ? `事项 ${code}：${item.error}` : null} />
      <NewCaseForm item={item.data} itemLoading={item.loading && !!code} onPickItem={setCode} />
    </>
  );
}
