/** How the client identifies itself: a token (JWT or your own), or a guest name. */
export type ChatAuth = { token: string } | { name: string; guestKey?: string };

/** The headers a REST request signs in with: the token as a bearer, or a guest's auth as X-Chat-Auth. */
export function authHeaders(auth: ChatAuth | undefined): Record<string, string> {
  if (!auth) return {};
  if ('token' in auth) return { authorization: `Bearer ${auth.token}` };
  return { 'x-chat-auth': encodeURIComponent(JSON.stringify(auth)) };
}
