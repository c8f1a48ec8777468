/**
 * The passkey-enrolled attribute's rules on their own (ADR 0023), over an in-memory store, the fake
 * identity provider and recording metrics: which value each step writes, and which way it fails.
 */
import { describe, expect, it, vi } from "vitest";
import { InMemoryCredentialStore } from "../../../src/adapters/in-memory/in-memory-credential-store.js";
import {
  enrolBeforeEnabling,
  hasEnabledPasskey,
  PASSKEY_ENROLLED_UNWRITTEN,
  settleAfterRefusal,
  settlePasskeyEnrolled,
} from "../../../src/domain/management/passkey-enrolment.js";
import type { CeremonyOutcome } from "../../../src/domain/activity/security-events.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import { FakeIdentityProvider } from "../../support/fake-identity-provider.js";
import { aStoredCredentialFor, aUserAccount } from "../../support/kit.js";

function fixture() {
  const credentials = new InMemoryCredentialStore();
  const identityProvider = new FakeIdentityProvider();
  const counted: CeremonyOutcome[] = [];
  const activity = { count: (outcome: CeremonyOutcome) => void counted.push(outcome) };
  return { deps: { credentials, identityProvider, activity }, credentials, identityProvider, counted };
}

describe("hasEnabledPasskey", () => {
  it("is true when any credential is enabled, false for none or only disabled ones", () => {
    expect(hasEnabledPasskey([])).toBe(false);
    expect(hasEnabledPasskey([{ enabled: false }, { enabled: false }])).toBe(false);
    expect(hasEnabledPasskey([{ enabled: false }, { enabled: true }])).toBe(true);
  });
});

describe("enrolBeforeEnabling", () => {
  it("writes true", async () => {
    const { deps, identityProvider } = fixture();
    expect(await enrolBeforeEnabling(deps, "u-1")).toEqual({ ok: true, value: undefined });
    expect(identityProvider.passkeyEnrolled.get("u-1")).toBe(true);
  });

  it.each(["identity_provider_unavailable", "too_many_requests", "username_taken"] as const)("answers %s as identity_provider_unavailable", async (code) => {
    const { deps, identityProvider } = fixture();
    identityProvider.failSetEnrolledWith = code;
    expect(await enrolBeforeEnabling(deps, "u-1")).toEqual({ ok: false, error: "identity_provider_unavailable" });
  });
});

describe("settlePasskeyEnrolled", () => {
  it("writes true once for a list with an enabled passkey, without reading again", async () => {
    const { deps, credentials, identityProvider } = fixture();
    const list = vi.spyOn(credentials, "listCredentials");
    await settlePasskeyEnrolled(deps, aUserAccount({ identityUserId: "u-1" }), [{ enabled: true }], "passkey_management");
    expect(identityProvider.passkeyEnrolled.get("u-1")).toBe(true);
    expect(list).not.toHaveBeenCalled();
  });

  it("writes false for a list without one, and leaves it when the store still has none", async () => {
    const { deps, identityProvider } = fixture();
    await settlePasskeyEnrolled(deps, aUserAccount({ identityUserId: "u-1" }), [{ enabled: false }], "passkey_management");
    expect(identityProvider.passkeyEnrolled.get("u-1")).toBe(false);
  });

  it("writes true after the false when the store has an enabled passkey by then", async () => {
    const { deps, credentials, identityProvider } = fixture();
    const account = aUserAccount({ identityUserId: "u-1" });
    await credentials.add(aStoredCredentialFor(account), account);
    const writes = vi.spyOn(identityProvider, "setPasskeyEnrolled");
    await settlePasskeyEnrolled(deps, account, [], "registration");
    expect(writes.mock.calls).toEqual([
      ["u-1", false],
      ["u-1", true],
    ]);
  });

  it("counts a failed write under the change's ceremony, and stops: no second read, no second write", async () => {
    const { deps, credentials, identityProvider, counted } = fixture();
    identityProvider.failSetEnrolledWith = "identity_provider_unavailable";
    const list = vi.spyOn(credentials, "listCredentials");
    await settlePasskeyEnrolled(deps, aUserAccount(), [], "passkey_management");
    expect(counted).toEqual([{ ceremony: "passkey_management", outcome: "failed", code: PASSKEY_ENROLLED_UNWRITTEN }]);
    expect(list).not.toHaveBeenCalled();
  });

  it("never rejects, even when the provider throws", async () => {
    const { deps, identityProvider, counted } = fixture();
    vi.spyOn(identityProvider, "setPasskeyEnrolled").mockRejectedValue(new Error("boom"));
    await expect(settlePasskeyEnrolled(deps, aUserAccount(), [{ enabled: true }], "registration")).resolves.toBeUndefined();
    expect(counted).toHaveLength(1);
  });
});

describe("settleAfterRefusal", () => {
  it("writes false for an identity with no account here", async () => {
    const { deps, identityProvider } = fixture();
    identityProvider.passkeyEnrolled.set("u-1", true);
    await settleAfterRefusal(deps, "u-1", "registration");
    expect(identityProvider.passkeyEnrolled.get("u-1")).toBe(false);
  });

  it("writes true for the account linked to the identity when it has an enabled passkey", async () => {
    const { deps, credentials, identityProvider } = fixture();
    const account = aUserAccount({ identityUserId: "u-1" });
    await credentials.add(aStoredCredentialFor(account), account);
    await settleAfterRefusal(deps, "u-1", "registration");
    expect(identityProvider.passkeyEnrolled.get("u-1")).toBe(true);
  });

  it("writes nothing when the store cannot be read (the true written before stays)", async () => {
    const { deps, credentials, identityProvider } = fixture();
    vi.spyOn(credentials, "findUserByIdentity").mockRejectedValue(new StorageUnavailableError("find user", true, new Error("timeout")));
    const writes = vi.spyOn(identityProvider, "setPasskeyEnrolled");
    await settleAfterRefusal(deps, "u-1", "registration");
    expect(writes).not.toHaveBeenCalled();
  });
});
