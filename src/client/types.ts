/**
 * The keyport HTTP API's requests and answers as the browser sees them (docs/api.md). Written out here,
 * not imported from the server's code, so that the client bundle carries nothing of the server; a type
 * test (test/client/contract.test.ts) holds them to the server's own shapes.
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/browser";

export type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON };

// ---------------------------------------------------------------------------------------------
// Signals (docs/api.md, Signals): each exactly the argument of @simplewebauthn/browser's sendSignal()

/** The user's enabled passkeys: the provider may hide one that is not listed. */
export interface AllAcceptedCredentialsSignal {
  readonly signalName: "allAcceptedCredentials";
  readonly rpID: string;
  /** The user handle (base64url). */
  readonly userID: string;
  /** base64url ids of the user's enabled passkeys. */
  readonly allAcceptedCredentialIDs: string[];
}

/** The user's current username and display name, for the provider's passkey picker. */
export interface CurrentUserDetailsSignal {
  readonly signalName: "currentUserDetails";
  readonly rpID: string;
  readonly userID: string;
  readonly userName: string;
  readonly userDisplayName: string;
}

/** A passkey the server does not know (any more): the provider may hide it. */
export interface UnknownCredentialSignal {
  readonly signalName: "unknownCredential";
  readonly rpID: string;
  readonly credentialID: string;
}

export type Signal = AllAcceptedCredentialsSignal | CurrentUserDetailsSignal | UnknownCredentialSignal;

/** Answers that change the user's passkeys or who the user is carry signals. */
export interface WithSignals {
  readonly signals: Signal[];
}

// ---------------------------------------------------------------------------------------------
// Registration

/** `POST /registration/start`: a new user, passkey only. Names follow the API's rules (docs/api.md, Names). */
export interface SignUpRequest {
  readonly username: string;
  readonly displayName: string;
}

/** `POST /registration/start-verified`: used only for a user keyport has no record of yet. */
export interface AddPasskeyProfile {
  readonly username?: string;
  readonly displayName?: string;
}

/** What `addPasskey` takes: the profile names, and how the browser is to be asked. */
export interface AddPasskeyOptions extends AddPasskeyProfile {
  /**
   * `"conditional"`: an automatic passkey upgrade right after a password sign-in. The browser creates
   * the passkey without a prompt, in the password manager that just filled the password, or fails
   * (`ceremony_cancelled`) without showing anything. Check `PublicKeyCredential.getClientCapabilities()`
   * for `conditionalCreate` first; absent, the browser's usual prompt. Signing out (or everywhere, or
   * deleting the account) aborts a pending upgrade, which then fails with `ceremony_cancelled`.
   */
  readonly mediation?: "conditional";
}

/** The answer of both registration starts. */
export interface RegistrationStartResponse {
  readonly sessionId: string;
  readonly credentialCreationOptions: PublicKeyCredentialCreationOptionsJSON;
}

/** `POST /registration/finish`: the new passkey. */
export interface RegistrationResult extends WithSignals {
  /** The user handle (base64url), never the username. */
  readonly userId: string;
  readonly credentialId: string;
  /** The passkey's name, after its authenticator ("iCloud Keychain"); the user can rename it. */
  readonly name: string;
}

// ---------------------------------------------------------------------------------------------
// Sign-in and tokens

/** `POST /authentication/discover`. */
export interface DiscoverResponse {
  readonly credentialRequestOptions: PublicKeyCredentialRequestOptionsJSON;
}

/** `POST /authentication/start`. */
export interface AuthenticationStartResponse {
  /** The identity provider's sign-in session (opaque, answered once). */
  readonly session: string;
  readonly credentialRequestOptions: PublicKeyCredentialRequestOptionsJSON;
}

/** `POST /authentication/finish`, `200`. */
export interface SignInResponse extends WithSignals {
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken: string;
  /** Seconds until the ID and access tokens expire. */
  readonly expiresIn: number;
  readonly tokenType: "Bearer";
}

/** `POST /authentication/refresh`, `200`. `refreshToken` is absent only when the app client does not rotate them. */
export interface RefreshResponse {
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken?: string;
  readonly expiresIn: number;
  readonly tokenType: "Bearer";
}

/**
 * What the client keeps between calls (in its `TokenStore`): the tokens of the current sign-in.
 * The refresh token is the one secret here that outlives a tab's use of it: store it with care.
 */
export interface Tokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** When the ID and access tokens expire, in epoch milliseconds by this device's clock. */
  readonly expiresAt: number;
  /**
   * The user handle (base64url), when the sign-in told it (always, for a discoverable passkey). Sent
   * with refreshes, so that a refresh token presented for another user is refused, and used to sign
   * the same user in again (`reauthenticate()`).
   */
  readonly userId?: string;
}

// ---------------------------------------------------------------------------------------------
// Passkeys and the account

/** The authenticator model of a passkey: what it claims to be, vouched for only when `verified`. */
export interface Authenticator {
  /** Lower-case UUID; all zeros when the authenticator does not say. */
  readonly aaguid: string;
  /** `true`: a trusted attestation vouched for the AAGUID; `false`: it is a hint. The name is always a hint. */
  readonly verified: boolean;
  readonly name: string;
  /** `data:` URIs for light and dark backgrounds, or `null`. */
  readonly icon: { readonly light: string; readonly dark: string } | null;
}

/** One passkey, as `GET /credentials` lists it. Times are ISO 8601 strings in UTC. */
export interface Passkey {
  readonly credentialId: string;
  readonly name: string;
  readonly authenticator: Authenticator;
  readonly createdAt: string;
  /** Its last successful sign-in; `null` if it never signed in. */
  readonly lastUsedAt: string | null;
  /** `false`: it cannot sign in. */
  readonly enabled: boolean;
  /** It can be synced (a multi-device passkey). */
  readonly backupEligible: boolean;
  /** It is synced (as of its last use). */
  readonly backedUp: boolean;
  readonly transports: string[];
  readonly userVerifiedAtRegistration: boolean;
  /** `"conditional"`: made by an automatic passkey upgrade, without a prompt; `"modal"`: with the browser's prompt. */
  readonly registrationMediation: "modal" | "conditional";
  /** The attestation statement verified at registration; `trusted` when its chain reached a configured root. */
  readonly attestation: { readonly format: string; readonly type: "none" | "self" | "basic" | "attca" | "anonca"; readonly trusted: boolean };
}

/** `PATCH /credentials/{credentialId}`: the passkey as it is now. */
export interface UpdatedPasskey extends Passkey, WithSignals {}

/** `GET /account`. */
export interface Account {
  /** The user handle (base64url). */
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly createdAt: string;
  /** Disabled passkeys included. */
  readonly credentialCount: number;
}

/** `PATCH /account`: at least one of the two. */
export interface AccountChange {
  readonly username?: string;
  readonly displayName?: string;
}

/** `PATCH /account`: the account as it is now. */
export interface UpdatedAccount extends Account, WithSignals {}

// ---------------------------------------------------------------------------------------------
// Security activity

export type SecurityEventType =
  | "registration.succeeded"
  | "registration.failed"
  | "sign_in.succeeded"
  | "sign_in.failed"
  | "sign_in.failed_suppressed"
  | "passkey.added"
  | "passkey.renamed"
  | "passkey.disabled"
  | "passkey.enabled"
  | "passkey.deleted"
  | "account.updated"
  | "account.deleted"
  | "signed_out"
  | "signed_out_everywhere"
  | "token.refreshed";

/**
 * One event of the user's trail (docs/api.md, GET /events). The optional fields come with the types
 * that carry them. A newer server may add types: show an unknown `type` rather than fail on it.
 */
export interface SecurityEvent {
  readonly eventId: string;
  readonly type: SecurityEventType;
  readonly at: string;
  readonly credentialId?: string;
  readonly passkeyName?: string;
  readonly authenticatorName?: string;
  /** Why it failed, for the failures. */
  readonly code?: string;
  /** `passkey.renamed`: the name before. */
  readonly previousName?: string;
  /** `account.updated`: `username` and/or `displayName`. */
  readonly changed?: string[];
  /** `sign_in.failed_suppressed`: how many failures it stands for, in the hour from `windowStart` to `windowEnd`. */
  readonly count?: number;
  readonly windowStart?: string;
  readonly windowEnd?: string;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly correlationId: string | null;
}

/** `GET /events` query: `limit` 1–100 (default 20), `cursor` the `nextCursor` of the previous page. */
export interface EventsQuery {
  readonly limit?: number;
  readonly cursor?: string | null;
}

/** One page of events, newest first; `nextCursor` is `null` on the last page. */
export interface EventPage {
  readonly events: SecurityEvent[];
  readonly nextCursor: string | null;
}
