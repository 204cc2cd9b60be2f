// Placeholder until this screen is written; the route exists so the menu and the router are complete.
export function CaseDetail(_p: { params: Record<string, string>; query: URLSearchParams }) {
  return <section><h1>办件详情</h1><p class="empty">此功能正在建设中。</p></section>;
}
