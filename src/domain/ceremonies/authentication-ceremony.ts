import { hmac } from "@oslojs/crypto/hmac";
import { SHA256 } from "@oslojs/crypto/sha2";
import type { Clock } from "../../ports/clock.js";
import type { CredentialStore } from "../../ports/credential-store.js";
import type { RandomSource } from "../../ports/random-source.js";
import type { SessionStore } from "../../ports/session-store.js";
import type { SignatureVerifier } from "../../ports/signature-verifier.js";
import { byteAt, bytesEqual, concatBytes, fromBase64Url, toBase64Url, utf8Bytes } from "../encoding/bytes.js";
import { concatDigest } from "../encoding/sha256.js";
import {
  checkBackupEligibilityUnchanged,
  checkCounterIncreased,
  checkCredentialAllowed,
  checkCredentialOwner,
  checkSignature,
} from "./checks/authentication-checks.js";
import { checkRpIdHash } from "./checks/authenticator-data-checks.js";
import { checkChallenge, checkClientDataType, checkOrigin } from "./checks/client-data-checks.js";
import { checkCredentialType, checkIdMatchesRawId } from "./checks/credential-checks.js";
import { parsePublicKey } from "../encoding/cose.js";
import type { AuthenticationError } from "./errors.js";
import type { AuthenticationSession, StoredCredential } from "../model.js";
import { parseAuthenticationResponse, type ParsedAuthenticationResponse } from "../encoding/parse-response.js";
import { CHALLENGE_BYTES, USER_HANDLE_BYTES, type RelyingParty } from "./relying-party.js";
import { err, ok, type Result } from "../result.js";
import { checkAuthenticatorData, checkClientData, consumeSession } from "./steps.js";
import type { PublicKeyCredentialDescriptorJSON, PublicKeyCredentialRequestOptionsJSON } from "../encoding/webauthn-json.js";
import { MAX_CREDENTIAL_ID_BYTES } from "./checks/registration-checks.js";
import { openRequestContext, requestContextKey, sealRequestContext } from "../activity/request-context-seal.js";
import type { RequestContext } from "../activity/security-events.js";
import { forTheRecord } from "../activity/security-activity.js";
import { stillAdmits, type AuthenticatorPolicy } from "./attestation/authenticator-policy.js";
import type { AuthenticatorMetadata } from "../../ports/authenticator-metadata.js";

export interface AuthenticationDependencies {
  readonly relyingParty: RelyingParty;
  readonly sessions: SessionStore;
  readonly credentials: CredentialStore;
  readonly signatureVerifier: SignatureVerifier;
  readonly clock: Clock;
  readonly random: RandomSource;
  /**
   * Secret from which plausible credential lists are derived for users who do not exist, so that
   * `startForUser` answers the same way for everyone. At least 32 bytes; keep it stable across
   * instances, or the fake lists change and give the game away.
   */
  readonly unknownUserSecret: Uint8Array;
  /** Which authenticators may still sign in (ADR 0027); `any` when absent. */
  readonly authenticatorPolicy?: AuthenticatorPolicy;
  /** FIDO metadata (MDS3) in force, which `certified` judges every sign-in by. */
  readonly metadata?: AuthenticatorMetadata;
}

/** Who signed in, once every check has passed and the new counter has been recorded. */
export interface AuthenticatedUser {
  readonly userHandle: string;
  readonly identityUserId: string;
  readonly credentialId: string;
  readonly userVerified: boolean;
}

/**
 * A finished ceremony, and the stored credential the response presented (the record the ceremony read,
 * or read for the purpose when it failed before that): what a security event names. `null` when the
 * response presents no credential keyport has.
 */
export interface PresentedOutcome {
  readonly result: Result<AuthenticatedUser, AuthenticationError>;
  readonly credential: StoredCredential | null;
}

/** A presented credential's standing (see `credentialStanding`) and its record, when it is a registered one. */
export interface PresentedCredential {
  readonly standing: CredentialStanding;
  readonly credential: StoredCredential | null;
}

/**
 * `unknown`: no sign-in can ever accept it; `disabled`: registered, disabled by its owner;
 * `not_allowed`: registered and enabled, but the authenticator policy no longer admits its authenticator;
 * `recognised`: registered and enabled, or a made-up ID of a fake list (alike).
 */
export type CredentialStanding = "unknown" | "disabled" | "not_allowed" | "recognised";

/** What the caller knew before the ceremony, to be held against the response. */
export interface AuthenticationExpectation {
  /** The identity provider's user the sign-in was started for (Cognito's `userName`). */
  readonly identityUserId?: string;
  /** The challenge issued for this sign-in when it was started for a named user. */
  readonly challenge?: string;
}

/** Compare-and-set conflicts tolerated in one sign-in before the store is deemed broken. */
const MAX_COUNTER_CONFLICTS = 1000;
/** Credential ID lengths seen from common platform and roaming authenticators; fakes use one of them. */
const FAKE_CREDENTIAL_ID_LENGTHS = [16, 20, 32, 64] as const;
/**
 * The last bytes of a fake credential ID: a MAC of the rest, keyed with the secret, by which keyport
 * knows its own fakes again (`recognisesCredential`). Guessing one takes 2^64 tries.
 */
const FAKE_ID_TAG_BYTES = 8;
/** Transport sets as browsers report them (`getTransports()` is sorted lexicographically). */
const FAKE_TRANSPORTS = [["hybrid", "internal"], ["internal"], ["hybrid", "internal"], ["usb"]] as const;

/** Signs users in with a passkey (WebAuthn §7.2), discoverable or username-first. */
export class AuthenticationCeremony {
  private readonly unknownUserKey: Uint8Array;
  private readonly contextKey: Uint8Array;

  constructor(private readonly deps: AuthenticationDependencies) {
    if (deps.unknownUserSecret.length < 32) throw new Error("unknownUserSecret must be at least 32 bytes");
    this.unknownUserKey = deps.unknownUserSecret;
    this.contextKey = requestContextKey(deps.unknownUserSecret);
  }

  /**
   * The request context of a sign-in of `identityUserId`, sealed as client metadata for the identity
   * provider to hand to the Verify trigger (request-context-seal.ts). Keyed from the unknown-user secret,
   * which every part of keyport that signs users in holds, so that the trigger can open it.
   */
  sealRequestContext(context: RequestContext, identityUserId: string): Record<string, string> {
    return sealRequestContext(this.contextKey, context, { identityUserId, now: this.deps.clock.now() });
  }

  /** The context `sealRequestContext` put in `metadata` for this sign-in, or `null` when it holds none that opens. */
  openRequestContext(metadata: Readonly<Record<string, unknown>> | undefined, identityUserId: string): RequestContext | null {
    return openRequestContext(this.contextKey, metadata, { identityUserId, now: this.deps.clock.now() });
  }

  /** A sign-in where the authenticator says who the user is: no credentials are listed. */
  async startDiscoverable(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.start(null, []);
  }

  /**
   * A sign-in for a named user: the options list the user's enabled credentials (a disabled one signs
   * nobody in, so it is not offered). A handle nobody has, and a user with no enabled credential, get a
   * stable, fake list of the same shape, so the answer does not tell who exists.
   */
  async startForUser(userHandle: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const account = await this.deps.credentials.findUserByHandle(userHandle);
    const credentials = account === null ? [] : (await this.deps.credentials.listCredentials(userHandle)).filter((c) => c.enabled);
    const allow =
      credentials.length > 0
        ? credentials.map((c) => ({ type: "public-key" as const, id: c.credentialId, transports: [...c.transports] }))
        : this.fakeCredentials(userHandle);
    return this.start(userHandle, allow);
  }

  /**
   * A stand-in user handle for a username nobody has, for `startForUser` to answer with a fake list as
   * for any unknown handle: stable for the username (its `usernameKey`), shaped like a real handle, and
   * unguessable without the secret, so that nobody can arrange for it to name a real user.
   */
  handleForUnknownUsername(usernameKey: string): string {
    return toBase64Url(hmac(SHA256, this.unknownUserKey, utf8Bytes(`keyport/unknown-username/${usernameKey}`)).slice(0, USER_HANDLE_BYTES));
  }

  /**
   * Whether `credentialId` is one that a credential list of `startForUser` may hold: a registered
   * credential (anyone's), or one of the made-up IDs of a fake list. Both answer `true`, and the store is
   * asked either way, so that a caller who presents an ID from a list learns nothing about whose list it
   * was; `false` means no sign-in can ever accept this credential.
   */
  async recognisesCredential(credentialId: string): Promise<boolean> {
    return (await this.credentialStanding(credentialId)) !== "unknown";
  }

  /**
   * `recognisesCredential` in more detail, with one read: `"unknown"` (no sign-in can ever accept it),
   * `"disabled"` (registered, and disabled by its owner), or `"recognised"` (registered and enabled, or a
   * made-up ID of a fake list: alike, as there).
   */
  async credentialStanding(credentialId: string): Promise<CredentialStanding> {
    return (await this.presentedCredential(credentialId)).standing;
  }

  /** `credentialStanding`, with the record it read: what an event about the presented passkey names. */
  async presentedCredential(credentialId: string): Promise<PresentedCredential> {
    const stored = await this.deps.credentials.findCredential(credentialId);
    if (stored !== null) return { standing: await this.standingOf(stored), credential: stored };
    return { standing: this.isFakeCredentialId(credentialId) ? "recognised" : "unknown", credential: null };
  }

  private async standingOf(stored: StoredCredential): Promise<CredentialStanding> {
    if (!stored.enabled) return "disabled";
    return (await stillAdmits(this.deps, stored.attestation)) ? "recognised" : "not_allowed";
  }

  /**
   * Whether `response` is an assertion by a *disabled* credential, signed with that credential's private
   * key for this relying party: the only case in which a sign-in may say `credential_disabled` before it
   * is attempted, since only the passkey's holder can produce such a signature and so learns nothing new.
   * Checks the envelope, the client data's type and origin, the RP ID hash and the signature over
   * authenticatorData ‖ SHA-256(clientDataJSON) with the stored key (judged as `finish` judges it). Reads
   * the credential and consumes no session: the answer is a hint, never a sign-in, and `false` for
   * anything else (malformed, unknown, enabled, forged).
   */
  async provesPossessionOfDisabledCredential(response: unknown): Promise<boolean> {
    return this.provesPossessionOf(response, "disabled");
  }

  /**
   * `provesPossessionOfDisabledCredential` for a credential the authenticator policy no longer admits
   * (`not_allowed`): only its holder may be told `authenticator_not_allowed` before the sign-in.
   */
  async provesPossessionOfDisallowedCredential(response: unknown): Promise<boolean> {
    return this.provesPossessionOf(response, "not_allowed");
  }

  private async provesPossessionOf(response: unknown, standing: "disabled" | "not_allowed"): Promise<boolean> {
    const parsed = parseAuthenticationResponse(response);
    if (!parsed.ok) return false;
    const assertion = parsed.value;
    if (checkIdMatchesRawId(assertion.id, assertion.rawIdText) ?? checkCredentialType(assertion.type)) return false;
    const stored = await this.deps.credentials.findCredential(assertion.rawIdText);
    if (stored === null || (await this.standingOf(stored)) !== standing) return false;
    if (assertion.userHandle !== null && assertion.userHandle !== stored.userHandle) return false;
    const rp = this.deps.relyingParty;
    const envelopeError =
      checkClientDataType(assertion.clientData.type, "webauthn.get") ??
      checkOrigin(assertion.clientData.origin, rp.config.origins) ??
      checkRpIdHash(assertion.authenticatorData.rpIdHash, rp.rpIdHash);
    if (envelopeError) return false;
    return (await this.checkSignature(assertion, stored)) === null;
  }

  /** §7.2: verifies the response, consumes its challenge, and records the new counter. */
  async finish(response: unknown, expectation: AuthenticationExpectation = {}): Promise<Result<AuthenticatedUser, AuthenticationError>> {
    return (await this.verify(response, expectation)).result;
  }

  /**
   * `finish`, telling also which stored credential the response presented, for the security event of
   * the sign-in. A failure before the ceremony read the credential (a spent session, a wrong challenge)
   * costs one read of it here, when the response presents a well-formed credential id; a success, none.
   */
  async finishPresenting(response: unknown, expectation: AuthenticationExpectation = {}): Promise<PresentedOutcome> {
    const { result, credential } = await this.verify(response, expectation);
    if (credential !== undefined) return { result, credential };
    const presented = presentedCredentialId(response);
    // Read for the event only: a store that fails here does not turn a refusal into a fault.
    return { result, credential: presented === null ? null : await forTheRecord(() => this.deps.credentials.findCredential(presented)) };
  }

  /** The checks of §7.2; `credential` is the record read, `undefined` when the ceremony stopped before reading it. */
  private async verify(
    response: unknown,
    expectation: AuthenticationExpectation,
  ): Promise<{ readonly result: Result<AuthenticatedUser, AuthenticationError>; readonly credential?: StoredCredential | null }> {
    const parsed = parseAuthenticationResponse(response);
    if (!parsed.ok) return { result: parsed };
    const assertion = parsed.value;
    const envelopeError = checkIdMatchesRawId(assertion.id, assertion.rawIdText) ?? checkCredentialType(assertion.type);
    if (envelopeError) return { result: err(envelopeError) };

    // The challenge names the session; consuming it first makes every challenge single-use, even on failure.
    const consumed = await consumeSession(this.deps.sessions, this.deps.clock, assertion.clientData.challenge, "authentication");
    if (!consumed.ok) return { result: consumed };
    const session = consumed.value;
    if (session.userHandle !== null && expectation.challenge !== undefined) {
      const challengeError = checkChallenge(session.challenge, expectation.challenge);
      if (challengeError) return { result: err(challengeError) };
    }

    // §7.2 steps 5–7: the credential was allowed, is known, and belongs to the user.
    const allowedError = checkCredentialAllowed(assertion.rawIdText, session.allowCredentials);
    if (allowedError) return { result: err(allowedError) };
    const stored = await this.deps.credentials.findCredential(assertion.rawIdText);
    if (stored === null) return { result: err("credential_not_found"), credential: null };
    const failed = (error: AuthenticationError) => ({ result: err(error), credential: stored });
    const ownerError = checkCredentialOwner(stored, session.userHandle, assertion.userHandle);
    if (ownerError) return failed(ownerError);
    if (expectation.identityUserId !== undefined && expectation.identityUserId !== stored.identityUserId) return failed("user_handle_mismatch");
    if (!stored.enabled) return failed("credential_disabled");

    // §7.2 steps 11–21, the checks that need no key, then steps 21–22, the signature.
    const failure =
      checkClientData(assertion.clientData, { type: "webauthn.get", challenge: session.challenge }, this.deps.relyingParty) ??
      checkAuthenticatorData(assertion.authenticatorData, this.deps.relyingParty, session.userVerification) ??
      checkBackupEligibilityUnchanged(stored.backupEligible, assertion.authenticatorData.backupEligible) ??
      (await this.checkSignature(assertion, stored));
    if (failure) return failed(failure);
    // The relying party's policy on the authenticator, judged by the metadata in force now (ADR 0027);
    // after the signature, so that only the passkey's holder learns of it.
    if (!(await stillAdmits(this.deps, stored.attestation))) return failed("authenticator_not_allowed");
    // §7.2 steps 23–24. Awaited, not returned: an async function that returns a promise takes two more turns to settle.
    return await this.record(assertion, stored);
  }

  private async start(userHandle: string | null, allowCredentials: PublicKeyCredentialDescriptorJSON[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const { relyingParty, clock, random, sessions } = this.deps;
    const rp = relyingParty.config;
    const challenge = toBase64Url(random.bytes(CHALLENGE_BYTES));
    const session: AuthenticationSession = {
      kind: "authentication",
      id: challenge,
      challenge,
      userHandle,
      allowCredentials: allowCredentials.map((c) => c.id),
      userVerification: rp.userVerification,
      expiresAt: clock.now() + rp.authenticationTimeoutMs,
    };
    if ((await sessions.save(session)) !== "saved") throw new Error("challenge collision: the random source is not random");
    return { challenge, timeout: rp.authenticationTimeoutMs, rpId: rp.id, allowCredentials, userVerification: session.userVerification };
  }

  /**
   * §7.2 steps 21–22: the signature over authenticatorData ‖ SHA-256(clientDataJSON). The stored key is
   * judged again, as registration judges it (ADR 0014): a key that would be refused today (RSA e = 1, an
   * Ed25519 point of small order, …) is `public_key_invalid`, and no signature is asked of it.
   */
  private async checkSignature(assertion: ParsedAuthenticationResponse, stored: StoredCredential): Promise<AuthenticationError | null> {
    const key = parsePublicKey(stored.publicKey);
    if (key === null) return "public_key_invalid";
    const signed = concatDigest(assertion.authenticatorData.bytes, assertion.clientDataJSON);
    return checkSignature(await this.deps.signatureVerifier.verify(key, assertion.signature, signed));
  }

  /**
   * §7.2 steps 23–24: the counter rule, then the update as a compare-and-set. When a concurrent sign-in
   * moved the counter first, the rule is applied again to the fresh value, so the counter never goes back.
   * Every conflict means the stored counter rose, so the loop ends once it reaches ours; the bound only
   * guards against a store that breaks its contract.
   */
  private async record(
    assertion: ParsedAuthenticationResponse,
    stored: StoredCredential,
  ): Promise<{ readonly result: Result<AuthenticatedUser, AuthenticationError>; readonly credential: StoredCredential | null }> {
    const { credentials, clock } = this.deps;
    const { counter, backupState, userVerified } = assertion.authenticatorData;
    let current: StoredCredential | null = stored;
    for (let attempt = 0; attempt < MAX_COUNTER_CONFLICTS; attempt++) {
      if (current === null) return { result: err("credential_not_found"), credential: null };
      // Disabled by its owner while this sign-in was being checked: it completes no sign-in from then on.
      if (!current.enabled) return { result: err("credential_disabled"), credential: current };
      const counterError = checkCounterIncreased(counter, current.counter);
      if (counterError) return { result: err(counterError), credential: current };
      const outcome = await credentials.recordAuthentication(current.credentialId, current.counter, { counter, backupState, lastUsedAt: clock.now() });
      if (outcome === "recorded") {
        const user = { userHandle: current.userHandle, identityUserId: current.identityUserId, credentialId: current.credentialId, userVerified };
        return { result: ok(user), credential: current };
      }
      current = await credentials.findCredential(stored.credentialId);
    }
    throw new Error(`credential store reported ${MAX_COUNTER_CONFLICTS} compare-and-set conflicts without the counter reaching ${counter}`);
  }

  /** One or two credential descriptors derived from the secret and the handle: stable, and unguessable without the secret. */
  private fakeCredentials(userHandle: string): PublicKeyCredentialDescriptorJSON[] {
    const seed = hmac(SHA256, this.unknownUserKey, utf8Bytes(`keyport/unknown-user/${userHandle}`));
    const count = 1 + (byteAt(seed, 0) % 2);
    return Array.from({ length: count }, (_, i) => ({
      type: "public-key" as const,
      id: toBase64Url(this.fakeIdBytes(seed, i)),
      transports: [...pick(FAKE_TRANSPORTS, byteAt(seed, 2 + i))],
    }));
  }

  /** A fake credential ID of a plausible length, stable for the seed, ending in its tag. */
  private fakeIdBytes(seed: Uint8Array, index: number): Uint8Array {
    const length = pick(FAKE_CREDENTIAL_ID_LENGTHS, byteAt(seed, 1));
    const block = (n: number) => hmac(SHA256, seed, utf8Bytes(`credential/${index}/${n}`));
    const body = concatBytes(block(0), block(1)).slice(0, length - FAKE_ID_TAG_BYTES);
    return concatBytes(body, this.fakeIdTag(body));
  }

  private fakeIdTag(body: Uint8Array): Uint8Array {
    return hmac(SHA256, this.unknownUserKey, concatBytes(utf8Bytes("keyport/fake-credential-id/"), body)).slice(0, FAKE_ID_TAG_BYTES);
  }

  /** An ID `fakeIdBytes` made: canonical base64url of a fake's length, whose tag verifies. */
  private isFakeCredentialId(credentialId: string): boolean {
    const bytes = fromBase64Url(credentialId);
    if (bytes === null || toBase64Url(bytes) !== credentialId || !FAKE_CREDENTIAL_ID_LENGTHS.some((n) => n === bytes.length)) return false;
    const split = bytes.length - FAKE_ID_TAG_BYTES;
    return bytesEqual(bytes.slice(split), this.fakeIdTag(bytes.slice(0, split)));
  }
}

/**
 * The credential ID an authentication response presents: `rawId`, when `id` says the same and it is
 * base64url of 1 to 1023 bytes (§6.1); otherwise `null`, and the ceremony's own checks refuse it.
 */
export function presentedCredentialId(response: unknown): string | null {
  if (typeof response !== "object" || response === null) return null;
  const rawId = "rawId" in response ? response.rawId : undefined;
  const id = "id" in response ? response.id : undefined;
  if (typeof rawId !== "string" || rawId !== id) return null;
  const bytes = fromBase64Url(rawId);
  return bytes !== null && bytes.length > 0 && bytes.length <= MAX_CREDENTIAL_ID_BYTES ? rawId : null;
}

/** The item a byte of the seed chooses. */
function pick<T>(items: readonly [T, ...T[]], choice: number): T {
  return items[choice % items.length] ?? items[0];
}
