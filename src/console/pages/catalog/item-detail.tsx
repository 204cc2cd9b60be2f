import { api } from '../../lib/api';
import { DELIVERY, label, MODES } from '../../lib/labels';
import { useMe } from '../../lib/me';
import type { PageProps } from '../../routes';
import { Loading, useLoad } from '../../ui/data';
import { PROVENANCE, RESULT_KINDS, workingDays } from './catalog-labels';
import { ItemMaterials } from './item-materials';
import type { Item, Provenance } from './types';

/** 事项详情: what the window tells the applicant, and who in the alliance handles it. */
export function ItemDetail(p: PageProps) {
  const code = p.params.code ?? '';
  const item = useLoad((signal) => api<Item>(`/api/v1/items/${encodeURIComponent(code)}`, { signal }), [code]);
  const me = useMe();
  return (
    <section>
      <p><a href="#/catalog">← 返回事项目录</a></p>
      <Loading state={item}>{(i) => (
        <>
          <h1>{i.name}<span class="muted"> {i.code}</span></h1>
          {me.role === 'intake' && i.offeredBy.length ? (
            <p><a class="button primary" href={`#/cases/new?item=${encodeURIComponent(i.code)}`}>以此事项新建办件</a></p>
          ) : null}
          {!i.offeredBy.length ? <div class="banner error" role="note">联盟内暂无成员单位办理此事项，不能跨域收件。</div> : null}
          <div class="cols">
            <dl class="facts">
              <dt>事项类型</dt><dd>{i.itemType}</dd>
              <dt>主管部门</dt><dd>{i.department}</dd>
              {i.nationalName ? <><dt>国家清单名称</dt><dd>{i.nationalName}</dd></> : null}
              {i.baseCode ? <><dt>基本编码</dt><dd>{i.baseCode}</dd></> : null}
              <dt>办理方式</dt><dd>{i.modes.map((m) => label(MODES, m)).join('、')}</dd>
              <dt>法定办结时限</dt><dd>{workingDays(i.statutoryDays)}</dd>
              <dt>承诺办结时限</dt><dd>{workingDays(i.promisedDays)}</dd>
            </dl>
            <dl class="facts">
              <dt>办理结果</dt><dd>{label(RESULT_KINDS, i.resultKind)}{i.electronicLicence ? '（有电子证照）' : ''}</dd>
              <dt>送达方式</dt><dd>{i.deliveryMethods.map((d) => label(DELIVERY, d)).join('、')}</dd>
              <dt>信息来源</dt><dd><ProvenanceText p={i.provenance} /></dd>
            </dl>
          </div>
          <h2>办理单位</h2>
          {i.offeredBy.length ? (
            <table>
              <thead><tr><th>成员单位</th><th>可办方式</th></tr></thead>
              <tbody>{i.offeredBy.map((o) => <tr key={o.member}><td>{o.name}</td><td>{o.modes.map((m) => label(MODES, m)).join('、')}</td></tr>)}</tbody>
            </table>
          ) : <p class="empty">暂无</p>}
          <h2>申请材料</h2>
          <ItemMaterials materials={i.materials} />
        </>
      )}</Loading>
    </section>
  );
}

/** Never present an unverified record as official: the status comes first, then its source or note. */
function ProvenanceText(p: { p: Provenance }) {
  const tag = p.p.status === 'verified' ? 'ok' : p.p.status === 'unverified' ? 'warn' : '';
  return (
    <>
      <span class={`tag ${tag}`}>{label(PROVENANCE, p.p.status)}</span>{' '}
      {p.p.source ? <a href={p.p.source} target="_blank" rel="noopener noreferrer">来源</a> : null}
      {p.p.note ? <span class="muted">{p.p.note}</span> : null}
    </>
  );
}
