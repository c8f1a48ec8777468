/**
 * Keeps the identity provider's PASSKEY_ENROLLED_ATTRIBUTE equal to "the user has at least one enabled
 * passkey" (ADR 0023), which DefineAuthChallenge reads, with no storage of its own, to decide whether a
 * password sign-in must also answer a passkey. The credential store is the truth; the attribute is a
 * copy of one fact of it, written after the fact changes and never allowed to lag in the unsafe
 * direction (fail closed):
 *
 * - before a change that may give the user an enabled passkey (a registration, an enable), `"true"` is
 *   written first; if that write fails, the change is not made;
 * - after any change of the enabled set, the store is read and the answer written; a `"false"` is
 *   checked by reading the store once more, and put back to `"true"` should a passkey have appeared in
 *   between (a registration that wrote its `"true"` before this one's `"false"`).
 *
 * A write after the store changed that fails leaves the change standing (the user's passkey is added,
 * deleted or disabled, as they asked) and is counted for the operator as PASSKEY_ENROLLED_UNWRITTEN. The
 * value then left is the one written before, `"true"` on every path but one narrow race (ADR 0023).
 */
import type { CredentialStore } from "../../ports/credential-store.js";
import type { IdentityProvider } from "../../ports/identity-provider.js";
import type { SecurityActivity } from "../activity/security-activity.js";
import type { CeremonyOutcome } from "../activity/security-events.js";
import type { StoredCredential, UserAccount } from "../model.js";
import { err, ok, type Result } from "../result.js";

/** The code an unwritten attribute is counted with (a failed outcome of the change's ceremony, beside its success). */
export const PASSKEY_ENROLLED_UNWRITTEN = "passkey_enrolled_unwritten";

export interface PasskeyEnrolmentDependencies {
  readonly credentials: Pick<CredentialStore, "listCredentials" | "findUserByIdentity">;
  readonly identityProvider: Pick<IdentityProvider, "setPasskeyEnrolled">;
  readonly activity: Pick<SecurityActivity, "count">;
}

/** Whether any of the credentials signs in: the fact the attribute copies. */
export function hasEnabledPasskey(credentials: readonly Pick<StoredCredential, "enabled">[]): boolean {
  return credentials.some((credential) => credential.enabled);
}

/**
 * Writes `"true"` before a change that may enable a passkey of the user, so that the attribute is
 * never `"false"` while one is enabled. Any failure is `identity_provider_unavailable`: the caller makes
 * no change then (try again later).
 */
export async function enrolBeforeEnabling(
  deps: Pick<PasskeyEnrolmentDependencies, "identityProvider">,
  identityUserId: string,
): Promise<Result<void, "identity_provider_unavailable">> {
  const written = await deps.identityProvider.setPasskeyEnrolled(identityUserId, true);
  return written.ok ? ok(undefined) : err("identity_provider_unavailable");
}

/**
 * After a change of the user's enabled passkeys: writes what `after` (the user's credentials as read
 * after the change) says, and when that is `"false"`, reads the store again and writes `"true"` should
 * an enabled passkey be there now. Never rejects and never fails the change: a failed write is counted
 * under `ceremony`; a read that fails leaves `"true"` written (the safe direction).
 */
export async function settlePasskeyEnrolled(
  deps: PasskeyEnrolmentDependencies,
  account: Pick<UserAccount, "userHandle" | "identityUserId">,
  after: readonly Pick<StoredCredential, "enabled">[],
  ceremony: CeremonyOutcome["ceremony"],
): Promise<void> {
  await settle(deps, account.identityUserId, hasEnabledPasskey(after), () => enabledByHandle(deps, account.userHandle), ceremony);
}

/**
 * After a registration stored its passkey: `"true"` again, in case a concurrent delete or disable of
 * another passkey wrote `"false"` between this registration's first write and its store. Never rejects.
 */
export async function assertPasskeyEnrolled(
  deps: Pick<PasskeyEnrolmentDependencies, "identityProvider" | "activity">,
  identityUserId: string,
  ceremony: CeremonyOutcome["ceremony"],
): Promise<void> {
  await writeOrCount(deps, identityUserId, true, ceremony);
}

/**
 * After a change that wrote `"true"` first and then was not made (the store refused it, or failed): the
 * attribute is set from the store again, so that a refused first passkey does not leave a password user
 * with `"true"` and no passkey to answer. The user is found by their identity, not by the handle the
 * change meant to use: a concurrent first registration may have linked them to another. Never rejects;
 * a store that cannot be read leaves `"true"`.
 */
export async function settleAfterRefusal(deps: PasskeyEnrolmentDependencies, identityUserId: string, ceremony: CeremonyOutcome["ceremony"]): Promise<void> {
  const enabled = await enabledByIdentity(deps, identityUserId);
  if (enabled !== null) await settle(deps, identityUserId, enabled, () => enabledByIdentity(deps, identityUserId), ceremony);
}

/**
 * Writes `enabled`; a `"false"` is followed by `readAgain`, and by `"true"` unless the store still shows
 * no enabled passkey. Of a registration racing this, either its passkey is in that second read, or its
 * store came after it, and so did its own second `"true"`, which then lands after this `"false"`.
 */
async function settle(
  deps: PasskeyEnrolmentDependencies,
  identityUserId: string,
  enabled: boolean,
  readAgain: () => Promise<boolean | null>,
  ceremony: CeremonyOutcome["ceremony"],
): Promise<void> {
  if (enabled) {
    await writeOrCount(deps, identityUserId, true, ceremony);
    return;
  }
  if (!(await writeOrCount(deps, identityUserId, false, ceremony))) return;
  // Unknown counts as enabled: the safe direction.
  if ((await readAgain()) !== false) await writeOrCount(deps, identityUserId, true, ceremony);
}

/** Whether the user with this handle has an enabled passkey; `null` when the store cannot say. */
async function enabledByHandle(deps: PasskeyEnrolmentDependencies, userHandle: string): Promise<boolean | null> {
  try {
    return hasEnabledPasskey(await deps.credentials.listCredentials(userHandle));
  } catch {
    return null;
  }
}

/** Whether the user linked to this identity has an enabled passkey (none without an account); `null` when the store cannot say. */
async function enabledByIdentity(deps: PasskeyEnrolmentDependencies, identityUserId: string): Promise<boolean | null> {
  try {
    const account = await deps.credentials.findUserByIdentity(identityUserId);
    return account !== null && hasEnabledPasskey(await deps.credentials.listCredentials(account.userHandle));
  } catch {
    return null;
  }
}

/** One write; a failure (a refusal or a fault) is counted, and `false` returned. */
async function writeOrCount(
  deps: Pick<PasskeyEnrolmentDependencies, "identityProvider" | "activity">,
  identityUserId: string,
  enrolled: boolean,
  ceremony: CeremonyOutcome["ceremony"],
): Promise<boolean> {
  let written: boolean;
  try {
    written = (await deps.identityProvider.setPasskeyEnrolled(identityUserId, enrolled)).ok;
  } catch {
    // The port answers failures as values; a fault is one all the same, and the change still stands.
    written = false;
  }
  if (!written) deps.activity.count({ ceremony, outcome: "failed", code: PASSKEY_ENROLLED_UNWRITTEN });
  return written;
}
