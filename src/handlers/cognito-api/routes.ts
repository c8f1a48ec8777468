/**
 * Amazon Cognito's user-pool API, locally: `POST /` with `X-Amz-Target:
 * AWSCognitoIdentityProviderService.<Operation>` and an `application/x-amz-json-1.1` body, as Cognito's
 * own endpoint takes it, so that `new CognitoIdentityProviderClient({ endpoint })` and Amplify's
 * `userPoolEndpoint` work unchanged against the local server. A shell over the UserPool port: the target
 * picks the operation (operations.ts), the body is read with the HTTP API's size limit and decoded once
 * (decode.ts), one port method is called, and its answer or its exception is written back in Cognito's
 * shapes (errors.ts). A fault is logged under the request's correlation id and answered as
 * `InternalErrorException` carrying nothing but that reference. Served by the local server only.
 */
import { bodyLimit } from "hono/body-limit";
import type { UserPool } from "../../ports/user-pool.js";
import type { App, AppContext, RouteTable } from "../http/context.js";
import { MAX_BODY_BYTES, parseJsonObject, type JsonObject } from "../http/decode.js";
import { reportFault } from "../http/fault.js";
import { redact } from "../http/log.js";
import { AMZ_JSON_1_1, internalErrorMessage, isCognitoErrorType, statusOf, type CognitoFailure } from "./errors.js";
import { OPERATION_NAMES, OPERATIONS, operationOf, TARGET_PREFIX, type OperationName } from "./operations.js";

/** Cognito's endpoint is the root path; the local server's demo page is `GET /` beside it. */
export const COGNITO_API_PATH = "/";

const UNKNOWN_OPERATION = `X-Amz-Target must be ${TARGET_PREFIX}<Operation>, for one of the operations the local user pool plays: ${OPERATION_NAMES.join(", ")}.`;
const NOT_AMZ_JSON = `The request body must be JSON, sent with Content-Type: ${AMZ_JSON_1_1}.`;
const TOO_LARGE = `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`;

/**
 * `application/x-amz-json-1.1`, in any letter case, with no parameter but a UTF-8 charset: what the AWS
 * SDK and Amplify send. JSON has no other encoding (RFC 8259 §8.1).
 */
function isAmzJson(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [mediaType = "", ...parameters] = header.split(";").map((part) => part.trim().toLowerCase());
  return mediaType === AMZ_JSON_1_1 && parameters.every((parameter) => /^charset\s*=\s*"?utf-8"?$/.test(parameter) || parameter === "");
}

/** Cognito's error answer: `__type` and `message` in the body, the name again in `x-amzn-ErrorType`. */
function failure(c: AppContext, error: CognitoFailure): Response {
  c.set("errorCode", error.type);
  c.header("x-amzn-ErrorType", error.type);
  return answer(c, { __type: error.type, message: error.message }, statusOf(error.type));
}

function answer(c: AppContext, body: object, status: 200 | 400 | 413 | 500): Response {
  // Cognito's request id; here the correlation id, which the log line of this request carries too.
  c.header("x-amzn-RequestId", c.get("correlationId"));
  return c.body(JSON.stringify(body), status, { "Content-Type": AMZ_JSON_1_1 });
}

/** A fault: logged once under the correlation id, answered with nothing but that reference. */
function fault(c: AppContext, operation: OperationName, thrown: unknown): Response {
  const correlationId = c.get("correlationId");
  reportFault(c.get("log"), correlationId, thrown, { operation });
  return failure(c, { type: "InternalErrorException", message: internalErrorMessage(correlationId) });
}

/**
 * The port's exception, as it is (its messages are written for the developer and carry no secret). An
 * `InternalErrorException` is logged too, and its message gains the reference to that line; a name
 * outside the table is a bug, answered as `InternalErrorException` with the reference alone.
 */
function portFailure(c: AppContext, operation: OperationName, error: CognitoFailure): Response {
  const known = isCognitoErrorType(error.type);
  if (known && error.type !== "InternalErrorException") return failure(c, error);
  const correlationId = c.get("correlationId");
  c.get("log")({
    level: "error",
    event: known ? "user_pool_internal_error" : "unmapped_error_code",
    correlationId,
    operation,
    unmappedCode: known ? undefined : redact(String(error.type), 80),
    message: redact(String(error.message)),
  });
  const message = known ? `${String(error.message).replace(/\.?$/, "")} (reference ${correlationId}).` : internalErrorMessage(correlationId);
  return failure(c, { type: "InternalErrorException", message });
}

/** The body, read with the size limit: one JSON object (an empty body is `{}`, as the SDK sends for no input). */
function readBody(text: string): { readonly ok: true; readonly value: JsonObject } | { readonly ok: false; readonly error: CognitoFailure } {
  if (text.trim() === "") return { ok: true, value: {} };
  const parsed = parseJsonObject(text);
  return parsed.ok ? parsed : { ok: false, error: { type: "SerializationException", message: parsed.error.message } };
}

/**
 * A body over the limit is refused before it is all read; the answer closes the connection, as the
 * HTTP API's does (middleware/json-body.ts), so that the rest of the body is not read.
 */
const limit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => {
    c.header("Connection", "close");
    return failure(c as AppContext, { type: "RequestEntityTooLargeException", message: TOO_LARGE });
  },
});

/** The operation on the body's text: read it, decode it, call the pool, write the answer. */
async function run(c: AppContext, userPool: UserPool, operation: OperationName, text: string): Promise<Response> {
  const body = readBody(text);
  if (!body.ok) return failure(c, body.error);
  let outcome;
  try {
    outcome = await OPERATIONS[operation](userPool, body.value);
  } catch (thrown) {
    return fault(c, operation, thrown);
  }
  return outcome.ok ? answer(c, outcome.body, 200) : portFailure(c, operation, outcome.error);
}

export function cognitoApiRoutes(app: App, routes: RouteTable, deps: { readonly userPool: UserPool }): void {
  const { userPool } = deps;

  app.post(routes.add(COGNITO_API_PATH, "POST", "OPTIONS"), async (c) => {
    const operation = operationOf(c.req.header("x-amz-target"));
    if (operation === null) return failure(c, { type: "UnknownOperationException", message: UNKNOWN_OPERATION });
    c.set("operation", operation);
    if (!isAmzJson(c.req.header("content-type"))) return failure(c, { type: "SerializationException", message: NOT_AMZ_JSON });
    const read: { response?: Response } = {};
    const refused = await limit(c, async () => {
      read.response = await run(c, userPool, operation, await c.req.text());
    });
    // The limit answers a body over it; otherwise `run` has answered.
    return refused ?? read.response ?? fault(c, operation, new Error("the body limit neither refused the body nor read it"));
  });
}
