/**
 * The authenticator policy's pure rules (ADR 0027): which report is in force, the certification level,
 * what `certified` means (FIDO_CERTIFIED* in force, no compromise ever), and what each policy admits; then
 * the two judgements the ceremonies make with the metadata port.
 */
import { describe, expect, it } from "vitest";
import {
  admits,
  certificationLevelOf,
  COMPROMISE_STATUSES,
  isCertified,
  judgeAuthenticator,
  latestReport,
  stillAdmits,
  type AuthenticatorPolicy,
} from "../../../../src/domain/ceremonies/attestation/authenticator-policy.js";
import type { AuthenticatorMetadataEntry } from "../../../../src/ports/authenticator-metadata.js";
import { TestAuthenticatorMetadata } from "../../../support/attestation/test-metadata.js";

const YUBIKEY = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
const OTHER = "ee882879-721c-4913-9775-3dfcce97072a";

const entry = (...reports: [string, string | null][]): AuthenticatorMetadataEntry => ({
  description: "Test key",
  statusReports: reports.map(([status, effectiveDate]) => ({ status, effectiveDate })),
});

const CERTIFIED: AuthenticatorPolicy = { kind: "certified" };
const ALLOW_YUBIKEY: AuthenticatorPolicy = { kind: "allow-list", aaguids: new Set([YUBIKEY]) };

describe("latestReport", () => {
  it("is the report with the latest effective date, whatever the order", () => {
    const reports = entry(["FIDO_CERTIFIED_L2", "2023-05-01"], ["FIDO_CERTIFIED_L1", "2021-01-01"], ["UPDATE_AVAILABLE", "2022-03-01"]).statusReports;
    expect(latestReport(reports)?.status).toBe("FIDO_CERTIFIED_L2");
  });

  it("lets a later report win a tie, counts undated reports as oldest, and is null without reports", () => {
    expect(latestReport(entry(["FIDO_CERTIFIED_L1", "2024-01-01"], ["REVOKED", "2024-01-01"]).statusReports)?.status).toBe("REVOKED");
    expect(latestReport(entry(["REVOKED", null], ["FIDO_CERTIFIED_L1", "2020-01-01"]).statusReports)?.status).toBe("FIDO_CERTIFIED_L1");
    expect(latestReport([])).toBeNull();
  });
});

describe("certificationLevelOf", () => {
  it("is the latest FIDO_CERTIFIED* report's status, even when another status came after it", () => {
    expect(certificationLevelOf(entry(["FIDO_CERTIFIED_L1", "2020-01-01"], ["FIDO_CERTIFIED_L2", "2022-01-01"], ["UPDATE_AVAILABLE", "2023-01-01"]))).toBe("FIDO_CERTIFIED_L2");
    expect(certificationLevelOf(entry(["FIDO_CERTIFIED", "2020-01-01"]))).toBe("FIDO_CERTIFIED");
  });

  it("is null for a model never certified (or certified under a name MDS3 does not define)", () => {
    expect(certificationLevelOf(entry(["NOT_FIDO_CERTIFIED", "2020-01-01"], ["SELF_ASSERTION_SUBMITTED", "2021-01-01"]))).toBeNull();
    expect(certificationLevelOf(entry(["FIDO_CERTIFIED_L9", "2020-01-01"]))).toBeNull();
  });
});

describe("isCertified", () => {
  it("holds when the report in force is a certification and nothing was ever compromised", () => {
    expect(isCertified(entry(["FIDO_CERTIFIED_L1", "2020-01-01"]))).toBe(true);
    expect(isCertified(entry(["NOT_FIDO_CERTIFIED", "2019-01-01"], ["FIDO_CERTIFIED_L1plus", "2020-01-01"]))).toBe(true);
  });

  it("fails when the report in force is not a certification (an update pending, a lapsed certification)", () => {
    expect(isCertified(entry(["FIDO_CERTIFIED_L1", "2020-01-01"], ["UPDATE_AVAILABLE", "2021-01-01"]))).toBe(false);
    expect(isCertified(entry(["FIDO_CERTIFIED_L1", "2020-01-01"], ["NOT_FIDO_CERTIFIED", "2021-01-01"]))).toBe(false);
    expect(isCertified(entry())).toBe(false);
  });

  it.each([...COMPROMISE_STATUSES])("fails for a model that ever reported %s, even if certified again after", (status) => {
    expect(isCertified(entry(["FIDO_CERTIFIED_L1", "2020-01-01"], [status, "2021-01-01"]))).toBe(false);
    expect(isCertified(entry([status, "2019-01-01"], ["FIDO_CERTIFIED_L2", "2021-01-01"]))).toBe(false);
  });

  it("lists exactly the five compromise statuses the issue names", () => {
    expect([...COMPROMISE_STATUSES].sort()).toEqual(
      ["ATTESTATION_KEY_COMPROMISE", "REVOKED", "USER_KEY_PHYSICAL_COMPROMISE", "USER_KEY_REMOTE_COMPROMISE", "USER_VERIFICATION_BYPASS"].sort(),
    );
  });
});

describe("admits", () => {
  const trusted = { trusted: true, aaguid: YUBIKEY };
  const untrusted = { trusted: false, aaguid: YUBIKEY };
  const certified = entry(["FIDO_CERTIFIED_L1", "2020-01-01"]);

  it("any: every authenticator, trusted or not, with or without metadata", () => {
    expect(admits({ kind: "any" }, untrusted, null)).toBe(true);
    expect(admits({ kind: "any" }, trusted, entry(["REVOKED", "2020-01-01"]))).toBe(true);
  });

  it("allow-list: a trusted attestation of a listed AAGUID only", () => {
    expect(admits(ALLOW_YUBIKEY, trusted, null)).toBe(true);
    expect(admits(ALLOW_YUBIKEY, untrusted, null)).toBe(false);
    expect(admits(ALLOW_YUBIKEY, { trusted: true, aaguid: OTHER }, certified)).toBe(false);
  });

  it("certified: a trusted attestation of a certified model only", () => {
    expect(admits(CERTIFIED, trusted, certified)).toBe(true);
    expect(admits(CERTIFIED, untrusted, certified)).toBe(false);
    expect(admits(CERTIFIED, trusted, null)).toBe(false);
    expect(admits(CERTIFIED, trusted, entry(["FIDO_CERTIFIED_L1", "2020-01-01"], ["REVOKED", "2021-01-01"]))).toBe(false);
  });
});

describe("judgeAuthenticator (registration)", () => {
  it("gives the certification level of a trusted attestation the metadata knows, under any policy", async () => {
    const metadata = new TestAuthenticatorMetadata().set(YUBIKEY, "FIDO_CERTIFIED_L2");
    expect(await judgeAuthenticator({ metadata }, { trusted: true, aaguid: YUBIKEY })).toEqual({ ok: true, value: "FIDO_CERTIFIED_L2" });
    expect(await judgeAuthenticator({ metadata, authenticatorPolicy: CERTIFIED }, { trusted: true, aaguid: YUBIKEY })).toEqual({ ok: true, value: "FIDO_CERTIFIED_L2" });
  });

  it("gives no level for an untrusted attestation (its AAGUID is a claim), and does not look it up under any", async () => {
    const metadata = new TestAuthenticatorMetadata().set(YUBIKEY, "FIDO_CERTIFIED_L2");
    expect(await judgeAuthenticator({ metadata }, { trusted: false, aaguid: YUBIKEY })).toEqual({ ok: true, value: null });
    expect(metadata.lookups).toBe(0);
  });

  it("asks by key identifier for a U2F authenticator", async () => {
    const keyIdentifier = "a".repeat(40);
    const metadata = new TestAuthenticatorMetadata().set(keyIdentifier, "FIDO_CERTIFIED");
    const judged = await judgeAuthenticator({ metadata, authenticatorPolicy: CERTIFIED }, { trusted: true, aaguid: "00000000-0000-0000-0000-000000000000", keyIdentifier });
    expect(judged).toEqual({ ok: true, value: "FIDO_CERTIFIED" });
    expect(metadata.lastQuery).toEqual({ aaguid: "00000000-0000-0000-0000-000000000000", keyIdentifier });
  });

  it("refuses what the policy does not admit", async () => {
    const metadata = new TestAuthenticatorMetadata().set(YUBIKEY, "FIDO_CERTIFIED_L1", "REVOKED");
    expect(await judgeAuthenticator({ metadata, authenticatorPolicy: CERTIFIED }, { trusted: true, aaguid: YUBIKEY })).toEqual({ ok: false, error: "authenticator_not_allowed" });
    expect(await judgeAuthenticator({ authenticatorPolicy: ALLOW_YUBIKEY }, { trusted: true, aaguid: OTHER })).toEqual({ ok: false, error: "authenticator_not_allowed" });
  });

  it("fails with the fault when a policy needs metadata that cannot be read, and leaves the level out when none does", async () => {
    const metadata = new TestAuthenticatorMetadata().set(YUBIKEY, "FIDO_CERTIFIED_L1");
    metadata.failure = new Error("metadata unavailable");
    await expect(judgeAuthenticator({ metadata, authenticatorPolicy: CERTIFIED }, { trusted: true, aaguid: YUBIKEY })).rejects.toThrow("metadata unavailable");
    expect(await judgeAuthenticator({ metadata }, { trusted: true, aaguid: YUBIKEY })).toEqual({ ok: true, value: null });
  });
});

describe("stillAdmits (sign-in)", () => {
  it("reads nothing under any", async () => {
    const metadata = new TestAuthenticatorMetadata();
    expect(await stillAdmits({ metadata }, { trusted: false, aaguid: YUBIKEY })).toBe(true);
    expect(metadata.lookups).toBe(0);
  });

  it("judges by the metadata in force now: a model revoked since registration is refused", async () => {
    const metadata = new TestAuthenticatorMetadata().set(YUBIKEY, "FIDO_CERTIFIED_L1");
    const judgement = { metadata, authenticatorPolicy: CERTIFIED };
    expect(await stillAdmits(judgement, { trusted: true, aaguid: YUBIKEY })).toBe(true);
    metadata.set(YUBIKEY, "FIDO_CERTIFIED_L1", "REVOKED");
    expect(await stillAdmits(judgement, { trusted: true, aaguid: YUBIKEY })).toBe(false);
  });

  it("judges an allow-list by the list now, without metadata", async () => {
    expect(await stillAdmits({ authenticatorPolicy: ALLOW_YUBIKEY }, { trusted: true, aaguid: YUBIKEY })).toBe(true);
    expect(await stillAdmits({ authenticatorPolicy: ALLOW_YUBIKEY }, { trusted: true, aaguid: OTHER })).toBe(false);
  });

  it("admits nothing under certified without metadata (fail closed)", async () => {
    expect(await stillAdmits({ authenticatorPolicy: CERTIFIED }, { trusted: true, aaguid: YUBIKEY })).toBe(false);
  });
});
