/**
 * Arrow keys between a search field and its results: ↓ from the field to the first result, ↑/↓ between
 * results, ↑ from the first back to the field. The results are the elements marked `data-nav={group}`.
 */
export function arrowKeys(group: string, field: () => HTMLElement | null) {
  return (e: KeyboardEvent): void => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const links = [...document.querySelectorAll<HTMLElement>(`[data-nav="${group}"]:not(:disabled)`)];
    if (!links.length) return;
    const at = links.indexOf(e.target as HTMLElement);
    // Only from the field or a result: a select or another input keeps its own arrow keys.
    if (at < 0 && e.target !== field()) return;
    const next = e.key === 'ArrowDown' ? (at < 0 ? 0 : Math.min(at + 1, links.length - 1)) : at - 1;
    e.preventDefault();
    if (next < 0) field()?.focus();
    else links[next]!.focus();
  };
}
