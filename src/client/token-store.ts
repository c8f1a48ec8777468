/**
 * Where the client keeps the tokens of the current sign-in. The app chooses: the default keeps them in
 * memory only (gone with the page), since a refresh token in web storage can be read by any script that
 * ever runs on the origin (an XSS, a compromised dependency) and outlives the tab.
 */
import type { Tokens } from "./types.js";

/**
 * The client calls `get()` before every signed-in request and `set()` after every sign-in, refresh and
 * sign-out (`null`: signed out). Both are synchronous, so that two calls never see two sign-ins; an app
 * that wants to know when the tokens change (to show who is signed in) wraps a store.
 */
export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens | null): void;
}

/** Tokens in this page's memory only: a reload signs the user out. The default. */
export function memoryTokenStore(): TokenStore {
  let current: Tokens | null = null;
  return {
    get: () => current,
    set(tokens) {
      current = tokens;
    },
  };
}

/**
 * Opt-in: tokens in `sessionStorage` under `key`, so that they survive a reload of the tab (and end
 * with it), at the price of being readable by any script on the origin while they last. Never
 * `localStorage`: a refresh token there would outlive the session by days.
 */
export function sessionStorageTokenStore(key = "keyport.tokens"): TokenStore {
  // Looked up on use, not at creation: a store made where there is no sessionStorage (a server render)
  // fails only if it is used there.
  const storage = (): Storage => globalThis.sessionStorage;
  return {
    get() {
      const text = storage().getItem(key);
      if (text === null) return null;
      try {
        const tokens = JSON.parse(text) as Partial<Tokens> | null;
        const valid =
          typeof tokens?.idToken === "string" &&
          typeof tokens.accessToken === "string" &&
          typeof tokens.refreshToken === "string" &&
          typeof tokens.expiresAt === "number" &&
          (tokens.userId === undefined || typeof tokens.userId === "string");
        return valid ? (tokens as Tokens) : null;
      } catch {
        return null; // not written by this store: as good as none
      }
    },
    set(tokens) {
      if (tokens === null) storage().removeItem(key);
      else storage().setItem(key, JSON.stringify(tokens));
    },
  };
}
