/**
 * The test kit: the one place for the records, routes and token decoding that tests, benchmarks and
 * scripts share. Builders give a complete, valid record with every field overridable; a test that
 * depends on a field's value passes it explicitly rather than relying on the default.
 *
 * No vitest import here: bench/ and scripts/ load this (through ./index.ts) outside a test run.
 */
import { randomBytes } from "node:crypto";
import { usernameKey } from "../../src/domain/ceremonies/names.js";
import { isAttestationFormatId } from "../../src/domain/encoding/parse-response.js";
import { legacyAttestation, type StoredCredential, type UserAccount } from "../../src/domain/model.js";
import type { VerifiedIdentity } from "../../src/ports/identity-provider.js";

/** The time records are created at by default: the ManualClock's start. */
export const BASE_TIME = Date.UTC(2026, 0, 1);

/**
 * A random id (base64url, like keyport's own ids), so that suites can run against a shared table
 * without one test seeing another's items.
 */
export function uniqueId(bytes = 16): string {
  return randomBytes(bytes).toString("base64url");
}

/** A COSE key's worth of random bytes, with a 0x00 and a 0xff in it, so that encodings that trim or sign-extend show up. */
export function keyBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(randomBytes(length));
  bytes[0] = 0xa5;
  bytes[1] = 0x00;
  bytes[length - 1] = 0xff;
  return bytes;
}

/**
 * A user: by default a fresh random handle that is also the identity user id (a passkey sign-up), a
 * fresh username (`alice-<random>@example.com`: usernames are unique, and suites share a table),
 * created at BASE_TIME. `usernameKey` is the username's canonical form unless overridden.
 */
export function aUserAccount(overrides: Partial<UserAccount> = {}): UserAccount {
  const userHandle = uniqueId(32);
  const username = overrides.username ?? `alice-${uniqueId(9)}@example.com`;
  return {
    userHandle,
    identityUserId: userHandle,
    username,
    usernameKey: usernameKey(username),
    displayName: "Alice Ängström",
    createdAt: BASE_TIME,
    origin: "passkey_sign_up",
    ...overrides,
  };
}

/**
 * Who a verified ID token names: by default a user who signed in at BASE_TIME (the ManualClock's
 * start, so "just now" for a fresh clock), with no names in the token.
 */
export function aVerifiedIdentity(overrides: Partial<VerifiedIdentity> = {}): VerifiedIdentity {
  return { identityUserId: "u-1", subject: "s-1", preferredUsername: null, name: null, authenticatedAt: BASE_TIME, ...overrides };
}

/**
 * What a test may override in a credential record: every field, with a plain string where the model
 * narrows one to a checked value (test data is written, not parsed).
 */
export type StoredCredentialOverrides = { readonly [K in keyof StoredCredential]?: K extends "attestationFormat" ? string : StoredCredential[K] };

/**
 * A credential record: by default an ES256 passkey with a random id and key bytes, owned by a fresh
 * random handle (also its identity user id), never used, counter 0, not backup eligible, user
 * verified at registration, "none" attestation (untrusted), created at BASE_TIME, enabled, named after its id
 * ("Passkey <id>", so that names are unique per user).
 */
export function aStoredCredential(overrides: StoredCredentialOverrides = {}): StoredCredential {
  const userHandle = uniqueId(32);
  const credentialId = overrides.credentialId ?? uniqueId(16);
  const { attestationFormat = "none", ...rest } = overrides;
  return {
    credentialId,
    userHandle,
    identityUserId: userHandle,
    publicKey: keyBytes(77),
    algorithm: -7,
    counter: 0,
    transports: ["internal", "hybrid"],
    aaguid: "00000000-0000-0000-0000-000000000000",
    backupEligible: false,
    backupState: false,
    userVerifiedAtRegistration: true,
    createdAt: BASE_TIME,
    lastUsedAt: null,
    name: `Passkey ${credentialId}`,
    enabled: true,
    registrationMediation: "modal",
    ...rest,
    attestationFormat: formatId(attestationFormat),
    // Unless given, what registration records for the format (as a legacy record reads: never trusted).
    attestation: rest.attestation ?? legacyAttestation(formatId(attestationFormat), rest.aaguid ?? "00000000-0000-0000-0000-000000000000"),
  };
}

/** A format identifier for test data, checked as the parser checks it (a test that wants a bad one writes the item itself). */
function formatId(text: string): StoredCredential["attestationFormat"] {
  if (!isAttestationFormatId(text)) throw new Error(`test data: ${JSON.stringify(text)} is not an attestation format identifier (§8.1)`);
  return text;
}

/** `aStoredCredential` owned by `user` (its handle and identity user id). */
export function aStoredCredentialFor(user: Pick<UserAccount, "userHandle" | "identityUserId">, overrides: StoredCredentialOverrides = {}): StoredCredential {
  return aStoredCredential({ userHandle: user.userHandle, identityUserId: user.identityUserId, ...overrides });
}

/** A JWT's header and payload, decoded without any verification. */
export function decodeJwt(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header = "", payload = ""] = jwt.split(".");
  return {
    header: JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>,
  };
}

/** One route of keyport's HTTP API (src/handlers/http/app.ts). */
export interface ApiRoute {
  /** The method that does the work. */
  readonly method: "POST" | "GET" | "PATCH" | "DELETE";
  readonly path: string;
  /** Every method the path answers: the Allow header of its 405. */
  readonly methods: readonly string[];
  /** Needs `Authorization: Bearer <ID token>` (checked before the body is read). */
  readonly bearer: boolean;
  /** Only where keyport issues its own tokens (the local identity provider); not an API Gateway route. */
  readonly localOnly: boolean;
}

const post = (path: string, bearer = false): ApiRoute => ({ method: "POST", path, methods: ["POST", "OPTIONS"], bearer, localOnly: false });
/** A signed-in route of a path that answers several methods (`methods`, its Allow header). */
const signedIn = (method: ApiRoute["method"], path: string, methods: readonly string[]): ApiRoute => ({ method, path, methods, bearer: true, localOnly: false });
const CREDENTIAL_METHODS = ["PATCH", "DELETE", "OPTIONS"];
const ACCOUNT_METHODS = ["GET", "HEAD", "PATCH", "DELETE", "OPTIONS"];

/** Every route of the HTTP API, except the demo's static pages. */
export const API_ROUTES: readonly ApiRoute[] = [
  post("/registration/start"),
  post("/registration/start-verified", true),
  post("/registration/finish"),
  post("/authentication/discover"),
  post("/authentication/start"),
  post("/authentication/finish"),
  post("/authentication/refresh"),
  post("/authentication/sign-out"),
  signedIn("GET", "/credentials", ["GET", "HEAD", "OPTIONS"]),
  signedIn("PATCH", "/credentials/{credentialId}", CREDENTIAL_METHODS),
  signedIn("DELETE", "/credentials/{credentialId}", CREDENTIAL_METHODS),
  signedIn("GET", "/account", ACCOUNT_METHODS),
  signedIn("PATCH", "/account", ACCOUNT_METHODS),
  signedIn("DELETE", "/account", ACCOUNT_METHODS),
  post("/account/sign-out-everywhere", true),
  signedIn("GET", "/events", ["GET", "HEAD", "OPTIONS"]),
  { method: "GET", path: "/healthz", methods: ["GET", "HEAD"], bearer: false, localOnly: false },
  { method: "GET", path: "/.well-known/jwks.json", methods: ["GET", "HEAD"], bearer: false, localOnly: true },
];

/** The paths of the POST routes, in the order of API_ROUTES. */
export const POST_PATHS: readonly string[] = API_ROUTES.filter((route) => route.method === "POST").map((route) => route.path);
