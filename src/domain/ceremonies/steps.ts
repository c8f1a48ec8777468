/**
 * The steps both ceremonies take, written once. WebAuthn's two procedures (§7.1 registration, §7.2
 * authentication) judge the client data and the authenticator data with the same chain of checks, in
 * the same order, and both begin by taking the ceremony's session out of the store.
 */
import type { Clock } from "../../ports/clock.js";
import type { SessionStore } from "../../ports/session-store.js";
import type { ParsedAuthenticatorData, ParsedClientData } from "../encoding/parse-response.js";
import type { UserVerificationRequirement } from "../encoding/webauthn-json.js";
import type { CeremonySession } from "../model.js";
import { err, ok, type Check, type Result } from "../result.js";
import { checkBackupFlags, checkRpIdHash, checkUserPresent, checkUserVerified, type UserPresenceRequirement } from "./checks/authenticator-data-checks.js";
import { checkChallenge, checkClientDataType, checkNotCrossOrigin, checkOrigin } from "./checks/client-data-checks.js";
import { checkSessionIdShape, checkSessionNotExpired, isSessionOfKind } from "./checks/session-checks.js";
import { CHALLENGE_TEXT_LENGTH, type RelyingParty } from "./relying-party.js";

export type ClientDataError = "client_data_type_mismatch" | "challenge_mismatch" | "origin_mismatch" | "cross_origin_not_allowed";
export type AuthenticatorDataError = "rp_id_hash_mismatch" | "user_not_present" | "user_not_verified" | "backup_state_invalid";
export type SessionError = "session_not_found" | "session_expired";

/** What the client data must say: which ceremony it was, and the challenge the session issued. */
export interface ExpectedClientData {
  readonly type: ParsedClientData["type"];
  readonly challenge: string;
}

/** §7.1 steps 7–10 / §7.2 steps 11–14: type, challenge, origin, not cross-origin. */
export function checkClientData(clientData: ParsedClientData, expected: ExpectedClientData, relyingParty: RelyingParty): Check<ClientDataError> {
  return (
    checkClientDataType(clientData.type, expected.type) ??
    checkChallenge(clientData.challenge, expected.challenge) ??
    checkOrigin(clientData.origin, relyingParty.config.origins) ??
    checkNotCrossOrigin(clientData.crossOrigin)
  );
}

/**
 * §7.1 steps 14–18 / §7.2 steps 15–18: RP ID hash, user present (unless a conditional create says it
 * need not be: registration only), user verified as asked, backup flags coherent.
 */
export function checkAuthenticatorData(
  authData: ParsedAuthenticatorData,
  relyingParty: RelyingParty,
  userVerification: UserVerificationRequirement,
  userPresence: UserPresenceRequirement = "required",
): Check<AuthenticatorDataError> {
  return (
    checkRpIdHash(authData.rpIdHash, relyingParty.rpIdHash) ??
    checkUserPresent(authData.userPresent, userPresence) ??
    checkUserVerified(authData.userVerified, userVerification) ??
    checkBackupFlags(authData.backupEligible, authData.backupState)
  );
}

/**
 * Takes the session named `id` out of the store (ADR 0004: consumed first, so it is single-use even
 * when the response then fails), and returns it narrowed to the ceremony that asked. An id of the wrong
 * shape names no session and never reaches the store; a session of the other ceremony is as good as
 * none; an expired one is refused.
 */
export async function consumeSession<K extends CeremonySession["kind"]>(
  sessions: SessionStore,
  clock: Clock,
  id: string,
  kind: K,
): Promise<Result<Extract<CeremonySession, { readonly kind: K }>, SessionError>> {
  const shapeError = checkSessionIdShape(id, CHALLENGE_TEXT_LENGTH);
  if (shapeError) return err(shapeError);
  const session = await sessions.consume(id);
  if (!isSessionOfKind(session, kind)) return err("session_not_found");
  const expiredError = checkSessionNotExpired(session.expiresAt, clock.now());
  if (expiredError) return err(expiredError);
  return ok(session);
}
