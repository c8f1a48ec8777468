/**
 * Sign-in with a passkey (discoverable, or for a user named by handle or by username), refreshing the
 * tokens it gave, and signing out (revoking a refresh token). Each passes the request's context to the
 * domain, which records the security events.
 */
import type { SignInUser } from "../../../domain/custom-challenge/passkey-sign-in.js";
import { fail, reply, type App, type RouteTable } from "../context.js";
import { decodeFields, decodeOneOf } from "../decode.js";
import type { AppDependencies } from "../dependencies.js";
import { optionalIdToken } from "../middleware/id-token.js";
import { jsonBody } from "../middleware/json-body.js";

/** start and finish name the user either way: by handle (`userId`) or by username, exactly one of them. */
const USER_FIELDS = ["userId", "username"] as const;

/** The domain's name for the user: a handle as the string itself, a username as `{ username }`. */
const signInUser = (field: { readonly name: "userId" | "username"; readonly value: string }): string | SignInUser =>
  field.name === "userId" ? field.value : { username: field.value };

export function authenticationRoutes(app: App, routes: RouteTable, deps: Pick<AppDependencies, "signIn" | "passkeys" | "identityProvider">): void {
  const { signIn, passkeys } = deps;

  app.post(routes.add("/authentication/discover", "POST", "OPTIONS"), jsonBody, async (c) => {
    return c.json({ credentialRequestOptions: await signIn.discover(c.get("requestContext")) }, 200);
  });

  app.post(routes.add("/authentication/start", "POST", "OPTIONS"), jsonBody, async (c) => {
    const user = decodeOneOf(c.get("body"), USER_FIELDS);
    if (!user.ok) return fail(c, user.error.code, user.error.message);
    const started = await signIn.start(signInUser(user.value), c.get("requestContext"));
    return reply(c, started, (s) => ({ session: s.session, credentialRequestOptions: s.credentialRequestOptions }));
  });

  app.post(routes.add("/authentication/finish", "POST", "OPTIONS"), jsonBody, async (c) => {
    const body = c.get("body");
    const input = decodeFields(body, { session: "string", publicKeyCredential: "object" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const user = decodeOneOf(body, USER_FIELDS);
    if (!user.ok) return fail(c, user.error.code, user.error.message);
    const { session, publicKeyCredential } = input.value;
    // The request's context reaches the Verify trigger sealed in the provider's client metadata.
    const finished = await signIn.finish(session, signInUser(user.value), publicKeyCredential, c.get("requestContext"));
    if (!finished.ok) {
      // A passkey keyport does not know: the client's passkey provider is told to forget it.
      const signals = signIn.failureSignals(finished.error, publicKeyCredential);
      return fail(c, finished.error, undefined, signals.length === 0 ? { atSignIn: true } : { signals, atSignIn: true });
    }
    const { tokens, signals } = finished.value;
    return c.json(
      {
        accessToken: tokens.accessToken,
        idToken: tokens.idToken,
        refreshToken: tokens.refreshToken,
        expiresIn: tokens.expiresIn,
        tokenType: tokens.tokenType,
        signals,
      },
      200,
    );
  });

  app.post(routes.add("/authentication/refresh", "POST", "OPTIONS"), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { refreshToken: "string", userId: "string?" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const refreshed = await signIn.refresh(input.value.refreshToken, input.value.userId, c.get("requestContext"));
    // A provider that rotates refresh tokens returns the new one, and the one sent is spent: hand it on.
    return reply(c, refreshed, (t) => ({
      accessToken: t.accessToken,
      idToken: t.idToken,
      ...(t.refreshToken === undefined ? {} : { refreshToken: t.refreshToken }),
      expiresIn: t.expiresIn,
      tokenType: t.tokenType,
    }));
  });

  // No ID token needed: signing out is holding the refresh token, which is what it revokes. An ID token,
  // when sent, names the user whose account the sign-out is recorded in (and must then verify).
  app.post(routes.add("/authentication/sign-out", "POST", "OPTIONS"), optionalIdToken(deps.identityProvider), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { refreshToken: "string" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    return reply(c, await passkeys.signOut(input.value.refreshToken, c.get("identity") ?? null, c.get("requestContext")), () => ({}));
  });
}
