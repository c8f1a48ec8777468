/** A request body that must be JSON: its content type, then the body read with the size limit, then one JSON object. */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { fail, type AppContext, type AppEnv } from "../context.js";
import { isJsonContentType, MAX_BODY_BYTES, parseJsonObject } from "../decode.js";

const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => fail(c as AppContext, "payload_too_large") });

/** Sets the `body` variable to the parsed object, or answers the decoding failure. */
export const jsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isJsonContentType(c.req.header("content-type"))) return fail(c, "unsupported_media_type");
  return limit(c, async () => {
    const parsed = parseJsonObject(await c.req.text());
    if (!parsed.ok) {
      c.res = fail(c, parsed.error.code, parsed.error.message);
      return;
    }
    c.set("body", parsed.value);
    await next();
  });
};
