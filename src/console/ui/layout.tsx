import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { label, ROLES } from '../lib/labels';
import { useMe } from '../lib/me';

const NAV: { href: string; text: string; key: string }[] = [
  { href: '#/', text: '首页', key: '1' },
  { href: '#/catalog', text: '事项目录', key: '2' },
  { href: '#/cases/new', text: '新建办件', key: '3' },
  { href: '#/cases', text: '办件列表', key: '4' },
  { href: '#/meetings', text: '云见面', key: '5' },
  { href: '#/evaluations', text: '好差评', key: '6' },
  { href: '#/complaints', text: '投诉受理', key: '7' },
  { href: '#/statistics', text: '统计分析', key: '8' },
];

/** The frame of every screen: who is signed in at which window of which member, and the menu (Alt+1..8). */
export function Layout(p: { path: string; onSignOut: () => void; children: ComponentChildren }) {
  const me = useMe();
  useEffect(() => {
    // Alt+digit on every browser (accesskey alone wants Alt+Shift on some), even while typing in a field.
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const item = NAV.find((n) => e.code === `Digit${n.key}`);
      if (!item) return;
      e.preventDefault();
      location.hash = item.href.slice(1);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
  return (
    <div class="shell">
      <a class="skip" href="#main">跳到正文</a>
      <header class="top">
        <strong class="brand">云牵手</strong>
        <span class="who" data-testid="who">
          <span title="所属单位">{me.member.name ?? me.member.id}</span>
          <span title="窗口">{me.window.name ?? me.window.id}</span>
          <span title="工作人员">{me.name}（{label(ROLES, me.role)}）</span>
        </span>
        <button type="button" class="link" onClick={p.onSignOut}>退出</button>
      </header>
      <nav class="side" aria-label="主菜单">
        <ul>
          {NAV.map((n) => (
            <li key={n.href}>
              <a href={n.href} aria-keyshortcuts={`Alt+${n.key}`} aria-current={isCurrent(n.href, p.path) ? 'page' : undefined}>
                {n.text}<kbd>Alt+{n.key}</kbd>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" class="content" tabIndex={-1}>{p.children}</main>
    </div>
  );
}

function isCurrent(href: string, path: string): boolean {
  const target = href.slice(1);
  if (target === '/') return path === '/';
  if (target === '/cases') return path === '/cases' || (path.startsWith('/cases/') && path !== '/cases/new');
  return path === target || path.startsWith(`${target}/`);
}
