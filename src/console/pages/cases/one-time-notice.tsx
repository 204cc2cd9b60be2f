import type { Completeness } from './types';

/**
 * 一次性告知: everything the applicant still has to bring, said once (行政许可法 art. 32), on screen and on
 * paper. Printing shows only the notice (styles.css, body.print-notice).
 */
export function OneTimeNotice(p: { completeness: Completeness; title?: string }) {
  const print = () => {
    document.body.classList.add('print-notice');
    const done = () => { document.body.classList.remove('print-notice'); removeEventListener('afterprint', done); };
    addEventListener('afterprint', done);
    window.print();
  };
  return (
    <section aria-labelledby="notice-title" class="notice-print">
      <h2 id="notice-title">{p.title ?? '一次性告知'}</h2>
      <p class="notice" data-testid="notice">{p.completeness.notice}</p>
      <div class="actions no-print">
        <button type="button" onClick={print}>打印告知书</button>
      </div>
    </section>
  );
}
