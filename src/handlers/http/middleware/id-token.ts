/**
 * `Authorization: Bearer <ID token>`, verified by the identity provider. Behind API Gateway a JWT
 * authorizer may have checked it already; it is verified again here all the same.
 */
import type { MiddlewareHandler } from "hono";
import type { IdentityProvider } from "../../../ports/identity-provider.js";
import { fail, type AppEnv } from "../context.js";

const BEARER = /^Bearer[ ]+([^\s]+)[ ]*$/i;

/** Sets the `identity` variable to the token's verified identity, or answers 401 with the token error. */
export function idToken(identityProvider: Pick<IdentityProvider, "verifyIdToken">): MiddlewareHandler<AppEnv> {
  return bearer(identityProvider, { required: true });
}

/**
 * The same for a route where a token is optional: without an `Authorization` header the `identity`
 * variable stays unset; a header that is there must verify.
 */
export function optionalIdToken(identityProvider: Pick<IdentityProvider, "verifyIdToken">): MiddlewareHandler<AppEnv> {
  return bearer(identityProvider, { required: false });
}

function bearer(identityProvider: Pick<IdentityProvider, "verifyIdToken">, options: { readonly required: boolean }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (header === undefined || header.trim() === "") {
      if (options.required) return fail(c, "token_missing");
      await next();
      return;
    }
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) return fail(c, "token_malformed");
    const verified = await identityProvider.verifyIdToken(token);
    if (!verified.ok) return fail(c, verified.error);
    c.set("identity", verified.value);
    await next();
  };
}
