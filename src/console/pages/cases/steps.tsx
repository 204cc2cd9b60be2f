const NAMES = ['收件登记', '上传材料', '转办'];

/** Where the clerk is in taking a case in. */
export function Steps(p: { at: 1 | 2 | 3 }) {
  return (
    <ol class="steps" aria-label="收件步骤">
      {NAMES.map((n, i) => <li key={n} aria-current={i + 1 === p.at ? 'step' : undefined}>{n}</li>)}
    </ol>
  );
}
