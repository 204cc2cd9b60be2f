import { useEffect, useState } from 'preact/hooks';
import { api, session, whenUnauthenticated } from './lib/api';
import { MeContext, type Me } from './lib/me';
import { match, useRoute } from './lib/router';
import { SignIn } from './pages/sign-in';
import { ROUTES } from './routes';
import { Layout } from './ui/layout';

/** Signed in (a token in this tab that /api/v1/me accepts) or the sign-in screen; then the routed page. */
export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(session.token() !== null);
  const [notice, setNotice] = useState<string | null>(null);
  const route = useRoute();

  useEffect(() => {
    whenUnauthenticated(() => { session.clear(); setMe(null); setNotice('登录已失效，请重新输入工作令牌'); });
    if (!session.token()) return;
    api<Me>('/api/v1/me').then(setMe, () => session.clear()).finally(() => setChecking(false));
  }, []);

  if (checking) return <p class="loading">正在验证登录…</p>;
  if (!me) return <SignIn notice={notice} onSignedIn={(m) => { setNotice(null); setMe(m); }} />;

  const signOut = () => { session.clear(); setMe(null); setNotice('已退出'); };
  return (
    <MeContext.Provider value={me}>
      <Layout path={route.path} onSignOut={signOut}>
        <Page path={route.path} query={route.query} />
      </Layout>
    </MeContext.Provider>
  );
}

function Page(p: { path: string; query: URLSearchParams }) {
  for (const [pattern, Component] of ROUTES) {
    const params = match(pattern, p.path);
    if (params) return <Component params={params} query={p.query} />;
  }
  return <section><h1>页面不存在</h1><p><a href="#/">返回首页</a></p></section>;
}
