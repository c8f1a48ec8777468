/**
 * Which authenticators may hold a passkey here (issue 15 point 4, ADR 0027 "Authenticator policy"):
 * `any`, `certified` (a trusted attestation of a model FIDO certifies and has never reported
 * compromised), or an allow-list of AAGUIDs (a trusted attestation of one of them). The same predicate
 * judges a new credential at registration and a stored one at every sign-in, so what the metadata and
 * the list say now is what holds: a model reported compromised later stops signing in.
 */
import type { AuthenticatorMetadata, AuthenticatorMetadataEntry, AuthenticatorMetadataQuery, AuthenticatorStatusReport } from "../../../ports/authenticator-metadata.js";
import { err, ok, type Result } from "../../result.js";

export type AuthenticatorPolicy =
  | { readonly kind: "any" }
  | { readonly kind: "certified" }
  | { readonly kind: "allow-list"; readonly aaguids: ReadonlySet<string> };

export const ANY_AUTHENTICATOR: AuthenticatorPolicy = { kind: "any" };

/** MDS3 AuthenticatorStatus values that certify a model, lowest level first (FIDO Metadata Service v3.0 §3.1.4). */
export const CERTIFICATION_LEVELS = [
  "FIDO_CERTIFIED",
  "FIDO_CERTIFIED_L1",
  "FIDO_CERTIFIED_L1plus",
  "FIDO_CERTIFIED_L2",
  "FIDO_CERTIFIED_L2plus",
  "FIDO_CERTIFIED_L3",
  "FIDO_CERTIFIED_L3plus",
] as const;
export type CertificationLevel = (typeof CERTIFICATION_LEVELS)[number];

/**
 * Statuses that say keys made by the model can no longer be relied on. A model that ever reported one
 * is not certified here, whatever came after: an update fixes new keys, not the ones already made.
 */
export const COMPROMISE_STATUSES: ReadonlySet<string> = new Set([
  "REVOKED",
  "USER_VERIFICATION_BYPASS",
  "ATTESTATION_KEY_COMPROMISE",
  "USER_KEY_REMOTE_COMPROMISE",
  "USER_KEY_PHYSICAL_COMPROMISE",
]);

const LEVELS: ReadonlySet<string> = new Set(CERTIFICATION_LEVELS);

function isCertificationLevel(status: string): status is CertificationLevel {
  return LEVELS.has(status);
}

/**
 * The report in force: the latest `effectiveDate` (ISO days compare as text), a later one in the
 * entry's order winning a tie; undated reports count as older than any dated one.
 */
export function latestReport(reports: readonly AuthenticatorStatusReport[]): AuthenticatorStatusReport | null {
  let latest: AuthenticatorStatusReport | null = null;
  for (const report of reports) {
    if (latest === null || (report.effectiveDate ?? "") >= (latest.effectiveDate ?? "")) latest = report;
  }
  return latest;
}

/** The level the model was last certified at (its latest FIDO_CERTIFIED* report), or null. */
export function certificationLevelOf(entry: AuthenticatorMetadataEntry): CertificationLevel | null {
  const latest = latestReport(entry.statusReports.filter((report) => isCertificationLevel(report.status)));
  return latest !== null && isCertificationLevel(latest.status) ? latest.status : null;
}

/** Certified: the report in force is a FIDO_CERTIFIED* one, and no report ever said the model is compromised. */
export function isCertified(entry: AuthenticatorMetadataEntry): boolean {
  if (entry.statusReports.some((report) => COMPROMISE_STATUSES.has(report.status))) return false;
  const latest = latestReport(entry.statusReports);
  return latest !== null && isCertificationLevel(latest.status);
}

/** What the policy judges of a credential: its attestation's trust, the AAGUID it vouches for, and (U2F) its key identifier. */
export interface AttestedAuthenticator {
  readonly trusted: boolean;
  readonly aaguid: string;
  readonly keyIdentifier?: string;
}

/** Whether the policy needs the metadata entry of the authenticator (and so the metadata service). */
export function needsMetadata(policy: AuthenticatorPolicy): boolean {
  return policy.kind === "certified";
}

/**
 * Whether `policy` admits the authenticator: `any` always; the others only a trusted attestation (an
 * untrusted AAGUID is a claim anyone can make), of a listed AAGUID or of a certified model's `entry`.
 */
export function admits(policy: AuthenticatorPolicy, authenticator: AttestedAuthenticator, entry: AuthenticatorMetadataEntry | null): boolean {
  switch (policy.kind) {
    case "any":
      return true;
    case "allow-list":
      return authenticator.trusted && policy.aaguids.has(authenticator.aaguid);
    case "certified":
      return authenticator.trusted && entry !== null && isCertified(entry);
  }
}

/** What a ceremony judges authenticators with; both optional: `any` and no metadata. */
export interface AuthenticatorJudgement {
  readonly authenticatorPolicy?: AuthenticatorPolicy;
  readonly metadata?: AuthenticatorMetadata;
}

function queryOf(authenticator: AttestedAuthenticator): AuthenticatorMetadataQuery {
  return authenticator.keyIdentifier === undefined ? { aaguid: authenticator.aaguid } : { aaguid: authenticator.aaguid, keyIdentifier: authenticator.keyIdentifier };
}

/**
 * Registration (§7.1 step 24's "acceptable" judged by the policy): `authenticator_not_allowed`, or the
 * certification level to record for a trusted attestation the metadata knows (null otherwise). Under a
 * policy that needs metadata, metadata that cannot be read is a fault (the registration fails, nothing
 * passes unjudged); under one that does not, the level is only a label, and is left out.
 */
export async function judgeAuthenticator(
  judgement: AuthenticatorJudgement,
  authenticator: AttestedAuthenticator,
): Promise<Result<CertificationLevel | null, "authenticator_not_allowed">> {
  const policy = judgement.authenticatorPolicy ?? ANY_AUTHENTICATOR;
  const metadata = judgement.metadata;
  let entry: AuthenticatorMetadataEntry | null = null;
  if (metadata !== undefined && needsMetadata(policy)) {
    entry = await metadata.entryFor(queryOf(authenticator));
  } else if (metadata !== undefined && authenticator.trusted) {
    try {
      entry = await metadata.entryFor(queryOf(authenticator));
    } catch {
      entry = null;
    }
  }
  if (!admits(policy, authenticator, entry)) return err("authenticator_not_allowed");
  return ok(authenticator.trusted && entry !== null ? certificationLevelOf(entry) : null);
}

/**
 * Sign-in: whether the policy still admits a stored credential's authenticator, by the metadata in
 * force now (a model reported compromised since registration is refused). `any` reads nothing. A policy
 * that needs metadata and has none admits nothing: fail closed.
 */
export async function stillAdmits(judgement: AuthenticatorJudgement, authenticator: AttestedAuthenticator): Promise<boolean> {
  const policy = judgement.authenticatorPolicy ?? ANY_AUTHENTICATOR;
  if (policy.kind === "any") return true;
  if (!needsMetadata(policy)) return admits(policy, authenticator, null);
  const metadata = judgement.metadata;
  if (metadata === undefined) return false;
  return admits(policy, authenticator, await metadata.entryFor(queryOf(authenticator)));
}
