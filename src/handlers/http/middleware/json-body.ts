/** A request body that must be JSON: its content type, then the body read with the size limit, then one JSON object. */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { fail, type AppContext, type AppEnv } from "../context.js";
import { contentTypeProblem, MAX_BODY_BYTES, parseJsonObject } from "../decode.js";

/**
 * A body over the limit is refused before it is all read. The rest of it is still on the connection,
 * so the answer closes the connection (`Connection: close`): a keep-alive client then sends its next
 * request on a fresh one, rather than on a socket the server has stopped reading, and the server does
 * not read the rest of a body it has refused.
 */
const limit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => {
    c.header("Connection", "close");
    return fail(c as AppContext, "payload_too_large");
  },
});

const NOT_UTF8 = "The request body must be JSON in UTF-8: Content-Type: application/json, with no charset or charset=utf-8.";

/** Sets the `body` variable to the parsed object, or answers the decoding failure. */
export const jsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const contentType = contentTypeProblem(c.req.header("content-type"));
  if (contentType !== null) return fail(c, "unsupported_media_type", contentType === "charset_not_utf8" ? NOT_UTF8 : undefined);
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
