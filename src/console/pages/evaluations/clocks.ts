/**
 * Due times (回访时限, 整改时限, 限时回复) are the end of a working day, 24:00 Beijing, which the API gives as
 * the next day's 00:00. A clerk reads "3月4日 24:00" as "by the end of the 4th", so that is how it is shown.
 */
const parts = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

export function formatDue(iso: string | null | undefined): string {
  if (!iso) return '—';
  const at = new Date(iso);
  const p = Object.fromEntries(parts.formatToParts(at).map((x) => [x.type, x.value]));
  if (p.hour === '00' && p.minute === '00') {
    const before = Object.fromEntries(parts.formatToParts(new Date(at.getTime() - 60_000)).map((x) => [x.type, x.value]));
    return `${before.year}/${before.month}/${before.day} 24:00`;
  }
  return `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}`;
}
