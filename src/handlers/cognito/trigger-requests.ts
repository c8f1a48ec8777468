/**
 * Cognito's trigger events, decoded. The port types the events as the developer guide documents them,
 * but they arrive as JSON that keyport did not write: each field is read here as `unknown` and narrowed
 * once, into values whose types say what was checked. Whatever is not what Cognito documents is named
 * (`field`, a path into the event, never its value) and fails the sign-in; nothing here throws.
 *
 * Kept apart from the WebAuthn parsers: DefineAuthChallenge's bundle is built from this.
 */
import type { CustomChallengeResult } from "../../domain/custom-challenge/custom-challenge.js";
import { PASSKEY_ENROLLED_ATTRIBUTE } from "../../domain/custom-challenge/second-factor.js";
import { isJsonObject } from "../../domain/encoding/strict-json.js";

/** Where a request departs from Cognito's documented shape. */
export interface Malformed {
  readonly ok: false;
  readonly field: string;
}

export type Decoded<T> = ({ readonly ok: true } & T) | Malformed;

/**
 * DefineAuthChallenge's request: the history to fold, whether Cognito found the user and whether the
 * user's attributes say they have a passkey, or the field at fault.
 */
export type DefineRequest =
  | { readonly history: readonly CustomChallengeResult[]; readonly userExists: boolean; readonly passkeyEnrolled: boolean }
  | { readonly history: "malformed"; readonly userExists: false; readonly passkeyEnrolled: false; readonly field: string };

/**
 * The session history, the user's existence and their passkey enrolment, as DefineAuthChallenge folds them:
 * - `request.session` must be an array, and each entry an object whose `challengeName` is a string and
 *   whose `challengeMetadata` is a string, null or absent; otherwise the history is "malformed";
 * - an entry's `challengeResult` counts as a right answer only when it is the boolean `true`;
 * - `userNotFound` absent or null (Cognito populates it only under `preventUserExistenceErrors`) or
 *   `false` means the user exists, `true` that it does not; anything else makes the history "malformed",
 *   since reading a garbled flag either way would be a guess about who may sign in;
 * - the user is enrolled only when `request.userAttributes["custom:passkey_enrolled"]` is the string
 *   `"true"`; the attribute absent, or any other string, means not enrolled (keyport writes only "true"
 *   and "false"; a user it never enrolled has none), and so does `userAttributes` absent. A
 *   `userAttributes` that is present but not an object (null included), or the attribute not a
 *   string, makes the history "malformed": which of the policy's branches a garbled attribute takes
 *   would be a guess too. Only that attribute is read; the others are Cognito's and the app's.
 */
export function decodeDefineRequest(event: unknown): DefineRequest {
  const request = fieldOf(event, "request");
  if (!isJsonObject(request)) return malformedHistory("request");
  const userNotFound = decodeUserNotFound(request);
  if (userNotFound === "malformed") return malformedHistory("request.userNotFound");
  const history = decodeHistory(fieldOf(request, "session"));
  if (history === null) return malformedHistory("request.session");
  const passkeyEnrolled = decodePasskeyEnrolled(request);
  if (typeof passkeyEnrolled !== "boolean") return malformedHistory(passkeyEnrolled.field);
  return { history, userExists: !userNotFound, passkeyEnrolled };
}

/** CreateAuthChallenge's request: the user to issue the passkey custom challenge for. */
export function decodeCreateRequest(event: unknown): Decoded<{ readonly userName: string }> {
  const userName = fieldOf(event, "userName");
  if (!isNonEmptyString(userName)) return { ok: false, field: "userName" };
  return { ok: true, userName };
}

/** VerifyAuthChallengeResponse's request, with the code a refusal is logged under. */
export type VerifyRequest =
  | {
      readonly ok: true;
      readonly userName: string;
      readonly userExists: boolean;
      readonly challenge: string;
      readonly answer: string;
      /** `request.clientMetadata` when it is an object, else undefined: only a context sealed in it is believed (by the domain). */
      readonly clientMetadata: Readonly<Record<string, unknown>> | undefined;
    }
  | (Malformed & { readonly code: "malformed_request" | "challenge_mismatch" | "malformed_response" });

/**
 * What VerifyAuthChallengeResponse needs, checked in this order: a non-empty `userName` (the user the
 * credential must belong to), an object `request`, a `userNotFound` as Define reads it, the private
 * challenge Create kept (a non-empty string in `privateChallengeParameters.challenge`), and the answer
 * (a string). Any of them missing or of another type refuses the answer before it is parsed.
 * `clientMetadata` is passed on when it is an object, whatever it holds.
 */
export function decodeVerifyRequest(event: unknown): VerifyRequest {
  const userName = fieldOf(event, "userName");
  if (!isNonEmptyString(userName)) return { ok: false, code: "malformed_request", field: "userName" };
  const request = fieldOf(event, "request");
  if (!isJsonObject(request)) return { ok: false, code: "malformed_request", field: "request" };
  const userNotFound = decodeUserNotFound(request);
  if (userNotFound === "malformed") return { ok: false, code: "malformed_request", field: "request.userNotFound" };
  const challenge = fieldOf(fieldOf(request, "privateChallengeParameters"), "challenge");
  if (!isNonEmptyString(challenge)) return { ok: false, code: "challenge_mismatch", field: "request.privateChallengeParameters.challenge" };
  const answer = fieldOf(request, "challengeAnswer");
  if (typeof answer !== "string") return { ok: false, code: "malformed_response", field: "request.challengeAnswer" };
  // Optional, and about the record only: metadata of another shape is no metadata, never a failed sign-in.
  const clientMetadata = fieldOf(request, "clientMetadata");
  return { ok: true, userName, userExists: !userNotFound, challenge, answer, clientMetadata: isJsonObject(clientMetadata) ? clientMetadata : undefined };
}

function decodeUserNotFound(request: Readonly<Record<string, unknown>>): boolean | "malformed" {
  const value = fieldOf(request, "userNotFound");
  if (value === undefined || value === null) return false;
  return typeof value === "boolean" ? value : "malformed";
}

/** Whether the user's attributes say they have a passkey, or the field at fault. */
function decodePasskeyEnrolled(request: Readonly<Record<string, unknown>>): boolean | Malformed {
  const attributes = fieldOf(request, "userAttributes");
  if (attributes === undefined) return false;
  if (!isJsonObject(attributes)) return { ok: false, field: "request.userAttributes" };
  const value = fieldOf(attributes, PASSKEY_ENROLLED_ATTRIBUTE);
  if (value === undefined) return false;
  if (typeof value !== "string") return { ok: false, field: `request.userAttributes.${PASSKEY_ENROLLED_ATTRIBUTE}` };
  return value === "true";
}

const malformedHistory = (field: string): DefineRequest => ({ history: "malformed", userExists: false, passkeyEnrolled: false, field });

function decodeHistory(session: unknown): CustomChallengeResult[] | null {
  if (!Array.isArray(session)) return null;
  const history: CustomChallengeResult[] = [];
  for (const entry of session) {
    const result = decodeResult(entry);
    if (result === null) return null;
    history.push(result);
  }
  return history;
}

function decodeResult(entry: unknown): CustomChallengeResult | null {
  if (!isJsonObject(entry)) return null;
  const challengeName = fieldOf(entry, "challengeName");
  const challengeMetadata = fieldOf(entry, "challengeMetadata");
  if (typeof challengeName !== "string") return null;
  if (challengeMetadata !== undefined && challengeMetadata !== null && typeof challengeMetadata !== "string") return null;
  return { challengeName, challengeResult: fieldOf(entry, "challengeResult") === true, challengeMetadata: challengeMetadata ?? null };
}

/** An own property of an object, or undefined: nothing is read off a prototype. */
function fieldOf(value: unknown, key: string): unknown {
  return isJsonObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}
