/**
 * Typed tokens for the inversify container (ADR 0008). A token carries the type of what it names, so
 * `resolve(container, Tokens.Clock)` is a `Clock` without casts at the call site.
 */
import type { AuthenticationCeremony } from "../domain/ceremonies/authentication-ceremony.js";
import type { ChallengeStateMachine } from "../domain/custom-challenge/challenge-state-machine.js";
import type { PasskeyCustomChallenge } from "../domain/custom-challenge/passkey-custom-challenge.js";
import type { PasskeySignIn } from "../domain/custom-challenge/passkey-sign-in.js";
import type { RegistrationCeremony } from "../domain/ceremonies/registration-ceremony.js";
import type { RelyingParty } from "../domain/ceremonies/relying-party.js";
import type { Clock } from "../ports/clock.js";
import type { CredentialStore } from "../ports/credential-store.js";
import type { IdentityProvider } from "../ports/identity-provider.js";
import type { RandomSource } from "../ports/random-source.js";
import type { SessionStore } from "../ports/session-store.js";
import type { SignatureVerifier } from "../ports/signature-verifier.js";
import type { KeyportConfig } from "./config.js";

declare const tokenType: unique symbol;
export type Token<T> = symbol & { readonly [tokenType]?: T };
const token = <T>(name: string): Token<T> => Symbol(`keyport.${name}`) as Token<T>;

export const Tokens = {
  Config: token<KeyportConfig>("Config"),
  Clock: token<Clock>("Clock"),
  RandomSource: token<RandomSource>("RandomSource"),
  SessionStore: token<SessionStore>("SessionStore"),
  CredentialStore: token<CredentialStore>("CredentialStore"),
  SignatureVerifier: token<SignatureVerifier>("SignatureVerifier"),
  IdentityProvider: token<IdentityProvider>("IdentityProvider"),
  RelyingParty: token<RelyingParty>("RelyingParty"),
  RegistrationCeremony: token<RegistrationCeremony>("RegistrationCeremony"),
  AuthenticationCeremony: token<AuthenticationCeremony>("AuthenticationCeremony"),
  ChallengeStateMachine: token<ChallengeStateMachine>("ChallengeStateMachine"),
  PasskeyCustomChallenge: token<PasskeyCustomChallenge>("PasskeyCustomChallenge"),
  PasskeySignIn: token<PasskeySignIn>("PasskeySignIn"),
} as const;
