import type { AuthenticatorCatalog } from "../../ports/authenticator-catalog.js";
import type { Clock } from "../../ports/clock.js";
import type { CredentialChange, CredentialStore, LockoutRule, ProfileChange, UpdateCredentialOutcome } from "../../ports/credential-store.js";
import type { IdentityProvider, SignOutError, UpdateUserError, VerifiedIdentity } from "../../ports/identity-provider.js";
import type { ListEventsError, SecurityEventPage } from "../../ports/security-event-log.js";
import { checkRecentSignIn } from "../ceremonies/checks/identity-checks.js";
import { MAX_CREDENTIAL_ID_BYTES } from "../ceremonies/checks/registration-checks.js";
import { prepareDisplayName, preparePasskeyName, usernameKey } from "../ceremonies/names.js";
import { chosenUsername } from "../ceremonies/registration-ceremony.js";
import type { RelyingParty } from "../ceremonies/relying-party.js";
import { fromBase64Url, toBase64Url } from "../encoding/bytes.js";
import type { AuthenticatorTransport } from "../encoding/webauthn-json.js";
import type { AttestationType, EpochMillis, RegistrationMediation, StoredAttestation, StoredCredential, UserAccount } from "../model.js";
import type { CertificationLevel } from "../ceremonies/attestation/authenticator-policy.js";
import { err, ok, type Result } from "../result.js";
import { allAcceptedCredentials, currentUserDetails, type Signal } from "./signals.js";
import { alongside, forTheRecord, type SecurityActivity } from "../activity/security-activity.js";
import { enrolBeforeEnabling, settleAfterRefusal, settlePasskeyEnrolled } from "./passkey-enrolment.js";
import { UNKNOWN_REQUEST_CONTEXT, type CeremonyOutcome, type RequestContext } from "../activity/security-events.js";

export interface PasskeyManagementDependencies {
  readonly relyingParty: RelyingParty;
  readonly credentials: CredentialStore;
  readonly identityProvider: IdentityProvider;
  readonly authenticators: AuthenticatorCatalog;
  readonly clock: Clock;
  /** Where every change is recorded and counted. */
  readonly activity: SecurityActivity;
}

/** One passkey as its owner sees it on the account page. */
export interface PasskeyView {
  readonly credentialId: string;
  readonly name: string;
  /**
   * What the AAGUID claims. `verified`: the AAGUID is vouched for by an attestation statement whose chain
   * reached a trust anchor (ADR 0027); otherwise it is a hint. The name and icon are always the community
   * catalog's, a label for the AAGUID, never a vouched fact of their own.
   */
  readonly authenticator: {
    readonly aaguid: string;
    readonly verified: boolean;
    readonly name: string;
    readonly icon: { readonly light: string; readonly dark: string } | null;
  };
  /**
   * The attestation statement registration verified (ADR 0027): its format, type, whether it is trusted,
   * and the level FIDO certified the authenticator's model at, when the metadata knew it then.
   */
  readonly attestation: {
    readonly format: string;
    readonly type: AttestationType;
    readonly trusted: boolean;
    readonly certificationLevel?: CertificationLevel;
  };
  readonly createdAt: EpochMillis;
  readonly lastUsedAt: EpochMillis | null;
  readonly enabled: boolean;
  /** Synced (may be backed up), as opposed to bound to one device. */
  readonly backupEligible: boolean;
  readonly backedUp: boolean;
  readonly transports: AuthenticatorTransport[];
  readonly userVerifiedAtRegistration: boolean;
  /** `conditional` when an automatic passkey upgrade made it, without a prompt (ADR 0025). */
  readonly registrationMediation: RegistrationMediation;
}

/** The signed-in user's account. */
export interface AccountView {
  /** The WebAuthn user handle. */
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly createdAt: EpochMillis;
  /** Every passkey, disabled ones included. */
  readonly credentialCount: number;
}

export type UpdatePasskeyError =
  | "passkey_not_found"
  | "passkey_name_invalid"
  | "passkey_change_empty"
  | "passkey_enabled_invalid"
  | "name_taken"
  | "last_credential"
  /** An enable whose passkey-enrolled attribute could not be written first (ADR 0023): nothing changed. */
  | "identity_provider_unavailable";
export type DeletePasskeyError = "reauthentication_required" | "passkey_not_found" | "last_credential";
export type UpdateAccountError = "account_not_found" | "account_change_empty" | "username_invalid" | "display_name_invalid" | "username_taken" | UpdateUserError;

/** Refresh tokens are opaque; Cognito's are a few kilobytes at most. */
const MAX_REFRESH_TOKEN_LENGTH = 8 * 1024;
/** Base64url text of the longest credential ID (§6.1: 1023 bytes). */
const MAX_CREDENTIAL_ID_LENGTH = Math.ceil((MAX_CREDENTIAL_ID_BYTES * 4) / 3);

/**
 * What a user does with their passkeys and account once signed in: list, rename, disable and enable,
 * delete a passkey; read, change and delete the account; sign out. Who the user is comes from a verified
 * ID token (`VerifiedIdentity`); every credential is looked up as *theirs*, so another user's is as
 * unknown as one that does not exist (`passkey_not_found`).
 *
 * Deleting a passkey or the account needs a recent sign-in (`reauthentication_required`): a stolen token
 * hours old must not be able to lock the user out. Renaming, disabling and enabling need only a valid
 * token; the lock-out rule (`LockoutRule`) keeps an account whose only way in is a passkey from losing
 * its last enabled one, under concurrency, in the store.
 *
 * Every change of which passkeys are enabled (add, delete, disable, enable) keeps the identity provider's
 * passkey-enrolled attribute in step (passkey-enrolment.ts, ADR 0023): an enable writes `"true"` before
 * it is made, and a delete or a change of state writes what the store then says.
 *
 * Security activity: every change is an event of the user's account (`passkey.renamed`, `.disabled`,
 * `.enabled`, `.deleted`, `account.updated`, `account.deleted`, `signed_out`, `signed_out_everywhere`),
 * written beside the read that answers the request; a refusal is the operator's count only. The
 * methods that only read take `context` as every method the HTTP API calls does, and record nothing.
 */
export class PasskeyManagement {
  constructor(private readonly deps: PasskeyManagementDependencies) {}

  /** The user's passkeys, oldest first; `[]` for a user without an account here. */
  async listPasskeys(identity: VerifiedIdentity, _context: RequestContext = UNKNOWN_REQUEST_CONTEXT): Promise<PasskeyView[]> {
    const account = await this.deps.credentials.findUserByIdentity(identity.identityUserId);
    if (account === null) return [];
    const credentials = await this.deps.credentials.listCredentials(account.userHandle);
    return Promise.all(credentials.map((credential) => this.view(credential)));
  }

  /**
   * Renames and/or disables or enables one of the user's passkeys. The change is checked before any
   * store is read; the store then decides, atomically, whether the name is free and whether the account
   * keeps an enabled passkey.
   *
   * What changed is told by the record as read beside the account (no extra round trip) and as the
   * store returned it: a new name is `passkey.renamed` (with the previous one), a new state
   * `passkey.disabled` or `passkey.enabled`; one request may make both. Setting what already was is no event.
   *
   * A change that names `enabled` settles the passkey-enrolled attribute from the store's list (the one
   * the signal is made of); an enable first writes `"true"`, and is `identity_provider_unavailable`,
   * with nothing changed, if it cannot (ADR 0023).
   */
  async updatePasskey(
    identity: VerifiedIdentity,
    credentialId: unknown,
    change: { readonly name?: unknown; readonly enabled?: unknown },
    context: RequestContext = UNKNOWN_REQUEST_CONTEXT,
  ): Promise<Result<{ passkey: PasskeyView; signals: Signal[] }, UpdatePasskeyError>> {
    const prepared = prepareCredentialChange(change);
    if (!prepared.ok) return this.refused("passkey_management", prepared.error);
    const owner = await this.ownerOf(identity, credentialId);
    if (owner === null) return this.refused("passkey_management", "passkey_not_found");
    const { account } = owner;
    const enabling = prepared.value.enabled === true;
    if (enabling) {
      const enrolled = await enrolBeforeEnabling(this.deps, account.identityUserId);
      if (!enrolled.ok) return this.refused("passkey_management", enrolled.error);
    }
    const outcome = await this.changeCredential(account, owner.credentialId, prepared.value, enabling);
    if (outcome === "not_found") return this.refused("passkey_management", "passkey_not_found");
    if (outcome === "name_taken" || outcome === "last_credential") return this.refused("passkey_management", outcome);
    const before = owner.credential ?? outcome;
    const recording = this.recordCredentialChange(account.userHandle, before, outcome, context);
    const accepted = this.acceptedAfterChange(account, prepared.value.enabled !== undefined);
    const [passkey, signal] = await alongside(recording, Promise.all([this.view(outcome), accepted]));
    return ok({ passkey, signals: [signal] });
  }

  /**
   * Deletes one of the user's passkeys, after a recent sign-in: `passkey.deleted`, naming it as it was.
   * The passkey-enrolled attribute is then settled from the store's list (ADR 0023).
   */
  async deletePasskey(
    identity: VerifiedIdentity,
    credentialId: unknown,
    context: RequestContext = UNKNOWN_REQUEST_CONTEXT,
  ): Promise<Result<{ signals: Signal[] }, DeletePasskeyError>> {
    const staleError = this.checkRecentSignIn(identity);
    if (staleError) return this.refused("passkey_management", staleError);
    const owner = await this.ownerOf(identity, credentialId);
    if (owner === null) return this.refused("passkey_management", "passkey_not_found");
    const { account } = owner;
    const outcome = await this.deps.credentials.deleteCredential(account.userHandle, owner.credentialId, lockoutRule(account));
    if (outcome === "not_found") return this.refused("passkey_management", "passkey_not_found");
    if (outcome === "last_credential") return this.refused("passkey_management", outcome);
    const deleted = owner.credential;
    const recording =
      deleted === null
        ? this.counted({ ceremony: "passkey_management", outcome: "succeeded" })
        : this.deps.activity.recordAbout(deleted, (passkey) => ({ type: "passkey.deleted", userHandle: account.userHandle, ...passkey }), context);
    return ok({ signals: [await alongside(recording, this.acceptedAfterChange(account, true))] });
  }

  /**
   * The security activity of the account `identity` names, newest first, `page.limit` (1–100) at a time:
   * only that account's events, ever (the trail is found by the account's handle, never by anything the
   * caller sends). A caller without an account here has no trail: the first page is empty, and any
   * cursor is `cursor_invalid`, as one from another user's trail is.
   */
  async listEvents(
    identity: VerifiedIdentity,
    page: { readonly limit: number; readonly cursor: string | null },
    _context: RequestContext = UNKNOWN_REQUEST_CONTEXT,
  ): Promise<Result<SecurityEventPage, ListEventsError>> {
    const account = await this.deps.credentials.findUserByIdentity(identity.identityUserId);
    if (account === null) return page.cursor === null ? ok({ events: [], nextCursor: null }) : err("cursor_invalid");
    return this.deps.activity.trailOf(account.userHandle, page);
  }

  async account(identity: VerifiedIdentity, _context: RequestContext = UNKNOWN_REQUEST_CONTEXT): Promise<Result<AccountView, "account_not_found">> {
    const account = await this.deps.credentials.findUserByIdentity(identity.identityUserId);
    if (account === null) return err("account_not_found");
    return ok(await this.accountView(account));
  }

  /**
   * Changes the username and/or display name, with the rules of sign-up. keyport's store goes first: it
   * is the authority on who has a username. The identity provider follows (`preferred_username`, `name`);
   * if it refuses or fails, the store's change is put back and the provider's error answered, so that the
   * two never disagree for long. (If the put-back itself fails, the user's retry of the same change brings
   * them together again: the store's part of it is then no change.)
   *
   * `account.updated` names the fields whose value changed (a change to what already was is no event).
   */
  async updateAccount(
    identity: VerifiedIdentity,
    change: { readonly username?: unknown; readonly displayName?: unknown },
    context: RequestContext = UNKNOWN_REQUEST_CONTEXT,
  ): Promise<Result<{ account: AccountView; signals: Signal[] }, UpdateAccountError>> {
    const updated = await this.changeAccount(identity, change, context);
    if (!updated.ok) return this.refused("account_management", updated.error);
    return updated;
  }

  private async changeAccount(
    identity: VerifiedIdentity,
    change: { readonly username?: unknown; readonly displayName?: unknown },
    context: RequestContext,
  ): Promise<Result<{ account: AccountView; signals: Signal[] }, UpdateAccountError>> {
    if (change.username === undefined && change.displayName === undefined) return err("account_change_empty");
    const username = change.username === undefined ? undefined : chosenUsername(change.username);
    if (username === null) return err("username_invalid");
    const displayName = change.displayName === undefined ? undefined : prepareDisplayName(change.displayName);
    if (displayName === null) return err("display_name_invalid");

    const { credentials, identityProvider, relyingParty } = this.deps;
    const before = await credentials.findUserByIdentity(identity.identityUserId);
    if (before === null) return err("account_not_found");
    const profile: ProfileChange = {
      ...(username === undefined ? {} : { username: { username, usernameKey: usernameKey(username) } }),
      ...(displayName === undefined ? {} : { displayName }),
    };
    const after = await credentials.updateUser(before.userHandle, profile);
    if (after === "not_found") return err("account_not_found");
    if (after === "username_taken") return err(after);

    const pushed = await identityProvider.updateUser(before.identityUserId, { preferredUsername: after.username, name: after.displayName });
    if (!pushed.ok) {
      // The old username was the user's a moment ago; should another user have taken it in between, the
      // store keeps the new one, and a retry settles it.
      await credentials.updateUser(before.userHandle, {
        username: { username: before.username, usernameKey: before.usernameKey },
        displayName: before.displayName,
      });
      return err(pushed.error);
    }
    const changed = [...(after.username !== before.username ? ["username" as const] : []), ...(after.displayName !== before.displayName ? ["displayName" as const] : [])];
    const recording =
      changed.length === 0
        ? this.counted({ ceremony: "account_management", outcome: "succeeded" })
        : this.deps.activity.record({ type: "account.updated", userHandle: after.userHandle, changed }, context);
    return ok({ account: await alongside(recording, this.accountView(after)), signals: [currentUserDetails(relyingParty.config.id, after)] });
  }

  /**
   * Deletes the account after a recent sign-in: keyport's records first, so that its passkeys stop
   * signing in at once, then the identity provider's user. A fault half-way throws; the call may be
   * repeated and finishes the job (the store's deletion resumes; with the records gone, the identity user
   * named by the token is still deleted). The signal tells the passkey provider that none of the user's
   * passkeys is accepted any more (on a retry that finds no records, the handle is no longer known:
   * no signal).
   *
   * `account.deleted` is written once keyport's records are gone, beside the identity provider's
   * deletion; the trail outlives the account until its retention ends (an audit trail). A retry that
   * finds no records writes no second event.
   */
  async deleteAccount(
    identity: VerifiedIdentity,
    context: RequestContext = UNKNOWN_REQUEST_CONTEXT,
  ): Promise<Result<{ signals: Signal[] }, "reauthentication_required">> {
    const staleError = this.checkRecentSignIn(identity);
    if (staleError) return this.refused("account_management", staleError);
    const { credentials, identityProvider, relyingParty } = this.deps;
    const account = await credentials.findUserByIdentity(identity.identityUserId);
    if (account !== null) await credentials.deleteUser(account.userHandle);
    const recording =
      account === null
        ? this.counted({ ceremony: "account_management", outcome: "succeeded" })
        : this.deps.activity.record({ type: "account.deleted", userHandle: account.userHandle }, context);
    await alongside(recording, identityProvider.deleteUser(identity.identityUserId));
    return ok({ signals: account === null ? [] : [allAcceptedCredentials(relyingParty.config.id, account.userHandle, [])] });
  }

  /**
   * Revokes one refresh token (this device's session). Revoking one already revoked or unknown is no
   * error. `identity`, when the request names its user (an ID token beside the refresh token), makes it
   * `signed_out` of their account; without one, nobody is named and it is counted only.
   */
  async signOut(
    refreshToken: unknown,
    identity: VerifiedIdentity | null = null,
    context: RequestContext = UNKNOWN_REQUEST_CONTEXT,
  ): Promise<Result<void, "refresh_token_invalid" | SignOutError>> {
    if (typeof refreshToken !== "string" || refreshToken.length === 0 || refreshToken.length > MAX_REFRESH_TOKEN_LENGTH) {
      return this.refused("sign_out", "refresh_token_invalid");
    }
    return this.signOutWith(identity, context, (provider) => provider.revokeRefreshToken(refreshToken), "signed_out");
  }

  /**
   * Revokes every refresh token of the user, on every device (`signed_out_everywhere`). ID tokens
   * already issued live out their hour.
   */
  signOutEverywhere(identity: VerifiedIdentity, context: RequestContext = UNKNOWN_REQUEST_CONTEXT): Promise<Result<void, SignOutError>> {
    return this.signOutWith(identity, context, (provider) => provider.signOutEverywhere(identity.identityUserId), "signed_out_everywhere");
  }

  /** A sign-out by the provider, with the account of `identity` read beside it, and its event once it is done. */
  private async signOutWith(
    identity: VerifiedIdentity | null,
    context: RequestContext,
    revoke: (provider: IdentityProvider) => Promise<Result<void, SignOutError>>,
    type: "signed_out" | "signed_out_everywhere",
  ): Promise<Result<void, SignOutError>> {
    const [revoked, account] = await Promise.all([
      revoke(this.deps.identityProvider),
      identity === null ? Promise.resolve(null) : forTheRecord(() => this.deps.credentials.findUserByIdentity(identity.identityUserId)),
    ]);
    if (!revoked.ok) return this.refused("sign_out", revoked.error);
    if (account === null) this.deps.activity.count({ ceremony: "sign_out", outcome: "succeeded" });
    else await this.deps.activity.record({ type, userHandle: account.userHandle }, context);
    return revoked;
  }

  /** A refusal, counted for the operator: changes that did not happen are nobody's event. */
  private refused<E extends string>(ceremony: CeremonyOutcome["ceremony"], code: E): Result<never, E> {
    this.deps.activity.count({ ceremony, outcome: "failed", code });
    return err(code);
  }

  /** An outcome with no event (nobody to name, or nothing that changed), counted; as a promise, to stand where a recording would. */
  private counted(outcome: CeremonyOutcome): Promise<void> {
    this.deps.activity.count(outcome);
    return Promise.resolve();
  }

  /** The events of one update: a rename, and a change of state, each when it happened. */
  private async recordCredentialChange(userHandle: string, before: StoredCredential, after: StoredCredential, context: RequestContext): Promise<void> {
    const { activity } = this.deps;
    const recordings: Promise<void>[] = [];
    if (after.name !== before.name) {
      recordings.push(activity.recordAbout(after, (passkey) => ({ type: "passkey.renamed", userHandle, previousName: before.name, ...passkey }), context));
    }
    if (after.enabled !== before.enabled) {
      const type = after.enabled ? "passkey.enabled" : "passkey.disabled";
      recordings.push(activity.recordAbout(after, (passkey) => ({ type, userHandle, ...passkey }), context));
    }
    if (recordings.length === 0) activity.count({ ceremony: "passkey_management", outcome: "succeeded" });
    await Promise.all(recordings);
  }

  private checkRecentSignIn(identity: VerifiedIdentity) {
    return checkRecentSignIn(identity.authenticatedAt, this.deps.clock.now(), this.deps.relyingParty.sensitiveActionMaxAgeMs);
  }

  /**
   * The account of the user and the credential ID, when the ID could be one of theirs. Malformed IDs never
   * reach the store; whether the credential is theirs the store decides, with the change. The record is
   * read beside the account, for the event of the change: `credential` is it as it was, when it is theirs.
   */
  private async ownerOf(
    identity: VerifiedIdentity,
    credentialId: unknown,
  ): Promise<{ account: UserAccount; credentialId: string; credential: StoredCredential | null } | null> {
    if (!isCredentialId(credentialId)) return null;
    const { credentials } = this.deps;
    const [account, credential] = await Promise.all([
      credentials.findUserByIdentity(identity.identityUserId),
      forTheRecord(() => credentials.findCredential(credentialId)),
    ]);
    if (account === null) return null;
    return { account, credentialId, credential: credential?.userHandle === account.userHandle ? credential : null };
  }

  /**
   * The store's change of a credential. An enable wrote `"true"` before it; if the store then refuses or
   * fails, the attribute is settled from the store again, so that it does not stay `"true"` for a user
   * left with no enabled passkey.
   */
  private async changeCredential(account: UserAccount, credentialId: string, change: CredentialChange, enabling: boolean): Promise<UpdateCredentialOutcome> {
    let outcome: UpdateCredentialOutcome;
    try {
      outcome = await this.deps.credentials.updateCredential(account.userHandle, credentialId, change, lockoutRule(account));
    } catch (fault) {
      if (enabling) await settleAfterRefusal(this.deps, account.identityUserId, "passkey_management");
      throw fault;
    }
    if (enabling && typeof outcome === "string") await settleAfterRefusal(this.deps, account.identityUserId, "passkey_management");
    return outcome;
  }

  /**
   * The signal of the user's passkeys after a change, and, when the change may have changed which are
   * enabled, the passkey-enrolled attribute settled from the same read (it never fails the change).
   */
  private async acceptedAfterChange(account: UserAccount, enabledMayHaveChanged: boolean): Promise<Signal> {
    const credentials = await this.deps.credentials.listCredentials(account.userHandle);
    if (enabledMayHaveChanged) await settlePasskeyEnrolled(this.deps, account, credentials, "passkey_management");
    return allAcceptedCredentials(this.deps.relyingParty.config.id, account.userHandle, credentials);
  }

  private async accountView(account: UserAccount): Promise<AccountView> {
    const credentials = await this.deps.credentials.listCredentials(account.userHandle);
    return {
      userId: account.userHandle,
      username: account.username,
      displayName: account.displayName,
      createdAt: account.createdAt,
      credentialCount: credentials.length,
    };
  }

  private async view(credential: StoredCredential): Promise<PasskeyView> {
    const described = await this.deps.authenticators.describe(credential.aaguid, {
      transports: credential.transports,
      backupEligible: credential.backupEligible,
    });
    return {
      credentialId: credential.credentialId,
      name: credential.name,
      authenticator: { aaguid: credential.aaguid, verified: credential.attestation.trusted, name: described.name, icon: described.icon },
      attestation: attestationView(credential.attestation),
      createdAt: credential.createdAt,
      lastUsedAt: credential.lastUsedAt,
      enabled: credential.enabled,
      backupEligible: credential.backupEligible,
      backedUp: credential.backupState,
      transports: [...credential.transports],
      userVerifiedAtRegistration: credential.userVerifiedAtRegistration,
      registrationMediation: credential.registrationMediation,
    };
  }
}

/**
 * The lock-out rule of an account: one created by a passkey sign-up has no other way in, so it keeps an
 * enabled passkey; a user the identity provider already had (a password) may remove them all.
 */
export function lockoutRule(account: Pick<UserAccount, "origin">): LockoutRule {
  return { keepOneEnabled: account.origin === "passkey_sign_up" };
}

/** A change of at least one field, each valid: a prepared name, a boolean. */
function prepareCredentialChange(change: {
  readonly name?: unknown;
  readonly enabled?: unknown;
}): Result<CredentialChange, "passkey_change_empty" | "passkey_name_invalid" | "passkey_enabled_invalid"> {
  if (change.name === undefined && change.enabled === undefined) return err("passkey_change_empty");
  const name = change.name === undefined ? undefined : preparePasskeyName(change.name);
  if (name === null) return err("passkey_name_invalid");
  if (change.enabled !== undefined && typeof change.enabled !== "boolean") return err("passkey_enabled_invalid");
  return ok({ ...(name === undefined ? {} : { name }), ...(change.enabled === undefined ? {} : { enabled: change.enabled }) });
}

/** Canonical base64url of 1 to 1023 bytes, as keyport stores credential IDs; anything else names no credential. */
function isCredentialId(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_CREDENTIAL_ID_LENGTH) return false;
  const bytes = fromBase64Url(value);
  return bytes !== null && bytes.length > 0 && toBase64Url(bytes) === value;
}

function attestationView(attestation: StoredAttestation): PasskeyView["attestation"] {
  const { format, type, trusted, certificationLevel } = attestation;
  return certificationLevel === undefined ? { format, type, trusted } : { format, type, trusted, certificationLevel };
}
