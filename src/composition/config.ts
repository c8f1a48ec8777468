/**
 * keyport's configuration: read from the environment once, in this one place, and validated so that a
 * bad value stops start-up with a message naming the variable (ADR 0007).
 */
import { fromBase64Url } from "../domain/encoding/bytes.js";
import type { RelyingPartyConfig } from "../domain/ceremonies/relying-party.js";
import { ATTESTATION_CONVEYANCES, USER_VERIFICATION_REQUIREMENTS, type AttestationConveyance, type UserVerificationRequirement } from "../domain/encoding/webauthn-json.js";
import { SECOND_FACTOR_POLICIES, type SecondFactorPolicy } from "../domain/custom-challenge/second-factor.js";
// A type only: DefineAuthChallenge's bundle reads this configuration and must not carry the domain's ceremonies.
import type { AuthenticatorPolicy } from "../domain/ceremonies/attestation/authenticator-policy.js";

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = "ConfigError";
  }
}

export interface CognitoConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly clientSecret: string | null;
}

export interface DynamoDbConfig {
  /** DynamoDB Local or another endpoint; null on AWS (the region's endpoint). */
  readonly endpoint: string | null;
  readonly sessionTable: string;
  readonly credentialTable: string;
  /** Users' security activity and the flood bound's windows (ADR 0020). */
  readonly eventTable: string;
}

/** Where FIDO metadata is read from: a BLOB file verified at load, or the stack's verified metadata in S3. */
export type MetadataConfig =
  | { readonly source: "file"; readonly path: string; readonly rootPath: string | null }
  | {
      readonly source: "s3";
      readonly bucket: string;
      readonly key: string;
      /** AWS_REGION, the bucket's: the stack puts it beside the functions, and Lambda sets AWS_REGION. */
      readonly region: string;
    };

export interface KeyportConfig {
  readonly port: number;
  readonly relyingParty: RelyingPartyConfig;
  readonly storage: "memory" | "dynamodb";
  readonly identityProvider: "local" | "cognito";
  readonly signatureVerifier: "node" | "webcrypto";
  /** Passkey answers allowed per sign-in session (ChallengeStateMachine). */
  readonly maxPasskeyAttempts: number;
  /**
   * The passkey as a second factor after a password (SECOND_FACTOR: off, if-enrolled or required;
   * default off, passkey-only sign-in as before). Read by DefineAuthChallenge (ADR 0023).
   */
  readonly secondFactor: SecondFactorPolicy;
  /**
   * Days a security event is kept (EVENT_RETENTION_DAYS, 1–3650, default 90); the store forgets it after
   * that by itself (DynamoDB TTL). Events outlive a deleted account until then: they are its audit trail.
   */
  readonly eventRetentionDays: number;
  /**
   * A PEM file of root certificates that attestation statements are trusted up to (ATTESTATION_ROOTS;
   * optional, ADR 0027); null: no statement is trusted.
   */
  readonly attestationRoots: string | null;
  /** Which authenticators may hold a passkey (AUTHENTICATOR_POLICY, ALLOWED_AAGUIDS; ADR 0027). */
  readonly authenticatorPolicy: AuthenticatorPolicy;
  /** Where the FIDO metadata (MDS3) comes from; null: none (MDS_BLOB, MDS_ROOT, MDS_S3_URI). */
  readonly metadata: MetadataConfig | null;
  /** Secret for the fake credential lists of unknown users; null = a random one per process. */
  readonly unknownUserSecret: Uint8Array | null;
  /**
   * The local identity provider's user pool id (LOCAL_USER_POOL_ID, `<region>_<letters and digits>`,
   * default `us-east-1_keyportlocal`) and its one app client's id (LOCAL_CLIENT_ID, default
   * `keyportlocalclient`), as apps name them to the local Cognito API; the client id is its tokens'
   * `aud` / `client_id`. Read only when IDENTITY_PROVIDER=local.
   */
  readonly localUserPoolId: string;
  readonly localClientId: string;
  /** Set when IDENTITY_PROVIDER=cognito. */
  readonly cognito: CognitoConfig | null;
  /** Set when STORAGE=dynamodb. */
  readonly dynamoDb: DynamoDbConfig | null;
}

type Env = Readonly<Record<string, string | undefined>>;

function text(env: Env, name: string, fallback: string): string {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  if (value.trim() !== value) throw new ConfigError(name, "must not start or end with white space");
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(name, `must be one of ${allowed.join(", ")}, got ${JSON.stringify(raw)}`);
  return raw as T;
}

/** An origin is scheme://host[:port], nothing more; its host must be the RP ID or under it (WebAuthn §5.1.4.1). */
function origins(env: Env, name: string, fallback: string, rpId: string): string[] {
  const list = text(env, name, fallback)
    .split(",")
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
  if (list.length === 0) throw new ConfigError(name, "must list at least one origin");
  for (const origin of list) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(name, `${JSON.stringify(origin)} is not an origin`);
    }
    if (url.origin !== origin) throw new ConfigError(name, `${JSON.stringify(origin)} is not an origin (expected ${JSON.stringify(url.origin)})`);
    if (url.hostname !== rpId && !url.hostname.endsWith(`.${rpId}`)) {
      throw new ConfigError(name, `${JSON.stringify(origin)} is not within RP_ID ${JSON.stringify(rpId)}`);
    }
    if (url.protocol !== "https:" && url.hostname !== "localhost") throw new ConfigError(name, `${JSON.stringify(origin)} must use https`);
  }
  return list;
}

const RP_ID_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function secret(env: Env, name: string): Uint8Array | null {
  const raw = env[name];
  if (raw === undefined || raw === "") return null;
  const bytes = fromBase64Url(raw);
  if (bytes === null || bytes.length < 32) throw new ConfigError(name, "must be at least 32 bytes, base64url-encoded");
  return bytes;
}

function required(env: Env, name: string, because: string): string {
  const value = text(env, name, "");
  if (value === "") throw new ConfigError(name, `is required when ${because}`);
  return value;
}

const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function awsRegion(env: Env, because: string): string {
  const region = required(env, "AWS_REGION", because);
  if (!AWS_REGION_PATTERN.test(region)) throw new ConfigError("AWS_REGION", `must be an AWS region such as eu-west-1, got ${JSON.stringify(region)}`);
  return region;
}

function cognitoConfig(env: Env): CognitoConfig {
  const because = "IDENTITY_PROVIDER=cognito";
  const region = awsRegion(env, because);
  const userPoolId = required(env, "COGNITO_USER_POOL_ID", because);
  if (!new RegExp(`^${region}_[0-9A-Za-z]+$`).test(userPoolId)) {
    throw new ConfigError("COGNITO_USER_POOL_ID", `must be a user pool ID in ${region} (${region}_…), got ${JSON.stringify(userPoolId)}`);
  }
  const clientId = required(env, "COGNITO_CLIENT_ID", because);
  if (!/^[\w+]{1,128}$/.test(clientId)) throw new ConfigError("COGNITO_CLIENT_ID", "must be an app client ID");
  // The secret is never echoed in a message.
  const secret = text(env, "COGNITO_CLIENT_SECRET", "");
  return { region, userPoolId, clientId, clientSecret: secret === "" ? null : secret };
}

/** A user pool id as Cognito makes them, `<region>_<letters and digits>`: its clients take the region from it. */
function localUserPoolId(env: Env): string {
  const value = text(env, "LOCAL_USER_POOL_ID", "us-east-1_keyportlocal");
  const at = value.indexOf("_");
  if (at < 0 || !AWS_REGION_PATTERN.test(value.slice(0, at)) || !/^[0-9A-Za-z]+$/.test(value.slice(at + 1))) {
    throw new ConfigError("LOCAL_USER_POOL_ID", `must be a user pool ID such as us-east-1_keyportlocal (<region>_<letters and digits>), got ${JSON.stringify(value)}`);
  }
  return value;
}

function localClientId(env: Env): string {
  const value = text(env, "LOCAL_CLIENT_ID", "keyportlocalclient");
  if (!/^[\w+]{1,128}$/.test(value)) throw new ConfigError("LOCAL_CLIENT_ID", `must be an app client ID (1–128 of A-Z a-z 0-9 _ +), got ${JSON.stringify(value)}`);
  return value;
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

function tableName(env: Env, name: string, fallback: string): string {
  const value = text(env, name, fallback);
  if (!TABLE_NAME.test(value)) throw new ConfigError(name, `must be a DynamoDB table name (3–255 of A-Z a-z 0-9 _ . -), got ${JSON.stringify(value)}`);
  return value;
}

function dynamoDbConfig(env: Env): DynamoDbConfig {
  const endpoint = text(env, "DYNAMODB_ENDPOINT", "");
  if (endpoint !== "") {
    let url: URL | null = null;
    try {
      url = new URL(endpoint);
    } catch {
      url = null;
    }
    if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) {
      throw new ConfigError("DYNAMODB_ENDPOINT", `must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
    }
  }
  return {
    endpoint: endpoint === "" ? null : endpoint,
    sessionTable: tableName(env, "SESSION_TABLE", "keyport-sessions"),
    credentialTable: tableName(env, "CREDENTIAL_TABLE", "keyport-credentials"),
    eventTable: tableName(env, "EVENT_TABLE", "keyport-events"),
  };
}

/** ATTESTATION: none (default), direct or enterprise; indirect is refused by name (ADR 0027). */
function attestationConveyance(env: Env): AttestationConveyance {
  if (env.ATTESTATION === "indirect") throw new ConfigError("ATTESTATION", "indirect attestation is not supported; use none, direct or enterprise");
  return oneOf(env, "ATTESTATION", ATTESTATION_CONVEYANCES, "none");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ZERO_AAGUID = "00000000-0000-0000-0000-000000000000";

/**
 * AUTHENTICATOR_POLICY: any (default), certified or allow-list, with ALLOWED_AAGUIDS (comma-separated
 * UUIDs) for allow-list and only then. A policy other than any judges the attestation statement, so the
 * options must ask for one (ATTESTATION direct or enterprise): what the options ask for is what is
 * checked. `certified` needs metadata (MDS_BLOB or MDS_S3_URI).
 */
function authenticatorPolicy(env: Env, attestation: AttestationConveyance, metadata: MetadataConfig | null): AuthenticatorPolicy {
  const kind = oneOf(env, "AUTHENTICATOR_POLICY", ["any", "certified", "allow-list"], "any");
  const listed = text(env, "ALLOWED_AAGUIDS", "");
  if (kind !== "allow-list" && listed !== "") throw new ConfigError("ALLOWED_AAGUIDS", "is read only with AUTHENTICATOR_POLICY=allow-list");
  if (kind === "any") return { kind };
  if (attestation === "none") {
    throw new ConfigError("AUTHENTICATOR_POLICY", `${kind} judges the authenticator's attestation: set ATTESTATION to direct or enterprise`);
  }
  if (kind === "certified") {
    if (metadata === null) throw new ConfigError("AUTHENTICATOR_POLICY", "certified needs FIDO metadata: set MDS_BLOB (a file) or MDS_S3_URI (on AWS)");
    return { kind };
  }
  if (listed === "") throw new ConfigError("ALLOWED_AAGUIDS", "is required when AUTHENTICATOR_POLICY=allow-list");
  const aaguids = new Set<string>();
  for (const item of listed.split(",")) {
    const aaguid = item.trim().toLowerCase();
    if (!UUID.test(aaguid) || aaguid === ZERO_AAGUID) {
      throw new ConfigError("ALLOWED_AAGUIDS", `must be AAGUIDs (UUIDs such as cb69481e-8ff7-4039-93ec-0a2729a154a8, not all zeros), comma-separated; got ${JSON.stringify(item.trim())}`);
    }
    aaguids.add(aaguid);
  }
  return { kind, aaguids };
}

// No dots in the bucket name: the reader addresses <bucket>.s3.<region>.amazonaws.com, whose certificate covers one label.
const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9-]{1,61}[a-z0-9])\/(.{1,1024})$/;

/**
 * Where the FIDO metadata comes from (ADR 0027): MDS_BLOB, a BLOB file verified here against the MDS3
 * root (MDS_ROOT, a PEM file, replaces FIDO's root: for tests and private metadata), or MDS_S3_URI, the
 * metadata the stack's refresh function verified and wrote (on AWS). At most one.
 */
function metadataConfig(env: Env): MetadataConfig | null {
  const blob = text(env, "MDS_BLOB", "");
  const s3 = text(env, "MDS_S3_URI", "");
  const root = text(env, "MDS_ROOT", "");
  if (blob !== "" && s3 !== "") throw new ConfigError("MDS_S3_URI", "give MDS_BLOB or MDS_S3_URI, not both");
  if (root !== "" && blob === "") throw new ConfigError("MDS_ROOT", "is read only with MDS_BLOB");
  if (blob !== "") return { source: "file", path: blob, rootPath: root === "" ? null : root };
  if (s3 === "") return null;
  const match = S3_URI.exec(s3);
  if (match === null) throw new ConfigError("MDS_S3_URI", `must be s3://<bucket>/<key>, got ${JSON.stringify(s3)}`);
  return { source: "s3", bucket: match[1] ?? "", key: match[2] ?? "", region: awsRegion(env, "MDS_S3_URI is set") };
}

export function parseConfig(env: Env): KeyportConfig {
  const port = integer(env, "PORT", 3000, 1, 65535);
  const rpId = text(env, "RP_ID", "localhost");
  if (!RP_ID_PATTERN.test(rpId)) throw new ConfigError("RP_ID", `must be a lower-case domain name, got ${JSON.stringify(rpId)}`);
  const name = text(env, "RP_NAME", "keyport");
  const identityProvider = oneOf(env, "IDENTITY_PROVIDER", ["local", "cognito"], "local");
  const storage = oneOf(env, "STORAGE", ["memory", "dynamodb"], "memory");
  if (name.length > 64) throw new ConfigError("RP_NAME", "must be at most 64 characters");
  const attestation = attestationConveyance(env);
  const metadata = metadataConfig(env);
  return {
    port,
    relyingParty: {
      id: rpId,
      name,
      origins: origins(env, "ALLOWED_ORIGINS", `http://localhost:${port}`, rpId),
      userVerification: oneOf<UserVerificationRequirement>(env, "USER_VERIFICATION", USER_VERIFICATION_REQUIREMENTS, "required"),
      registrationTimeoutMs: integer(env, "REGISTRATION_TIMEOUT_MS", 300_000, 10_000, 600_000),
      authenticationTimeoutMs: integer(env, "AUTHENTICATION_TIMEOUT_MS", 300_000, 10_000, 600_000),
      // How recent a sign-in must be for a sensitive action (adding or deleting a passkey, deleting the
      // account): 1 min – 1 h. Below a minute a user could not finish the prompt that signs them in again.
      sensitiveActionMaxAgeMs: integer(env, "SENSITIVE_ACTION_MAX_AGE_SECONDS", 300, 60, 3600) * 1000,
      attestation,
    },
    storage,
    identityProvider,
    signatureVerifier: oneOf(env, "SIGNATURE_VERIFIER", ["node", "webcrypto"], "node"),
    maxPasskeyAttempts: integer(env, "MAX_PASSKEY_ATTEMPTS", 1, 1, 5),
    secondFactor: oneOf(env, "SECOND_FACTOR", SECOND_FACTOR_POLICIES, "off"),
    eventRetentionDays: integer(env, "EVENT_RETENTION_DAYS", 90, 1, 3650),
    attestationRoots: text(env, "ATTESTATION_ROOTS", "") || null,
    authenticatorPolicy: authenticatorPolicy(env, attestation, metadata),
    metadata,
    unknownUserSecret: secret(env, "UNKNOWN_USER_SECRET"),
    localUserPoolId: localUserPoolId(env),
    localClientId: localClientId(env),
    cognito: identityProvider === "cognito" ? cognitoConfig(env) : null,
    dynamoDb: storage === "dynamodb" ? dynamoDbConfig(env) : null,
  };
}

/** The FIDO metadata settings alone (MDS_BLOB, MDS_ROOT, MDS_S3_URI), for a function that reads nothing else: the stack's metadata refresh. */
export function parseMetadataConfig(env: Env): MetadataConfig | null {
  return metadataConfig(env);
}
