import type { AuthenticatorCatalog } from "../../ports/authenticator-catalog.js";
import type { Clock } from "../../ports/clock.js";
import type { CredentialStore } from "../../ports/credential-store.js";
import type { IdentityProvider, VerifiedIdentity } from "../../ports/identity-provider.js";
import type { RandomSource } from "../../ports/random-source.js";
import type { SessionStore } from "../../ports/session-store.js";
import type { SignatureVerifier } from "../../ports/signature-verifier.js";
import type { CertificateVerifier } from "../../ports/certificate-verifier.js";
import type { TrustAnchors } from "../../ports/trust-anchors.js";
import { toBase64Url } from "../encoding/bytes.js";
import { verifyAttestation } from "./attestation/verify-attestation.js";
import { judgeAuthenticator, type AuthenticatorPolicy } from "./attestation/authenticator-policy.js";
import type { AuthenticatorMetadata } from "../../ports/authenticator-metadata.js";
import { registrationErrorOf } from "./attestation/failures.js";
import { checkCredentialType, checkIdMatchesRawId } from "./checks/credential-checks.js";
import { checkRecentSignIn, checkSameCaller } from "./checks/identity-checks.js";
import {
  checkAttestedCredentialIdMatches,
  checkCredentialIdLength,
  checkCredentialNotRegistered,
  checkPublicKey,
  offeredAlgorithm,
  publicKeyOf,
  registrationUserVerification,
  userPresenceFor,
} from "./checks/registration-checks.js";
import type { AuthenticatorTransport, CoseAlgorithmIdentifier } from "../encoding/webauthn-json.js";
import type { RegistrationError } from "./errors.js";
import type { RegistrationMediation, RegistrationSession, StoredAttestation, StoredCredential, UserAccount } from "../model.js";
import { parseRegistrationResponse, type AttestationFormatId, type ParsedRegistrationResponse } from "../encoding/parse-response.js";
import { CHALLENGE_BYTES, USER_HANDLE_BYTES, type RelyingParty } from "./relying-party.js";
import { err, ok, type Result } from "../result.js";
import { sha256 } from "@oslojs/crypto/sha2";
import { checkAuthenticatorData, checkClientData, consumeSession } from "./steps.js";
import {
  clipPasskeyName,
  fallbackUsername,
  passkeyNameKey,
  preparePasskeyName,
  prepareDisplayName,
  prepareUsername,
  uniquePasskeyName,
  usernameKey,
} from "./names.js";
import { allAcceptedCredentials, type Signal } from "../management/signals.js";
import type { PublicKeyCredentialCreationOptionsJSON } from "../encoding/webauthn-json.js";
import { alongside, forTheRecord, type NewSecurityEvent, type SecurityActivity } from "../activity/security-activity.js";
import { assertPasskeyEnrolled, enrolBeforeEnabling, settleAfterRefusal } from "../management/passkey-enrolment.js";
import { UNKNOWN_REQUEST_CONTEXT, type RequestContext } from "../activity/security-events.js";

export interface RegistrationDependencies {
  readonly relyingParty: RelyingParty;
  readonly sessions: SessionStore;
  readonly credentials: CredentialStore;
  readonly identityProvider: IdentityProvider;
  readonly signatureVerifier: SignatureVerifier;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Names a new passkey after its authenticator. */
  readonly authenticators: AuthenticatorCatalog;
  /** Where registrations and their failures are recorded and counted. */
  readonly activity: SecurityActivity;
  /**
   * X.509 for the attestation statements that carry certificates (packed with x5c, tpm, android-key,
   * fido-u2f, apple; ADR 0027). Without it only `none` and packed self attestation are accepted, and the
   * others are `attestation_format_unsupported`.
   */
  readonly certificateVerifier?: CertificateVerifier;
  /** The roots attestation chains are trusted up to (ATTESTATION_ROOTS, FIDO MDS3); without them none is trusted. */
  readonly trustAnchors?: TrustAnchors;
  /** Which authenticators may hold a passkey (ADR 0027); `any` when absent. */
  readonly authenticatorPolicy?: AuthenticatorPolicy;
  /** FIDO metadata (MDS3): the certification of a trusted authenticator, and what `certified` judges. */
  readonly metadata?: AuthenticatorMetadata;
}

export interface RegistrationStart {
  readonly sessionId: string;
  readonly options: PublicKeyCredentialCreationOptionsJSON;
}

export interface RegisteredCredential {
  readonly userHandle: string;
  readonly identityUserId: string;
  readonly credentialId: string;
  /** The name the passkey was given: its authenticator's, made unique among the user's passkeys. */
  readonly name: string;
  /** For the user's passkey provider: the passkeys that now sign the user in. */
  readonly signals: Signal[];
}

export type ProfileError = "username_invalid" | "display_name_invalid";
/** Why a sign-up may not start: a name breaks the rules, or another user has the username (ADR 0017). */
export type StartForNewUserError = ProfileError | "username_taken";
/** Why a signed-in user may not start adding a passkey. */
export type StartForExistingUserError = StartForNewUserError | "reauthentication_required";

/** What a signed-in user asks for when they start adding a passkey; names are checked by the ceremony. */
export interface ExistingUserRequest {
  /** The username of a user keyport has no record of yet (ADR 0017); ignored for one it has. */
  readonly username?: unknown;
  /** The display name of a user keyport has no record of yet; ignored for one it has. */
  readonly displayName?: unknown;
  /** `conditional`: an automatic passkey upgrade after a password sign-in (ADR 0025); `modal` when absent. */
  readonly mediation?: RegistrationMediation;
}

/** Usernames and display names follow RFC 8265 and RFC 8266 (names.ts, ADR 0015); what is stored is the prepared form. */
export { MAX_NAME_LENGTH } from "./names.js";

/** What the checks establish about a new credential, before anything is stored. */
interface VerifiedRegistration {
  readonly credentialId: string;
  readonly publicKey: Uint8Array;
  readonly algorithm: CoseAlgorithmIdentifier;
  readonly aaguid: string;
  readonly attestationFormat: AttestationFormatId;
  readonly attestation: StoredAttestation;
  readonly backupEligible: boolean;
  readonly backupState: boolean;
  readonly userVerified: boolean;
  readonly transports: readonly AuthenticatorTransport[];
  readonly counter: number;
}

/** Name conflicts tolerated in one registration before the store is deemed broken. */
const MAX_NAME_CONFLICTS = 100;
/** A new passkey's name when its authenticator's name makes none. */
const FALLBACK_PASSKEY_NAME = "Passkey";

/** Text with the shape of a user handle keyport issues: base64url of USER_HANDLE_BYTES random bytes. */
const HANDLE_SHAPED = new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((USER_HANDLE_BYTES * 4) / 3)}}$`);

/**
 * A username a person chooses: RFC 8265 (prepareUsername), and never one shaped like a user handle.
 * Handles are the identity provider's usernames and clients see them; with `preferred_username` as a
 * Cognito sign-in alias, a chosen name equal to someone's handle could stand in the way of their sign-in.
 */
export function chosenUsername(value: unknown): string | null {
  const prepared = prepareUsername(value);
  return prepared === null || HANDLE_SHAPED.test(prepared) ? null : prepared;
}

/**
 * Registers passkeys (WebAuthn §7.1): for a new user, who is created in the identity provider when the
 * ceremony succeeds, or for a user who has already proved who they are with an ID token.
 *
 * Security activity: a sign-up is `registration.succeeded` of the new user, a signed-in user's new
 * passkey `passkey.added`; a failure is `registration.failed` only for a signed-in user who has an
 * account (a failed sign-up has no user yet: it is the operator's count only).
 */
export class RegistrationCeremony {
  constructor(private readonly deps: RegistrationDependencies) {}

  /**
   * Sign-up: a new user, with a fresh random user handle. A username another user has (compared by
   * its canonical form, `usernameKey`) is `username_taken` here, so that the form can say so at once
   * (ADR 0017). Nothing is reserved: of two sign-ups that both start with a free username, the store
   * lets the first to finish through and the other finishes with `username_taken`.
   */
  async startForNewUser(
    profile: { username: unknown; displayName: unknown },
    _context: RequestContext = UNKNOWN_REQUEST_CONTEXT,
  ): Promise<Result<RegistrationStart, StartForNewUserError>> {
    const username = chosenUsername(profile.username);
    if (username === null) return this.signUpFailed("username_invalid");
    const displayName = prepareDisplayName(profile.displayName);
    if (displayName === null) return this.signUpFailed("display_name_invalid");
    if (await this.isTaken(username)) return this.signUpFailed("username_taken");
    const userHandle = toBase64Url(this.deps.random.bytes(USER_HANDLE_BYTES));
    // A sign-up is never conditional: a conditional create upgrades an account that signed in with a password.
    return ok(await this.start({ userHandle, username, displayName, identityUserId: null, newAccount: true, mediation: "modal" }, []));
  }

  /**
   * A signed-in user adds a passkey. A user who exists only in the identity provider (signed up with a
   * password) gets a new handle, linked to them when this ceremony succeeds, and a username that no
   * other user has (ADR 0017): the one they give, or else `username_taken`; failing that, the token's
   * `preferred_username` if it makes a username and is free, else the identity user id's fallback
   * username if free, else `username_taken` (they may then give one). A user with an account keeps
   * its username. A refusal is `registration.failed` of the user's account, if they have one.
   *
   * `mediation: "conditional"` starts an automatic passkey upgrade (ADR 0025): its options never ask for
   * `required` user verification, and its finish accepts a response without the user's presence shown.
   */
  async startForExistingUser(
    identity: VerifiedIdentity,
    request: ExistingUserRequest = {},
    context: RequestContext = UNKNOWN_REQUEST_CONTEXT,
  ): Promise<Result<RegistrationStart, StartForExistingUserError>> {
    const started = await this.startExisting(identity, request);
    if (started.ok) return started;
    // Refusals come before the account is read, or for a user who has none: one read, on this path only.
    const account = await forTheRecord(() => this.deps.credentials.findUserByIdentity(identity.identityUserId));
    return this.failed(started.error, account?.userHandle ?? null, context);
  }

  private async startExisting(identity: VerifiedIdentity, request: ExistingUserRequest): Promise<Result<RegistrationStart, StartForExistingUserError>> {
    // A sensitive action: a refreshed token hours after the sign-in is not enough (a stolen refresh token would be).
    const staleError = checkRecentSignIn(identity.authenticatedAt, this.deps.clock.now(), this.deps.relyingParty.sensitiveActionMaxAgeMs);
    if (staleError) return err(staleError);
    const givenUsername = request.username === undefined ? undefined : chosenUsername(request.username);
    if (givenUsername === null) return err("username_invalid");
    const givenDisplayName = request.displayName === undefined ? undefined : prepareDisplayName(request.displayName);
    if (givenDisplayName === null) return err("display_name_invalid");
    const account = await this.deps.credentials.findUserByIdentity(identity.identityUserId);
    const username = account?.username ?? (await this.freeUsername(identity, givenUsername));
    if (username === null) return err("username_taken");
    const displayName = account?.displayName ?? givenDisplayName ?? prepareDisplayName(identity.name) ?? username;
    const userHandle = account?.userHandle ?? toBase64Url(this.deps.random.bytes(USER_HANDLE_BYTES));
    const existing = account === null ? [] : await this.deps.credentials.listCredentials(account.userHandle);
    const mediation = request.mediation ?? "modal";
    return ok(
      await this.start({ userHandle, username, displayName, identityUserId: identity.identityUserId, newAccount: account === null, mediation }, existing),
    );
  }

  /**
   * §7.1: verifies the response to the session's challenge and stores the credential. `caller` is who
   * the request's ID token names, if it carries one: a registration a signed-in user started must be
   * finished by that user.
   *
   * A failure is `registration.failed` of the account the registration was for (when the session says
   * so), or else of the caller's account (a session that is gone); a sign-up's, the operator's count only.
   */
  async finish(
    sessionId: string,
    response: unknown,
    caller: Pick<VerifiedIdentity, "identityUserId"> | null = null,
    context: RequestContext = UNKNOWN_REQUEST_CONTEXT,
  ): Promise<Result<RegisteredCredential, RegistrationError>> {
    const consumed = await consumeSession(this.deps.sessions, this.deps.clock, sessionId, "registration");
    if (!consumed.ok) {
      const account = caller === null ? null : await forTheRecord(() => this.deps.credentials.findUserByIdentity(caller.identityUserId));
      return this.failed(consumed.error, account?.userHandle ?? null, context);
    }
    const registration = consumed.value;
    const finished = await this.finishSession(registration, response, caller, context);
    if (finished.ok) return finished;
    return this.failed(finished.error, registration.newAccount ? null : registration.userHandle, context);
  }

  /** A refusal: `registration.failed` of `userHandle`'s account, or only counted when there is none. */
  private async failed<E extends RegistrationError | StartForExistingUserError>(code: E, userHandle: string | null, context: RequestContext): Promise<Result<never, E>> {
    if (userHandle === null) this.deps.activity.count({ ceremony: "registration", outcome: "failed", code });
    else await this.deps.activity.record({ type: "registration.failed", userHandle, code }, context);
    return err(code);
  }

  /** A sign-up's refusal: there is no user yet, so it is the operator's count only. */
  private signUpFailed<E extends StartForNewUserError>(code: E): Result<never, E> {
    this.deps.activity.count({ ceremony: "registration", outcome: "failed", code });
    return err(code);
  }

  private async finishSession(
    registration: RegistrationSession,
    response: unknown,
    caller: Pick<VerifiedIdentity, "identityUserId"> | null,
    context: RequestContext,
  ): Promise<Result<RegisteredCredential, RegistrationError>> {
    const callerError = checkSameCaller(registration.identityUserId, caller);
    if (callerError) return err(callerError);

    const parsed = parseRegistrationResponse(response);
    if (!parsed.ok) return parsed;
    const verified = await this.verify(parsed.value, registration);
    if (!verified.ok) return verified;

    const taken = (await this.deps.credentials.findCredential(verified.value.credentialId)) !== null;
    const takenError = checkCredentialNotRegistered(taken);
    if (takenError) return err(takenError);
    return this.store(registration, verified.value, context);
  }

  /** Whether another user's username has the canonical form of `username` (a prepared username). */
  private async isTaken(username: string): Promise<boolean> {
    return (await this.deps.credentials.findUserByUsername(usernameKey(username))) !== null;
  }

  /**
   * The username of a user who has no account yet (they have none, so any user found has another
   * identity): the one they gave, if free; without one, the token's, if it makes a username and is
   * free, else the fallback, if free; `null` when the choice is taken. Names given are checked by the
   * caller; names from the token are the identity provider's, not checked by us: they are used,
   * prepared, only if they pass our rules.
   */
  private async freeUsername(identity: VerifiedIdentity, given: string | undefined): Promise<string | null> {
    if (given !== undefined) return (await this.isTaken(given)) ? null : given;
    const fromToken = prepareUsername(identity.preferredUsername);
    if (fromToken !== null && !(await this.isTaken(fromToken))) return fromToken;
    const fallback = fallbackUsername(identity.identityUserId);
    return (await this.isTaken(fallback)) ? null : fallback;
  }

  private async start(
    user: Pick<RegistrationSession, "userHandle" | "username" | "displayName" | "identityUserId" | "newAccount" | "mediation">,
    existing: readonly StoredCredential[],
  ): Promise<RegistrationStart> {
    const { relyingParty, clock, random } = this.deps;
    const rp = relyingParty.config;
    const session: RegistrationSession = {
      kind: "registration",
      id: toBase64Url(random.bytes(CHALLENGE_BYTES)),
      challenge: toBase64Url(random.bytes(CHALLENGE_BYTES)),
      ...user,
      userVerification: registrationUserVerification(rp.userVerification, user.mediation),
      algorithms: relyingParty.algorithms,
      expiresAt: clock.now() + rp.registrationTimeoutMs,
    };
    await this.saveNew(session);
    return {
      sessionId: session.id,
      options: {
        rp: { id: rp.id, name: rp.name },
        user: { id: session.userHandle, name: session.username, displayName: session.displayName },
        challenge: session.challenge,
        pubKeyCredParams: session.algorithms.map((alg) => ({ type: "public-key", alg })),
        timeout: rp.registrationTimeoutMs,
        excludeCredentials: existing.map((c) => ({ type: "public-key", id: c.credentialId, transports: [...c.transports] })),
        authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: session.userVerification },
        // ATTESTATION: "none" unless the relying party asks for the authenticator's statement (ADR 0027).
        attestation: rp.attestation ?? "none",
        extensions: { credProps: true },
      },
    };
  }

  private async saveNew(session: RegistrationSession): Promise<void> {
    // 32 random bytes do not collide; if the store says they did, the random source is broken.
    if ((await this.deps.sessions.save(session)) !== "saved") throw new Error("session id collision: the random source is not random");
  }

  /** The checks of §7.1, in the specification's order. */
  private async verify(response: ParsedRegistrationResponse, session: RegistrationSession): Promise<Result<VerifiedRegistration, RegistrationError>> {
    const rp = this.deps.relyingParty;
    const authData = response.attestation.authenticatorData;
    const attested = authData.attestedCredential;
    const failure =
      checkIdMatchesRawId(response.id, response.rawIdText) ??
      checkCredentialType(response.type) ??
      checkClientData(response.clientData, { type: "webauthn.create", challenge: session.challenge }, rp) ??
      checkAuthenticatorData(authData, rp, session.userVerification, userPresenceFor(session.mediation));
    if (failure) return err(failure);
    // §7.1 step 20: the algorithm is one the options offered.
    const algorithm = offeredAlgorithm(attested.publicKey.alg, session.algorithms);
    if (!algorithm.ok) return algorithm;
    const keyError =
      checkPublicKey(attested.publicKey) ??
      checkCredentialIdLength(attested.credentialId) ??
      checkAttestedCredentialIdMatches(attested.credentialId, response.rawId);
    if (keyError) return err(keyError);

    // §7.1 steps 21–24: the attestation statement, verified by its format and judged for trust (attestation/).
    const aaguid = formatAaguid(attested.aaguid);
    const attestation = await verifyAttestation(
      response.attestation.format,
      {
        statement: response.attestation.statement,
        authenticatorData: authData,
        clientDataHash: sha256(response.clientDataJSON),
        credentialKey: publicKeyOf(attested.publicKey),
      },
      aaguid,
      {
        signatures: this.deps.signatureVerifier,
        certificates: this.deps.certificateVerifier,
        trustAnchors: this.deps.trustAnchors,
        now: this.deps.clock.now(),
      },
    );
    if (!attestation.ok) return err(registrationErrorOf(attestation.error));
    const { type, trusted, keyIdentifier } = attestation.value;
    const judged = await judgeAuthenticator(this.deps, { trusted, aaguid, ...(keyIdentifier === undefined ? {} : { keyIdentifier }) });
    if (!judged.ok) return judged;

    return ok({
      credentialId: toBase64Url(attested.credentialId),
      publicKey: attested.publicKeyBytes,
      algorithm: algorithm.value,
      aaguid,
      attestationFormat: response.attestation.format,
      attestation: {
        format: response.attestation.format,
        type,
        trusted,
        aaguid,
        ...(keyIdentifier === undefined ? {} : { keyIdentifier }),
        ...(judged.value === null ? {} : { certificationLevel: judged.value }),
      },
      backupEligible: authData.backupEligible,
      backupState: authData.backupState,
      userVerified: authData.userVerified,
      transports: response.transports,
      counter: authData.counter,
    });
  }

  /**
   * Writes the credential, creating the identity user first for a sign-up. If the credential cannot be
   * stored, the identity user is deleted again, so that no user is left without a credential. The
   * credential is named after its authenticator, made unique among the user's passkeys; a name taken
   * meanwhile by a concurrent registration of the same user is replaced by the next free one. The
   * event of the new passkey is written beside the read of the user's passkeys for the signal.
   *
   * The passkey-enrolled attribute (ADR 0023) is written `"true"` before the credential is stored, so
   * that it never says `"false"` of a user with an enabled passkey; if it cannot be, nothing is stored
   * (a sign-up's identity user is deleted again). A user who existed before gets it written once more
   * after the store, beside the signal's read: a concurrent delete of another of their passkeys may have
   * written `"false"` in between. A store that refuses or fails for such a user sets it from the store again.
   */
  private async store(
    session: RegistrationSession,
    verified: VerifiedRegistration,
    context: RequestContext,
  ): Promise<Result<RegisteredCredential, RegistrationError>> {
    const { credentials, identityProvider, clock, relyingParty } = this.deps;
    // Named before anything is created, so that a catalog fault leaves nothing to undo.
    const { baseName, authenticatorName } = await this.defaultName(verified);
    // A new handle has no passkeys yet: a sign-up reads nothing more than before.
    const existing = session.newAccount ? [] : await credentials.listCredentials(session.userHandle);
    const takenNames = new Set(existing.map((c) => passkeyNameKey(c.name)));
    let identityUserId = session.identityUserId;
    const createdIdentity = identityUserId === null;
    if (identityUserId === null) {
      const created = await identityProvider.createUser({
        username: session.userHandle,
        preferredUsername: session.username,
        name: session.displayName,
      });
      if (!created.ok) return err(created.error === "identity_provider_unavailable" ? "user_creation_failed" : created.error);
      identityUserId = created.value.identityUserId;
    }
    const enrolled = await enrolBeforeEnabling(this.deps, identityUserId);
    if (!enrolled.ok) {
      if (!createdIdentity) return err(enrolled.error);
      await identityProvider.deleteUser(identityUserId);
      return err("user_creation_failed");
    }
    // What the store's refusal or fault leaves to settle: the attribute of a user who existed before.
    const settle = async (): Promise<void> => {
      if (!createdIdentity) await settleAfterRefusal(this.deps, identityUserId, "registration");
    };
    const now = clock.now();
    const account: UserAccount | undefined = session.newAccount
      ? {
          userHandle: session.userHandle,
          identityUserId,
          username: session.username,
          usernameKey: usernameKey(session.username),
          displayName: session.displayName,
          createdAt: now,
          // A sign-up's only way in is a passkey; a user the provider already had has another.
          origin: session.identityUserId === null ? "passkey_sign_up" : "identity_provider",
        }
      : undefined;
    for (let attempt = 1; ; attempt++) {
      const name = uniquePasskeyName(baseName, takenNames);
      const record: StoredCredential = {
        credentialId: verified.credentialId,
        userHandle: session.userHandle,
        identityUserId,
        publicKey: verified.publicKey,
        algorithm: verified.algorithm,
        // §7.1 step 27: the counter starts where the authenticator says it is.
        counter: verified.counter,
        transports: verified.transports,
        aaguid: verified.aaguid,
        attestationFormat: verified.attestationFormat,
        attestation: verified.attestation,
        backupEligible: verified.backupEligible,
        backupState: verified.backupState,
        userVerifiedAtRegistration: verified.userVerified,
        createdAt: now,
        lastUsedAt: null,
        name,
        enabled: true,
        registrationMediation: session.mediation,
      };
      let outcome;
      try {
        outcome = await credentials.add(record, account);
      } catch (fault) {
        if (createdIdentity) await identityProvider.deleteUser(identityUserId);
        await settle();
        throw fault;
      }
      if (outcome === "added") {
        const passkey = { credentialId: verified.credentialId, passkeyName: name, authenticatorName };
        const event: NewSecurityEvent =
          session.identityUserId === null
            ? { type: "registration.succeeded", userHandle: session.userHandle, ...passkey }
            : { type: "passkey.added", userHandle: session.userHandle, ...passkey };
        // Neither rejects, and both are done before this returns, even when the read for the signal fails.
        const asserting = createdIdentity ? Promise.resolve() : assertPasskeyEnrolled(this.deps, identityUserId, "registration");
        const accepted = await alongside(
          Promise.all([this.deps.activity.record(event, context), asserting]).then(() => undefined),
          session.newAccount ? Promise.resolve([record]) : credentials.listCredentials(session.userHandle),
        );
        const signals = [allAcceptedCredentials(relyingParty.config.id, session.userHandle, accepted)];
        return ok({ userHandle: session.userHandle, identityUserId, credentialId: verified.credentialId, name, signals });
      }
      // Each refusal adds a name to the set, so the next choice differs; the bound guards against a broken store.
      if (outcome === "name_taken" && attempt < MAX_NAME_CONFLICTS) {
        takenNames.add(passkeyNameKey(name));
        continue;
      }
      // Another sign-up took the username between this one's start and now (or the credential or user).
      if (createdIdentity) await identityProvider.deleteUser(identityUserId);
      // An account deleted meanwhile took its identity user with it: nothing is left to settle.
      if (outcome !== "user_not_found") await settle();
      if (outcome === "name_taken") throw new Error(`credential store refused ${MAX_NAME_CONFLICTS} passkey names in a row`);
      return err(addRefusal(outcome));
    }
  }

  /**
   * The authenticator's name from the catalog (what the authenticator claims to be: fine for a label),
   * and the passkey name made of it: shortened to fit, or "Passkey" if it makes no passkey name.
   */
  private async defaultName(verified: VerifiedRegistration): Promise<{ readonly baseName: string; readonly authenticatorName: string }> {
    const described = await this.deps.authenticators.describe(verified.aaguid, { transports: verified.transports, backupEligible: verified.backupEligible });
    const baseName = preparePasskeyName(clipPasskeyName(described.name.normalize("NFC").trim())) ?? FALLBACK_PASSKEY_NAME;
    return { baseName, authenticatorName: described.name };
  }
}

/** Why the store refused a verified credential, as the ceremony reports it. */
function addRefusal(outcome: "credential_exists" | "user_exists" | "username_taken" | "user_not_found"): RegistrationError {
  switch (outcome) {
    case "credential_exists":
      return "credential_already_registered";
    case "username_taken":
      return "username_taken";
    case "user_exists":
      return "user_already_exists";
    case "user_not_found":
      // The account was deleted between this registration's start and its finish.
      return "account_not_found";
  }
}

/** AAGUIDs are shown and compared in their UUID form (8-4-4-4-12 hex). */
export function formatAaguid(aaguid: Uint8Array): string {
  const hex = Array.from(aaguid, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
