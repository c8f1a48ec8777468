/**
 * The request bodies of the local Cognito API, decoded once into the UserPool port's input types. The
 * wire names members in PascalCase (`ClientId`, `AuthParameters`); the shell checks their JSON types,
 * that the required ones are there, and that an enumeration holds one of the values the local pool
 * plays. What a value must be beyond that (a known client, a valid password) is the pool's business.
 * Members this version does not read (`AnalyticsMetadata`, `UserContextData`, `ValidationData`) are
 * ignored, as Cognito ignores what it does not use.
 *
 * Failures are Cognito's `InvalidParameterException`, worded as Cognito words its validation errors
 * ("1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not
 * be null"), naming the member in camelCase as Cognito does. A JSON `null` is an absent member: the
 * protocol does not tell them apart.
 */
import type { JsonObject } from "../http/decode.js";
import type { AuthFlow, ChallengeName, UserPool } from "../../ports/user-pool.js";

export interface InvalidParameter {
  readonly type: "InvalidParameterException";
  readonly message: string;
}

export type Decoding<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: InvalidParameter };

const ok = <T>(value: T): Decoding<T> => ({ ok: true, value });
const invalid = (member: string, constraint: string, value = "null"): { readonly ok: false; readonly error: InvalidParameter } => ({
  ok: false,
  error: {
    type: "InvalidParameterException",
    message: `1 validation error detected: Value ${value} at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: ${constraint}`,
  },
});

/** The flows and challenges the local pool plays: exactly the port's unions, listed once for the checks. */
export const AUTH_FLOWS: readonly AuthFlow[] = ["USER_SRP_AUTH", "USER_PASSWORD_AUTH", "CUSTOM_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"];
export const CHALLENGE_NAMES: readonly ChallengeName[] = ["PASSWORD_VERIFIER", "CUSTOM_CHALLENGE"];

type StringMap = Readonly<Record<string, string>>;

/** A member's value, with `null` read as absent. */
function member(body: JsonObject, name: string): unknown {
  const value = Object.hasOwn(body, name) ? body[name] : undefined;
  return value === null ? undefined : value;
}

function requiredString(body: JsonObject, name: string): Decoding<string> {
  const value = member(body, name);
  if (value === undefined) return invalid(name, "Member must not be null");
  if (typeof value !== "string") return invalid(name, "Member must be a string", "of another type");
  return ok(value);
}

/** A map of strings to strings (`AuthParameters`, `ChallengeResponses`, `ClientMetadata`); `undefined` when absent. */
function optionalStringMap(body: JsonObject, name: string): Decoding<StringMap | undefined> {
  const value = member(body, name);
  if (value === undefined) return ok(undefined);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return invalid(name, "Member must be a map of strings to strings", "of another type");
  const entries = Object.entries(value);
  for (const [key, entry] of entries) {
    if (typeof entry !== "string") return invalid(name, "Member must be a map of strings to strings", `of another type for key '${key.slice(0, 64)}'`);
  }
  // fromEntries defines each key as the map's own, `__proto__` included, as JSON.parse made it.
  return ok(Object.fromEntries(entries) as StringMap);
}

/** Cognito's `[{ Name, Value }]` as a map; a `Value` left out is the empty string, and a name given twice is refused. */
function attributeList(body: JsonObject, name: string): Decoding<StringMap> {
  const value = member(body, name);
  if (value === undefined) return ok({});
  const shape = "Member must be a list of {Name, Value} objects with string values";
  if (!Array.isArray(value)) return invalid(name, shape, "of another type");
  const attributes = new Map<string, string>();
  for (const [index, entry] of value.entries()) {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return invalid(`${name}.${index + 1}`, shape, "of another type");
    const attribute = entry as JsonObject;
    const attributeName = member(attribute, "Name");
    const attributeValue = member(attribute, "Value") ?? "";
    if (typeof attributeName !== "string" || typeof attributeValue !== "string") return invalid(`${name}.${index + 1}`, shape, "of another type");
    if (attributes.has(attributeName)) return invalid(`${name}.${index + 1}.name`, "Member must not repeat an attribute", `'${attributeName.slice(0, 64)}'`);
    attributes.set(attributeName, attributeValue);
  }
  return ok(Object.fromEntries(attributes));
}

function oneOf<T extends string>(body: JsonObject, name: string, values: readonly T[]): Decoding<T> {
  const value = requiredString(body, name);
  if (!value.ok) return value;
  const found = values.find((candidate) => candidate === value.value);
  if (found === undefined) return invalid(name, `Member must satisfy enum value set: [${values.join(", ")}] (the values the local user pool plays)`, "of another value");
  return ok(found);
}

export type SignUpInput = Parameters<UserPool["signUp"]>[0];
export type InitiateAuthInput = Parameters<UserPool["initiateAuth"]>[0];
export type RespondToAuthChallengeInput = Parameters<UserPool["respondToAuthChallenge"]>[0];
export type GetUserInput = Parameters<UserPool["getUser"]>[0];
export type RevokeTokenInput = Parameters<UserPool["revokeToken"]>[0];
export type GlobalSignOutInput = Parameters<UserPool["globalSignOut"]>[0];

/**
 * Reads members in order and stops at the first that fails, so that a body with several problems is
 * told of one, as Cognito tells of the first it finds.
 */
function all<T extends Record<string, Decoding<unknown>>>(decodings: T): Decoding<{ [K in keyof T]: T[K] extends Decoding<infer V> ? V : never }> {
  const values: Record<string, unknown> = {};
  for (const [name, decoding] of Object.entries(decodings)) {
    if (!decoding.ok) return decoding;
    values[name] = decoding.value;
  }
  // Each value was taken from the decoding of the same name.
  return ok(values as { [K in keyof T]: T[K] extends Decoding<infer V> ? V : never });
}

/** `undefined` members left out, so that the port sees a member only when the client sent it. */
function present<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

export function decodeSignUp(body: JsonObject): Decoding<SignUpInput> {
  const fields = all({
    clientId: requiredString(body, "ClientId"),
    username: requiredString(body, "Username"),
    password: requiredString(body, "Password"),
    userAttributes: attributeList(body, "UserAttributes"),
    clientMetadata: optionalStringMap(body, "ClientMetadata"),
  });
  return fields.ok ? ok(present(fields.value)) : fields;
}

export function decodeInitiateAuth(body: JsonObject): Decoding<InitiateAuthInput> {
  const fields = all({
    clientId: requiredString(body, "ClientId"),
    authFlow: oneOf(body, "AuthFlow", AUTH_FLOWS),
    authParameters: optionalStringMap(body, "AuthParameters"),
    clientMetadata: optionalStringMap(body, "ClientMetadata"),
  });
  return fields.ok ? ok(present({ ...fields.value, authParameters: fields.value.authParameters ?? {} })) : fields;
}

export function decodeRespondToAuthChallenge(body: JsonObject): Decoding<RespondToAuthChallengeInput> {
  const fields = all({
    clientId: requiredString(body, "ClientId"),
    challengeName: oneOf(body, "ChallengeName", CHALLENGE_NAMES),
    session: requiredString(body, "Session"),
    challengeResponses: optionalStringMap(body, "ChallengeResponses"),
    clientMetadata: optionalStringMap(body, "ClientMetadata"),
  });
  return fields.ok ? ok(present({ ...fields.value, challengeResponses: fields.value.challengeResponses ?? {} })) : fields;
}

export type GetTokensFromRefreshTokenInput = Parameters<UserPool["getTokensFromRefreshToken"]>[0];

/**
 * GetTokensFromRefreshToken, what Amplify v6 refreshes with. Its `ClientSecret` and `DeviceKey` are not
 * read: the local app client has no secret, and the local pool remembers no devices.
 */
export function decodeGetTokensFromRefreshToken(body: JsonObject): Decoding<GetTokensFromRefreshTokenInput> {
  const fields = all({
    clientId: requiredString(body, "ClientId"),
    refreshToken: requiredString(body, "RefreshToken"),
    clientMetadata: optionalStringMap(body, "ClientMetadata"),
  });
  return fields.ok ? ok(present(fields.value)) : fields;
}

export function decodeGetUser(body: JsonObject): Decoding<GetUserInput> {
  return all({ accessToken: requiredString(body, "AccessToken") });
}

export function decodeRevokeToken(body: JsonObject): Decoding<RevokeTokenInput> {
  return all({ clientId: requiredString(body, "ClientId"), token: requiredString(body, "Token") });
}

export function decodeGlobalSignOut(body: JsonObject): Decoding<GlobalSignOutInput> {
  return all({ accessToken: requiredString(body, "AccessToken") });
}
