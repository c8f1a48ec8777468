/**
 * The keyport browser client: each flow of docs/api.md as one method, on @simplewebauthn/browser 14.
 * It gets the parts right that every page would otherwise get wrong on its own: one WebAuthn request
 * at a time (a pending autofill request is aborted before any other ceremony), every `signals` array
 * handed to the browser's Signal API, rotated refresh tokens stored, an expired ID token refreshed once
 * and the call retried, and one error class with the API's stable codes.
 *
 * Framework-neutral: no DOM access beyond WebAuthn and fetch (and `sessionStorage`, only when the app
 * opts into `sessionStorageTokenStore`).
 */
import {
  WebAuthnAbortService,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  sendSignal,
  startAuthentication,
  startRegistration,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/browser";
import { KeyportError, isTokenError } from "./errors.js";
import { isExpired, subjectOf } from "./jwt.js";
import { memoryTokenStore, type TokenStore } from "./token-store.js";
import type {
  Account,
  AccountChange,
  AddPasskeyOptions,
  AuthenticationStartResponse,
  DiscoverResponse,
  EventPage,
  EventsQuery,
  Passkey,
  RefreshResponse,
  RegistrationResult,
  RegistrationStartResponse,
  Signal,
  SignInResponse,
  SignUpRequest,
  Tokens,
  UpdatedAccount,
  UpdatedPasskey,
  WithSignals,
} from "./types.js";

/** The fetch the client calls: the browser's by default, any compatible function in tests. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

export interface KeyportClientOptions {
  /**
   * Where the API is: `""` (the default) for the page's own origin, else an absolute URL such as
   * `https://api.example.com` (the API's CORS settings must allow the page's origin).
   */
  readonly baseUrl?: string;
  /** Where the tokens live (default: this page's memory only; see `TokenStore`). */
  readonly tokenStore?: TokenStore;
  /** The fetch to use (default: the global one). */
  readonly fetch?: FetchFunction;
  /**
   * `"auto"` (default): every `signals` array in an answer goes to the browser's Signal API, where the
   * browser has the method for it. `"off"`: the app handles them itself (they stay in the answers).
   */
  readonly signals?: "auto" | "off";
  /**
   * Called when a signed-in call needs a more recent sign-in (`401 reauthentication_required`: adding or
   * deleting a passkey, deleting the account). Sign the user in again (`client.reauthenticate()`, after
   * asking them) and resolve `true` to have the call retried once with the new ID token; resolve `false`
   * to have it fail with that error. Without it, such a call fails with `reauthentication_required`.
   * The retry happens only when the new sign-in is the same user's (the ID token's `sub`).
   */
  readonly onReauthenticationRequired?: (context: ReauthenticationContext) => boolean | Promise<boolean>;
}

export interface ReauthenticationContext {
  /** The client method that needs it: `"addPasskey"`, `"deletePasskey"`, `"deleteAccount"`, …. */
  readonly operation: string;
  /** The API's `reauthentication_required` error. */
  readonly error: KeyportError;
}

export interface AutofillOptions {
  /**
   * Called once the person has picked a passkey from the autofill list, before the client finishes
   * the sign-in with the API (two more requests): the moment to show that something is happening.
   */
  readonly onPasskeyChosen?: () => void;
}

/** The browser method behind each signal that @simplewebauthn/browser's sendSignal() sends. */
const SIGNAL_METHODS: Readonly<Record<Signal["signalName"], string>> = {
  allAcceptedCredentials: "signalAllAcceptedCredentials",
  currentUserDetails: "signalCurrentUserDetails",
  unknownCredential: "signalUnknownCredential",
};

/** A pending `signInWithAutofill()`. */
interface AutofillRequest {
  cancelled: boolean;
  /** Its WebAuthn request is (about to be) open: cancelling must abort it. */
  inWebAuthn: boolean;
}

interface RequestOptions {
  readonly body?: unknown;
  readonly idToken?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export class KeyportClient {
  readonly #baseUrl: string;
  readonly #tokens: TokenStore;
  readonly #fetch: FetchFunction;
  readonly #signals: "auto" | "off";
  readonly #onReauthenticationRequired: KeyportClientOptions["onReauthenticationRequired"];
  #autofill: AutofillRequest | null = null;
  /** A pending automatic passkey upgrade (`addPasskey({ mediation: "conditional" })`): signing out aborts it. */
  #upgrade: AutofillRequest | null = null;
  /** The refresh in flight: concurrent callers share it, as a rotated refresh token works only once. */
  #refreshing: Promise<Tokens> | null = null;

  constructor(options: KeyportClientOptions = {}) {
    this.#baseUrl = (options.baseUrl ?? "").replace(/\/+$/, "");
    this.#tokens = options.tokenStore ?? memoryTokenStore();
    // Looked up at each call, so that a fetch patched in later (a test, a tracer) is the one used.
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#signals = options.signals ?? "auto";
    this.#onReauthenticationRequired = options.onReauthenticationRequired;
  }

  /** Whether this browser can make and use passkeys at all. */
  static supportsWebAuthn(): boolean {
    return browserSupportsWebAuthn();
  }

  /** Whether this browser offers passkeys in a field's autofill list (conditional UI), for `signInWithAutofill()`. */
  static supportsAutofill(): Promise<boolean> {
    return browserSupportsWebAuthnAutofill();
  }

  /** The current sign-in's tokens, or `null` when signed out. */
  getTokens(): Tokens | null {
    return this.#tokens.get();
  }

  // -------------------------------------------------------------------------------------------
  // Ceremonies

  /**
   * Creates an account with a new passkey (no password). Issues no tokens: sign in next (the passkey
   * is on the device now, so `signIn()` or `signInWithUserId(result.userId)` is one tap).
   */
  async signUp(request: SignUpRequest): Promise<RegistrationResult> {
    this.#beginCeremony();
    const started = await this.#request<RegistrationStartResponse>("POST", "/registration/start", {
      body: { username: request.username, displayName: request.displayName },
    });
    const credential = await register(started.credentialCreationOptions);
    return this.#request<RegistrationResult>("POST", "/registration/finish", { body: { sessionId: started.sessionId, publicKeyCredential: credential } });
  }

  /** Sign-in with any passkey on the device (a "Sign in with a passkey" button): the passkey names the user. */
  async signIn(): Promise<Tokens> {
    this.#beginCeremony();
    const { credentialRequestOptions } = await this.#request<DiscoverResponse>("POST", "/authentication/discover", { body: {} });
    return this.#finishDiscoverable(await authenticate(credentialRequestOptions));
  }

  /**
   * Identifier-first sign-in: the user typed their username. The API answers a username nobody has as it
   * answers a real one (with passkeys nobody has), so this fails as the browser's request does:
   * `ceremony_cancelled` when the device holds none of the listed passkeys.
   */
  async signInWithUsername(username: string): Promise<Tokens> {
    this.#beginCeremony();
    const started = await this.#request<AuthenticationStartResponse>("POST", "/authentication/start", { body: { username } });
    const assertion = await authenticate(started.credentialRequestOptions);
    // The passkey says whose it is (its user handle), which later refreshes name.
    return this.#finish({ session: started.session, username, publicKeyCredential: assertion }, assertion.response.userHandle);
  }

  /** Username-first sign-in for a user the app remembers by handle (`userId` of an earlier sign-up or sign-in). */
  async signInWithUserId(userId: string): Promise<Tokens> {
    this.#beginCeremony();
    const started = await this.#request<AuthenticationStartResponse>("POST", "/authentication/start", { body: { userId } });
    const assertion = await authenticate(started.credentialRequestOptions);
    return this.#finish({ session: started.session, userId, publicKeyCredential: assertion }, userId);
  }

  /**
   * Offers the device's passkeys in the autofill list of the page's `<input autocomplete="username
   * webauthn">` (conditional UI). The request waits until the person picks one, which may be never: any
   * other ceremony of this client aborts it first (browsers allow one WebAuthn request at a time), as
   * does `cancelAutofill()` or a second call. Then it fails with `ceremony_cancelled`; arm it again
   * when the page is back to signing in. `webauthn_unsupported` when the browser has no conditional UI
   * (check `KeyportClient.supportsAutofill()` first).
   */
  async signInWithAutofill(options: AutofillOptions = {}): Promise<Tokens> {
    this.cancelAutofill();
    requireWebAuthn();
    // Pending from here on, so that anything that starts meanwhile cancels this one.
    const request: AutofillRequest = { cancelled: false, inWebAuthn: false };
    this.#autofill = request;
    try {
      if (!(await browserSupportsWebAuthnAutofill())) {
        throw new KeyportError("webauthn_unsupported", "This browser does not offer passkeys in autofill (conditional mediation).");
      }
      if (request.cancelled) throw autofillCancelled();
      const { credentialRequestOptions } = await this.#request<DiscoverResponse>("POST", "/authentication/discover", { body: {} });
      // Superseded while the options were on their way: starting now would abort the newer ceremony.
      if (request.cancelled) throw autofillCancelled();
      request.inWebAuthn = true;
      let assertion: AuthenticationResponseJSON;
      try {
        assertion = await authenticate(credentialRequestOptions, true);
      } finally {
        request.inWebAuthn = false;
      }
      if (request.cancelled) throw autofillCancelled();
      // Chosen: from here on the sign-in is the person's, and no other ceremony cancels it.
      this.#autofill = null;
      options.onPasskeyChosen?.();
      return await this.#finishDiscoverable(assertion);
    } finally {
      if (this.#autofill === request) this.#autofill = null;
    }
  }

  /** Aborts a pending `signInWithAutofill()` (which then fails with `ceremony_cancelled`). Does nothing when none is pending. */
  cancelAutofill(): void {
    const request = this.#autofill;
    if (request === null) return;
    request.cancelled = true;
    this.#autofill = null;
    // Only while its WebAuthn request is open: at other times the current ceremony may be someone else's.
    // (Right after startAuthentication is called it still asks whether conditional UI is there, and has
    // no request to abort yet; the request it then opens is aborted by the next ceremony's own start,
    // as @simplewebauthn/browser aborts the open request whenever another one starts.)
    if (request.inWebAuthn) WebAuthnAbortService.cancelCeremony();
  }

  /**
   * Signs the current user in again with a passkey (username-first, by the stored `userId`), for an
   * action that needs a recent sign-in. `not_signed_in` without tokens or without a known `userId`.
   */
  async reauthenticate(): Promise<Tokens> {
    const userId = this.#tokens.get()?.userId;
    if (userId === undefined) throw new KeyportError("not_signed_in", "Nobody is signed in whom this client could sign in again.");
    return this.signInWithUserId(userId);
  }

  /**
   * Adds a passkey (on this device, or one the browser reaches) to the signed-in user's account. Needs
   * a recent sign-in (`reauthentication_required`, see `onReauthenticationRequired`); the profile names
   * are used only for a user keyport has no record of yet (a user-pool user with a password).
   * `mediation: "conditional"` makes it an automatic passkey upgrade: no prompt, and the API accepts the
   * passkey without the user's presence shown (see `AddPasskeyOptions`).
   */
  async addPasskey(options: AddPasskeyOptions = {}): Promise<RegistrationResult> {
    this.#beginCeremony();
    const started = await this.#signedIn<RegistrationStartResponse>("addPasskey", "POST", "/registration/start-verified", {
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.displayName === undefined ? {} : { displayName: options.displayName }),
      ...(options.mediation === undefined ? {} : { mediation: options.mediation }),
    });
    const credential = options.mediation === "conditional" ? await this.#registerUpgrade(started.credentialCreationOptions) : await register(started.credentialCreationOptions);
    // The same user finishes what they started: the session id alone does not add a passkey to an account.
    return this.#signedIn<RegistrationResult>("addPasskey", "POST", "/registration/finish", { sessionId: started.sessionId, publicKeyCredential: credential });
  }

  /**
   * The conditional create of an automatic upgrade, which may stay pending for as long as the page
   * lives. Signing out aborts it (`ceremony_cancelled`): a passkey the browser made after that would be
   * one the account never gets, left in the person's passkey provider.
   */
  async #registerUpgrade(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON> {
    const request: AutofillRequest = { cancelled: false, inWebAuthn: true };
    this.#upgrade = request;
    try {
      const credential = await register(options, true);
      if (request.cancelled) throw new KeyportError("ceremony_cancelled", "The automatic passkey upgrade was cancelled by signing out.");
      return credential;
    } finally {
      request.inWebAuthn = false;
      if (this.#upgrade === request) this.#upgrade = null;
    }
  }

  /** Aborts a pending automatic upgrade, if its WebAuthn request is still open. */
  #cancelUpgrade(): void {
    const request = this.#upgrade;
    if (request === null) return;
    request.cancelled = true;
    this.#upgrade = null;
    if (request.inWebAuthn) WebAuthnAbortService.cancelCeremony();
  }

  // -------------------------------------------------------------------------------------------
  // Tokens and signing out

  /**
   * New ID and access tokens for the stored refresh token, and the rotated refresh token in its place.
   * Concurrent calls share one request. A refused refresh token (`refresh_token_invalid`) ends the
   * sign-in: the store is emptied. Signed-in calls refresh by themselves when the ID token has expired.
   */
  refresh(): Promise<Tokens> {
    this.#refreshing ??= this.#refreshOnce().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /**
   * Signs out on this device: the API revokes the refresh token (and records the sign-out in the
   * user's activity, for which the ID token is sent while it is valid), and the store is emptied even
   * when the API could not be told (then this still throws, so the app can say so).
   */
  async signOut(): Promise<void> {
    this.#cancelUpgrade();
    // A refresh in flight would otherwise leave a new refresh token alive on the server, forgotten here.
    await this.#refreshing?.catch(() => undefined);
    const tokens = this.#tokens.get();
    if (tokens === null) return;
    try {
      await this.#sendSignOut(tokens);
    } catch (error) {
      // refresh_token_invalid: that sign-in had ended already, which is what signing out wants.
      if (!(error instanceof KeyportError && error.code === "refresh_token_invalid")) {
        this.#tokens.set(null);
        throw error;
      }
    }
    this.#tokens.set(null);
  }

  /** Revokes every refresh token of the user (every device), then empties the store. */
  async signOutEverywhere(): Promise<void> {
    this.#cancelUpgrade();
    await this.#signedIn<Record<string, never>>("signOutEverywhere", "POST", "/account/sign-out-everywhere", {});
    this.#tokens.set(null);
  }

  // -------------------------------------------------------------------------------------------
  // Passkeys, the account, the activity (signed in)

  /** The user's passkeys, oldest first, disabled ones included. */
  async listPasskeys(): Promise<Passkey[]> {
    return (await this.#signedIn<{ credentials: Passkey[] }>("listPasskeys", "GET", "/credentials")).credentials;
  }

  async renamePasskey(credentialId: string, name: string): Promise<UpdatedPasskey> {
    return this.#signedIn<UpdatedPasskey>("renamePasskey", "PATCH", credentialPath(credentialId), { name });
  }

  /** Disables (`false`: it cannot sign in) or enables a passkey. */
  async setPasskeyEnabled(credentialId: string, enabled: boolean): Promise<UpdatedPasskey> {
    return this.#signedIn<UpdatedPasskey>("setPasskeyEnabled", "PATCH", credentialPath(credentialId), { enabled });
  }

  /** Deletes a passkey. Needs a recent sign-in (see `onReauthenticationRequired`). */
  async deletePasskey(credentialId: string): Promise<WithSignals> {
    return this.#signedIn<WithSignals>("deletePasskey", "DELETE", credentialPath(credentialId));
  }

  async account(): Promise<Account> {
    return this.#signedIn<Account>("account", "GET", "/account");
  }

  /** Changes the username and/or the display name. */
  async updateAccount(change: AccountChange): Promise<UpdatedAccount> {
    return this.#signedIn<UpdatedAccount>("updateAccount", "PATCH", "/account", {
      ...(change.username === undefined ? {} : { username: change.username }),
      ...(change.displayName === undefined ? {} : { displayName: change.displayName }),
    });
  }

  /** Deletes the account with every passkey, then empties the store. Needs a recent sign-in. */
  async deleteAccount(): Promise<WithSignals> {
    const deleted = await this.#signedIn<WithSignals>("deleteAccount", "DELETE", "/account");
    this.#cancelUpgrade();
    this.#tokens.set(null);
    return deleted;
  }

  /** One page of the user's security activity, newest first; pass `nextCursor` back as `cursor` for the next. */
  async events(query: EventsQuery = {}): Promise<EventPage> {
    const parameters = new URLSearchParams();
    if (query.limit !== undefined) parameters.set("limit", String(query.limit));
    if (query.cursor !== undefined && query.cursor !== null) parameters.set("cursor", query.cursor);
    const search = parameters.toString();
    return this.#signedIn<EventPage>("events", "GET", search === "" ? "/events" : `/events?${search}`);
  }

  // -------------------------------------------------------------------------------------------
  // Inside

  /** Before an explicit ceremony: WebAuthn must exist, and a pending autofill request must give way. */
  #beginCeremony(): void {
    requireWebAuthn();
    this.cancelAutofill();
  }

  /** Discoverable sign-in's second half: the passkey's user handle names the user the API starts a sign-in for. */
  async #finishDiscoverable(assertion: AuthenticationResponseJSON): Promise<Tokens> {
    const userId = assertion.response.userHandle;
    if (userId === undefined || userId === "") {
      throw new KeyportError("webauthn_failed", "The passkey did not say which account it belongs to (it returned no user handle).");
    }
    const { session } = await this.#request<AuthenticationStartResponse>("POST", "/authentication/start", { body: { userId } });
    return this.#finish({ session, userId, publicKeyCredential: assertion }, userId);
  }

  async #finish(body: Record<string, unknown>, userId: string | undefined): Promise<Tokens> {
    const answer = await this.#request<SignInResponse>("POST", "/authentication/finish", { body });
    const tokens = toTokens(answer, answer.refreshToken, userId);
    this.#tokens.set(tokens);
    return tokens;
  }

  async #refreshOnce(): Promise<Tokens> {
    const tokens = this.#requireTokens();
    let answer: RefreshResponse;
    try {
      answer = await this.#request<RefreshResponse>("POST", "/authentication/refresh", {
        // Naming the user makes the API refuse a refresh token presented for someone else.
        body: { refreshToken: tokens.refreshToken, ...(tokens.userId === undefined ? {} : { userId: tokens.userId }) },
      });
    } catch (error) {
      // The refresh token is refused: that sign-in is over, and nothing stored is of use any more.
      if (error instanceof KeyportError && error.code === "refresh_token_invalid" && this.#tokens.get()?.refreshToken === tokens.refreshToken) {
        this.#tokens.set(null);
      }
      throw error;
    }
    // Rotated: the answer's refresh token replaces the one sent, which is spent. (Only an app client
    // without rotation answers without one; the old one then stays valid.)
    const refreshed = toTokens(answer, answer.refreshToken ?? tokens.refreshToken, tokens.userId);
    // Signed out (or in as someone else) meanwhile: these tokens must not bring the old sign-in back.
    if (this.#tokens.get()?.refreshToken !== tokens.refreshToken) {
      throw new KeyportError("not_signed_in", "The sign-in ended while its tokens were being refreshed.");
    }
    this.#tokens.set(refreshed);
    return refreshed;
  }

  /**
   * Revokes the refresh token, with the ID token beside it so that the sign-out is recorded in the
   * user's activity. The API refuses a sign-out whose ID token does not verify (an expired one
   * included) and then revokes nothing: an ID token past its expiry is left out, and one refused all
   * the same (the clocks disagree) is dropped for a second try, which only goes unrecorded.
   */
  async #sendSignOut(tokens: Tokens): Promise<void> {
    const body = { refreshToken: tokens.refreshToken };
    if (isExpired(tokens.idToken, Date.now())) {
      await this.#request("POST", "/authentication/sign-out", { body });
      return;
    }
    try {
      await this.#request("POST", "/authentication/sign-out", { body, idToken: tokens.idToken });
    } catch (error) {
      if (!isTokenError(error)) throw error;
      await this.#request("POST", "/authentication/sign-out", { body });
    }
  }

  #requireTokens(): Tokens {
    const tokens = this.#tokens.get();
    if (tokens === null) throw new KeyportError("not_signed_in", "Sign in first: there are no tokens for this call.");
    return tokens;
  }

  /**
   * A call as the signed-in user (`Authorization: Bearer <ID token>`). An expired ID token is refreshed
   * once and the call retried; a call that needs a recent sign-in goes through
   * `onReauthenticationRequired` once.
   */
  async #signedIn<T>(operation: string, method: string, path: string, body?: unknown): Promise<T> {
    let tokens = this.#requireTokens();
    let refreshed = false;
    let reauthenticated = false;
    for (;;) {
      try {
        return await this.#request<T>(method, path, { body, idToken: tokens.idToken });
      } catch (error) {
        if (!(error instanceof KeyportError)) throw error;
        if (error.code === "token_expired" && !refreshed) {
          refreshed = true;
          tokens = await this.#tokensNewerThan(tokens);
          continue;
        }
        const hook = this.#onReauthenticationRequired;
        if (error.code === "reauthentication_required" && !reauthenticated && hook !== undefined) {
          reauthenticated = true;
          const proceed = await hook({ operation, error });
          const now = this.#tokens.get();
          // Retried only with a new sign-in of the same user: the action was asked for on that user's account.
          const subject = subjectOf(tokens.idToken);
          if (!proceed || now === null || now.idToken === tokens.idToken || subject === null || subjectOf(now.idToken) !== subject) throw error;
          tokens = now;
          continue;
        }
        throw error;
      }
    }
  }

  /** Tokens fresher than `stale`: another call's refresh may have brought them already. */
  async #tokensNewerThan(stale: Tokens): Promise<Tokens> {
    const current = this.#tokens.get();
    if (current !== null && current.idToken !== stale.idToken) return current;
    return this.refresh();
  }

  /**
   * One call to the API. Any `signals` in the answer go to the browser, whether the call succeeded or
   * not: a sign-in refused for an unknown passkey carries one beside its error.
   */
  async #request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (options.idToken !== undefined) headers["Authorization"] = `Bearer ${options.idToken}`;
    let response: Response;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        headers,
        // The API uses no cookies (docs/api.md, CORS): none are sent.
        credentials: "omit",
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch (cause) {
      // fetch rejects only when no answer came back at all (offline, CORS refused, a bad address).
      throw new KeyportError("network_error", `Could not reach the keyport API at ${this.#baseUrl === "" ? "this site" : this.#baseUrl}.`, { cause });
    }
    const status = response.status;
    const correlationId = response.headers.get("X-Correlation-Id");
    const payload = await readJson(response);
    if (isObject(payload) && Array.isArray(payload["signals"])) this.#sendSignals(payload["signals"]);
    if (!response.ok) {
      const error = isObject(payload) ? payload["error"] : undefined;
      if (isObject(error) && typeof error["code"] === "string") {
        const message = typeof error["message"] === "string" ? error["message"] : error["code"];
        throw new KeyportError(error["code"], message, { status, correlationId });
      }
      throw new KeyportError("unexpected_response", `The API answered ${status} without a keyport error.`, { status, correlationId });
    }
    if (!isObject(payload)) throw new KeyportError("unexpected_response", `The API answered ${status} without a JSON object.`, { status, correlationId });
    return payload as T;
  }

  /**
   * Passes each signal to the browser, where it has the Signal API method for it. Signals are a
   * courtesy to the passkey provider, never a step anyone waits for: a browser without the method keeps
   * its list as it is, and a refusal is of no concern to the person at the screen, so neither is reported.
   */
  #sendSignals(signals: unknown[]): void {
    if (this.#signals === "off") return;
    const api = globalThis.PublicKeyCredential as unknown as Record<string, unknown> | undefined;
    for (const signal of signals) {
      const name = isObject(signal) ? signal["signalName"] : undefined;
      if (typeof name !== "string" || !Object.hasOwn(SIGNAL_METHODS, name)) continue;
      if (typeof api?.[SIGNAL_METHODS[name as Signal["signalName"]]] !== "function") continue;
      try {
        sendSignal(signal as unknown as Signal).catch(() => undefined);
      } catch {
        // Best effort, as above.
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

function requireWebAuthn(): void {
  if (!browserSupportsWebAuthn()) throw new KeyportError("webauthn_unsupported", "This browser does not support passkeys (WebAuthn).");
}

const credentialPath = (credentialId: string): string => `/credentials/${encodeURIComponent(credentialId)}`;

function toTokens(answer: SignInResponse | RefreshResponse, refreshToken: string | undefined, userId: string | undefined): Tokens {
  if (typeof answer.idToken !== "string" || typeof answer.accessToken !== "string" || typeof refreshToken !== "string" || typeof answer.expiresIn !== "number") {
    throw new KeyportError("unexpected_response", "The API's answer does not hold the tokens it should.");
  }
  return {
    idToken: answer.idToken,
    accessToken: answer.accessToken,
    refreshToken,
    expiresAt: Date.now() + answer.expiresIn * 1000,
    ...(userId === undefined || userId === "" ? {} : { userId }),
  };
}

/** The answer's JSON, or `null` when it has none (an empty body, an HTML error page). */
async function readJson(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text === "" ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

/** `conditional`: `navigator.credentials.create` with `mediation: "conditional"` (@simplewebauthn/browser's useAutoRegister). */
async function register(optionsJSON: PublicKeyCredentialCreationOptionsJSON, conditional = false): Promise<RegistrationResponseJSON> {
  try {
    return await startRegistration(conditional ? { optionsJSON, useAutoRegister: true } : { optionsJSON });
  } catch (error) {
    throw ceremonyError(error, "registration");
  }
}

async function authenticate(optionsJSON: PublicKeyCredentialRequestOptionsJSON, useBrowserAutofill = false): Promise<AuthenticationResponseJSON> {
  try {
    return await startAuthentication({ optionsJSON, useBrowserAutofill });
  } catch (error) {
    throw ceremonyError(error, "authentication");
  }
}

const autofillCancelled = (): KeyportError => new KeyportError("ceremony_cancelled", "The autofill passkey request was cancelled.");

/**
 * A WebAuthn failure as a KeyportError. @simplewebauthn/browser keeps the DOMException's name on its
 * WebAuthnError (and its own `code`); the DOMException itself is the `cause`.
 */
function ceremonyError(error: unknown, ceremony: "registration" | "authentication"): KeyportError {
  const name = error instanceof Error ? error.name : undefined;
  const code = isObject(error) || error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (name === "NotAllowedError" || name === "AbortError" || code === "ERROR_CEREMONY_ABORTED") {
    return new KeyportError("ceremony_cancelled", "The passkey request was cancelled, timed out, or found no passkey to use.", { cause: error });
  }
  if (ceremony === "registration" && (name === "InvalidStateError" || code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED")) {
    return new KeyportError("authenticator_already_registered", "This device already holds a passkey for this account.", { cause: error });
  }
  const message = error instanceof Error && error.message !== "" ? error.message : "The passkey request failed.";
  return new KeyportError("webauthn_failed", message, { cause: error });
}
