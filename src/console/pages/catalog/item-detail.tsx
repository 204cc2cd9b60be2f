// Placeholder until this screen is written; the route exists so the menu and the router are complete.
export function ItemDetail(_p: { params: Record<string, string>; query: URLSearchParams }) {
  return <section><h1>事项详情</h1><p class="empty">此功能正在建设中。</p></section>;
}
