/** How the client identifies itself: a token (JWT or your own), or a guest name. */
export type ChatAuth = { token: string } | { name: string; guestKey?: string };
