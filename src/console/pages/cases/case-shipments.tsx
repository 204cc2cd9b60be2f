import { useState } from 'preact/hooks';
import { formatDateTime } from '../../lib/format';
import { label } from '../../lib/labels';
import { CARRIERS, SHIPMENT_DIRECTIONS, SHIPMENT_STATUSES } from './case-labels';
import { NewShipmentForm, ShipmentEventForm } from './shipment-forms';
import type { Shipment } from './types';

const carrierText = (c: string) => (c.startsWith('other:') ? c.slice(6) : label(CARRIERS, c));

/** 寄递: the case's parcels and their tracks; a clerk of the case's side records new ones. */
export function CaseShipments(p: { caseRef: string; shipments: Shipment[]; canWrite: boolean; side: string; onChanged: () => void }) {
  const [tracking, setTracking] = useState<string | null>(null);
  return (
    <section aria-labelledby="shipments-title" class="panel">
      <h2 id="shipments-title">寄递</h2>
      {p.shipments.length ? (
        <table>
          <thead><tr><th>方向</th><th>快递公司</th><th>运单号</th><th>状态</th><th>物流轨迹</th></tr></thead>
          <tbody>
            {p.shipments.map((s) => (
              <tr key={s.id}>
                <td>{label(SHIPMENT_DIRECTIONS, s.direction)}</td>
                <td>{carrierText(s.carrier)}</td>
                <td class="mono">{s.trackingNo}</td>
                <td><span class={`tag ${s.status === 'delivered' ? 'ok' : s.status === 'in_transit' ? '' : 'bad'}`}>{label(SHIPMENT_STATUSES, s.status)}</span></td>
                <td>
                  <ul class="track">
                    {s.events.map((e) => (
                      <li key={e.id}>{formatDateTime(e.at)} {label(SHIPMENT_STATUSES, e.status)}{e.location ? ` · ${e.location}` : ''}{e.note ? ` · ${e.note}` : ''}</li>
                    ))}
                  </ul>
                  {p.canWrite && s.status === 'in_transit' ? (
                    <button type="button" class="link" aria-expanded={tracking === s.id} onClick={() => setTracking(tracking === s.id ? null : s.id)}>添加轨迹</button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p class="muted">暂无寄递记录。</p>}
      {tracking ? <ShipmentEventForm key={tracking} caseRef={p.caseRef} shipmentId={tracking} onDone={() => { setTracking(null); p.onChanged(); }} /> : null}
      {p.canWrite ? (
        <details>
          <summary>登记新的寄递</summary>
          <NewShipmentForm caseRef={p.caseRef} side={p.side} onDone={p.onChanged} />
        </details>
      ) : null}
    </section>
  );
}
