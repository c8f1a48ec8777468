import { sha256 } from "@oslojs/crypto/sha2";
import { utf8Bytes } from "../encoding/bytes.js";
import { SUPPORTED_ALGORITHMS } from "../encoding/cose.js";
import type { AttestationConveyance, CoseAlgorithmIdentifier, UserVerificationRequirement } from "../encoding/webauthn-json.js";

/** The relying party's settings: who keyport is, to browsers and authenticators. */
export interface RelyingPartyConfig {
  /** The RP ID: a registrable domain suffix of every origin (`localhost` locally). */
  readonly id: string;
  readonly name: string;
  /** Exact origins (scheme, host, port) allowed in client data. */
  readonly origins: readonly string[];
  readonly userVerification: UserVerificationRequirement;
  readonly registrationTimeoutMs: number;
  readonly authenticationTimeoutMs: number;
  /** Offered algorithms, in order of preference; defaults to EdDSA, ES256, RS256. */
  readonly algorithms?: readonly CoseAlgorithmIdentifier[];
  /**
   * The attestation conveyance the creation options ask for (ATTESTATION, ADR 0027): `none` (the default)
   * or `direct`. Whatever statement arrives is verified by its format either way; `direct` is what makes
   * authenticators send one that can be trusted.
   */
  readonly attestation?: AttestationConveyance;
  /**
   * How recent a sign-in must be for a sensitive action (adding a passkey), in milliseconds; 5 minutes
   * by default (SENSITIVE_ACTION_MAX_AGE_SECONDS).
   */
  readonly sensitiveActionMaxAgeMs?: number;
}

export { ATTESTATION_CONVEYANCES, type AttestationConveyance } from "../encoding/webauthn-json.js";

/** The default of `sensitiveActionMaxAgeMs`: 5 minutes. */
export const DEFAULT_SENSITIVE_ACTION_MAX_AGE_MS = 5 * 60 * 1000;

/** Bytes of every challenge: the spec asks for at least 16; keyport uses 32. */
export const CHALLENGE_BYTES = 32;
/** Length of a challenge or session id as base64url text without padding. */
export const CHALLENGE_TEXT_LENGTH = Math.ceil((CHALLENGE_BYTES * 4) / 3);
/** Bytes of a new user handle: random, so it never carries a username or e-mail. */
export const USER_HANDLE_BYTES = 32;

/** Values derived once from the configuration, so that no request recomputes them. */
export class RelyingParty {
  readonly rpIdHash: Uint8Array;
  readonly algorithms: readonly CoseAlgorithmIdentifier[];
  readonly sensitiveActionMaxAgeMs: number;

  constructor(readonly config: RelyingPartyConfig) {
    this.rpIdHash = sha256(utf8Bytes(config.id));
    this.algorithms = config.algorithms ?? SUPPORTED_ALGORITHMS;
    this.sensitiveActionMaxAgeMs = config.sensitiveActionMaxAgeMs ?? DEFAULT_SENSITIVE_ACTION_MAX_AGE_MS;
  }
}
