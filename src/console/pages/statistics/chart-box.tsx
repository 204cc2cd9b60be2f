import type { ChartConfiguration } from 'chart.js';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

const FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", system-ui, sans-serif';

/**
 * One chart and its numbers. Chart.js is loaded here only (a chunk of its own), draws without animation
 * (a counter screen, and a canvas that is complete when it appears), and is destroyed when the figures
 * change or the page goes. The canvas is unreadable to a screen reader: the same numbers follow in a table.
 */
export function ChartBox(p: { id: string; title: string; config: ChartConfiguration; tall?: boolean; children: ComponentChildren }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let chart: { destroy: () => void } | null = null;
    let gone = false;
    (async () => {
      const { Chart } = await import('chart.js/auto');
      if (gone || !canvas.current) return;
      Chart.defaults.font.family = FONT;
      chart = new Chart(canvas.current, p.config);
    })().catch(() => { if (!gone) setFailed(true); });
    return () => { gone = true; chart?.destroy(); };
  }, [p.config]);
  return (
    <section class="stat-chart" aria-labelledby={`${p.id}-title`}>
      <h3 id={`${p.id}-title`}>{p.title}</h3>
      <div class={`chart${p.tall ? ' tall' : ''}`}>
        <canvas ref={canvas} id={p.id} role="img" aria-label={`${p.title}（图表，数据见下方数据表）`} />
      </div>
      {failed ? <p class="banner error" role="alert">图表加载失败，请查看数据表。</p> : null}
      <details>
        <summary>数据表</summary>
        {p.children}
      </details>
    </section>
  );
}

/** The options every chart shares: it fills its box, without animation, legend at the bottom. */
export const BASE_OPTIONS = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  plugins: { legend: { position: 'bottom' } },
} as const;

export const COLORS = { cases: '#1456f0', finished: '#2e7d32', overdue: '#c62828', modes: ['#1456f0', '#b26a00', '#2e7d32', '#7b1fa2'] };
