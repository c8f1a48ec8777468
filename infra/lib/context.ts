/**
 * CDK context → stack settings. Values given with `-c key=value` arrive as strings, values in
 * cdk.json as JSON, so both are accepted; anything malformed stops synth with the key's name.
 */
import { Duration } from "aws-cdk-lib";
import type { KeyportPasskeysProps } from "./keyport-passkeys.js";
import { KeyportSettingError } from "./setting-error.js";

/** The context keys the app reads, with their defaults. */
export const CONTEXT_DEFAULTS = {
  stackName: "Keyport",
  rpId: "example.com",
  rpName: "keyport",
  /** Default: `https://<rpId>`. */
  origins: undefined,
  userVerification: "required",
  /** off, if-enrolled or required: a passkey as the second factor after a password (ADR 0023). */
  secondFactor: "off",
  throttleRateLimit: 50,
  throttleBurstLimit: 100,
  idTokenValidityMinutes: 60,
  accessTokenValidityMinutes: 60,
  refreshTokenValidityDays: 30,
  /** How recent a sign-in must be to add or delete a passkey or delete the account; 60–3600. */
  sensitiveActionMaxAgeSeconds: 300,
  /** How long users' security events are kept, in days; 1–3650 (EVENT_RETENTION_DAYS). */
  eventRetentionDays: 90,
  /** The alarm goes off above this many failed sign-ins in 5 minutes. */
  failedSignInAlarmThreshold: 50,
  generateClientSecret: false,
  /** `false` for a pool created without the preferred_username alias, which cannot gain it (keyport-passkeys.ts). */
  preferredUsernameSignIn: true,
  /** `false` for the first step of upgrading a stack deployed before refresh-token rotation (keyport-passkeys.ts). */
  refreshTokenRotation: true,
  sourceMaps: false,
  existingUserPoolId: undefined,
  existingUserPoolClientId: undefined,
  /** none, direct or enterprise: the attestation registrations ask for (ADR 0027). */
  attestation: "none",
  /** any, certified or allow-list (with allowedAaguids, comma-separated); certified turns FIDO metadata on. */
  authenticatorPolicy: "any",
  allowedAaguids: undefined,
} as const;

type Lookup = (key: string) => unknown;

function text(get: Lookup, key: string): string | undefined {
  const value = get(key);
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new KeyportSettingError(`context ${key}: expected a string, got ${JSON.stringify(value)}`);
  return value.trim();
}

function bool(get: Lookup, key: string, fallback: boolean): boolean {
  const value = get(key);
  if (value === undefined || value === null || value === "") return fallback;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new KeyportSettingError(`context ${key}: expected true or false, got ${JSON.stringify(value)}`);
}

function positive(get: Lookup, key: string, fallback: number): number {
  const value = get(key);
  if (value === undefined || value === null || value === "") return fallback;
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n <= 0) throw new KeyportSettingError(`context ${key}: expected a positive whole number, got ${JSON.stringify(value)}`);
  return n;
}

function list(get: Lookup, key: string): string[] | undefined {
  const value = get(key);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.map((v) => v.trim()).filter((v) => v !== "");
  const raw = text(get, key);
  return raw?.split(",").map((v) => v.trim()).filter((v) => v !== "");
}

export function readKeyportContext(get: Lookup): { stackName: string; passkeys: KeyportPasskeysProps } {
  const rpId = text(get, "rpId") ?? CONTEXT_DEFAULTS.rpId;
  const userVerification = text(get, "userVerification") ?? CONTEXT_DEFAULTS.userVerification;
  if (userVerification !== "required" && userVerification !== "preferred" && userVerification !== "discouraged") {
    throw new KeyportSettingError(`context userVerification: expected required, preferred or discouraged, got ${JSON.stringify(userVerification)}`);
  }
  const secondFactor = text(get, "secondFactor") ?? CONTEXT_DEFAULTS.secondFactor;
  if (secondFactor !== "off" && secondFactor !== "if-enrolled" && secondFactor !== "required") {
    throw new KeyportSettingError(`context secondFactor: expected off, if-enrolled or required, got ${JSON.stringify(secondFactor)}`);
  }
  const attestation = text(get, "attestation") ?? CONTEXT_DEFAULTS.attestation;
  if (attestation !== "none" && attestation !== "direct" && attestation !== "enterprise") {
    throw new KeyportSettingError(`context attestation: expected none, direct or enterprise, got ${JSON.stringify(attestation)}`);
  }
  const authenticatorPolicy = text(get, "authenticatorPolicy") ?? CONTEXT_DEFAULTS.authenticatorPolicy;
  if (authenticatorPolicy !== "any" && authenticatorPolicy !== "certified" && authenticatorPolicy !== "allow-list") {
    throw new KeyportSettingError(`context authenticatorPolicy: expected any, certified or allow-list, got ${JSON.stringify(authenticatorPolicy)}`);
  }
  const allowedAaguids = list(get, "allowedAaguids");
  const poolId = text(get, "existingUserPoolId");
  const clientId = text(get, "existingUserPoolClientId");
  if ((poolId === undefined) !== (clientId === undefined)) {
    throw new KeyportSettingError("context existingUserPoolId and existingUserPoolClientId go together");
  }
  return {
    stackName: text(get, "stackName") ?? CONTEXT_DEFAULTS.stackName,
    passkeys: {
      rpId,
      rpName: text(get, "rpName") ?? CONTEXT_DEFAULTS.rpName,
      allowedOrigins: list(get, "origins") ?? [`https://${rpId}`],
      userVerification,
      secondFactor,
      attestation,
      authenticatorPolicy,
      ...(allowedAaguids === undefined ? {} : { allowedAaguids }),
      throttling: {
        rateLimit: positive(get, "throttleRateLimit", CONTEXT_DEFAULTS.throttleRateLimit),
        burstLimit: positive(get, "throttleBurstLimit", CONTEXT_DEFAULTS.throttleBurstLimit),
      },
      tokenValidity: {
        idToken: Duration.minutes(positive(get, "idTokenValidityMinutes", CONTEXT_DEFAULTS.idTokenValidityMinutes)),
        accessToken: Duration.minutes(positive(get, "accessTokenValidityMinutes", CONTEXT_DEFAULTS.accessTokenValidityMinutes)),
        refreshToken: Duration.days(positive(get, "refreshTokenValidityDays", CONTEXT_DEFAULTS.refreshTokenValidityDays)),
      },
      sensitiveActionMaxAge: Duration.seconds(positive(get, "sensitiveActionMaxAgeSeconds", CONTEXT_DEFAULTS.sensitiveActionMaxAgeSeconds)),
      eventRetention: Duration.days(positive(get, "eventRetentionDays", CONTEXT_DEFAULTS.eventRetentionDays)),
      failedSignInAlarmThreshold: positive(get, "failedSignInAlarmThreshold", CONTEXT_DEFAULTS.failedSignInAlarmThreshold),
      generateClientSecret: bool(get, "generateClientSecret", CONTEXT_DEFAULTS.generateClientSecret),
      preferredUsernameSignIn: bool(get, "preferredUsernameSignIn", CONTEXT_DEFAULTS.preferredUsernameSignIn),
      refreshTokenRotation: bool(get, "refreshTokenRotation", CONTEXT_DEFAULTS.refreshTokenRotation),
      sourceMaps: bool(get, "sourceMaps", CONTEXT_DEFAULTS.sourceMaps),
      ...(poolId !== undefined && clientId !== undefined ? { existingUserPool: { userPoolId: poolId, userPoolClientId: clientId } } : {}),
    },
  };
}
