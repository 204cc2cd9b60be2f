import { useState } from 'preact/hooks';
import { api, session } from '../lib/api';
import type { Me } from '../lib/me';
import { Banner, Field, inputProps, useForm } from '../ui/form';

const TOKEN = /^hsk_[A-Za-z0-9_-]{43}$/;

/** Sign-in with the clerk token `handshake clerk add` printed; checked against /api/v1/me before it is kept. */
export function SignIn(p: { onSignedIn: (me: Me) => void; notice?: string | null }) {
  const [token, setToken] = useState('');
  const form = useForm();
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const t = token.trim();
    if (!TOKEN.test(t)) {
      form.setErrors({ token: '工作令牌格式不正确：应为 hsk_ 开头、共 47 个字符' });
      return;
    }
    await form.submit(async () => {
      const me = await api<Me>('/api/v1/me', { token: t });
      session.save(t);
      p.onSignedIn(me);
    });
  };
  const error = form.errors.token ?? (form.banner ? '该工作令牌无效或已被吊销，请向管理员确认' : undefined);
  return (
    <main class="sign-in">
      <form onSubmit={onSubmit} noValidate aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">云牵手 · 跨域通办窗口工作台</h1>
        <Banner message={p.notice ?? null} kind="ok" />
        <Field label="工作令牌" name="token" error={error} hint="由管理员通过 handshake clerk add 发放，仅保存在本标签页，关闭即清除" required>
          <input {...inputProps('token', error ? { token: error } : {})} type="password" autoComplete="off" autoFocus value={token}
            onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
        </Field>
        <button type="submit" class="primary" disabled={form.busy}>{form.busy ? '正在验证…' : '登录'}</button>
      </form>
    </main>
  );
}
