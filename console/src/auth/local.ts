// Local sign-in: the console served by `make run` mints a token for the site a person picks
// (an endpoint of the local stack only; in AWS there is no such thing).
import { localStore, sessionOf, type Session } from './session';

export async function signInLocal(site: string): Promise<Session> {
  const res = await fetch(new URL('local/token', document.baseURI), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ site }),
  });
  const body = (await res.json().catch(() => ({}))) as { token?: string; error?: { message?: string } };
  if (!res.ok || !body.token) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  const session = sessionOf(body.token);
  localStore.save(session);
  return session;
}
