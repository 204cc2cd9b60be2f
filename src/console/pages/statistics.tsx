// Placeholder until this screen is written; the route exists so the menu and the router are complete.
export function Statistics(_p: { params: Record<string, string>; query: URLSearchParams }) {
  return <section><h1>统计分析</h1><p class="empty">此功能正在建设中。</p></section>;
}
