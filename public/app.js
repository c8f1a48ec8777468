// keyport demo page: passkey sign-up and sign-in against the keyport HTTP API, and the life of a
// passkey after that (list, rename, disable, delete; the account; signing out). With a user pool (its
// meta tags), also password accounts: sign-up and sign-in through Cognito's own API with Amplify,
// a passkey as the second factor when the policy asks for it, and the offer of a passkey afterwards.
// Plain ES module, no build step of its own: every keyport API call and WebAuthn ceremony goes through
// keyport's browser client (`keyport/client`, src/client), which the server bundles as one ES module
// with @simplewebauthn/browser inside (ADR 0022); Cognito calls go through Amplify, bundled the same way.
/* global document, window, HTMLElement, location, URL, localStorage, URLSearchParams, CSS */

import { KeyportClient, KeyportError, decodeJwtClaims, isTokenError } from "./vendor/keyport-client.js";

const REMEMBERED_USER_KEY = "keyport.rememberedUser";

/**
 * The API's base URL. A `<meta name="keyport-api">` set when the page is deployed wins over the
 * default (this page's own origin). `?api=` is honoured only when the page itself runs on
 * localhost: on a public origin it would let a crafted link send this origin's passkey assertions
 * to someone else's server, which could replay them against the real API.
 */
function apiBase() {
  const isLocalPage = ["localhost", "127.0.0.1", "[::1]"].includes(location.hostname);
  const fromQuery = isLocalPage ? httpUrl(new URLSearchParams(location.search).get("api")) : null;
  const fromMeta = document.querySelector('meta[name="keyport-api"]')?.getAttribute("content");
  return (fromQuery || fromMeta || location.origin).replace(/\/+$/, "");
}

function httpUrl(text) {
  try {
    const url = new URL(text ?? "");
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
const API = apiBase();

/**
 * The user pool of password accounts and the second-factor policy, from the page's meta tags (the local
 * server fills them; so does `npm run build:site`), or null when the page has none: passkeys only.
 * The endpoint is resolved against the API's base URL: "/" is the local server, which answers Cognito's
 * API at its root; empty is Cognito's own endpoint in the pool's region.
 */
function passwordSettings() {
  const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute("content")?.trim() ?? "";
  const userPoolId = meta("keyport-user-pool-id");
  const userPoolClientId = meta("keyport-user-pool-client-id");
  if (userPoolId === "" || userPoolClientId === "") return null;
  const endpointText = meta("keyport-user-pool-endpoint");
  let endpoint = null;
  if (endpointText !== "") {
    try {
      endpoint = httpUrl(new URL(endpointText, `${API}/`).href);
    } catch {
      // below: no usable endpoint
    }
    if (endpoint === null) return null; // a pool the page cannot reach: passkeys only
  }
  const policy = meta("keyport-second-factor");
  return { userPoolId, userPoolClientId, endpoint, secondFactor: ["if-enrolled", "required"].includes(policy) ? policy : "off" };
}
const PASSWORDS = passwordSettings();

/**
 * The attestation the server's creation options ask for (its ATTESTATION setting, from the page's
 * `keyport-attestation` meta tag, which the local server fills): "direct" or "enterprise", or null for
 * "none" or a page that was not told.
 */
function attestationSetting() {
  const value = document.querySelector('meta[name="keyport-attestation"]')?.getAttribute("content")?.trim() ?? "";
  return ["direct", "enterprise"].includes(value) ? value : null;
}
const ATTESTATION = attestationSetting();

const $ = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element;
};

/**
 * Who is signed in, as the page shows it: { userId, claims, account, passkeys, how, offerPasskey }.
 * `claims` are the ID token's; `account` and `passkeys` the server's GET /account and GET /credentials
 * answers (null until loaded; `account` stays null for a password user keyport has no record of, and
 * `userId` until keyport has one); `how` is "passkey" or "password"; `offerPasskey` whether the page
 * offers a passkey (after a password sign-in). The tokens themselves are the client's (`tokens`
 * below), in memory only, so they end with the tab; only the non-secret user ID is stored (the
 * remembered user).
 */
let session = null;
let busy = false; // an explicit (button-started) operation is running

/**
 * The client's token store: the page's memory, as the client's default, with the claims table kept
 * up to date when the client refreshes an expired ID token by itself (inside any signed-in call).
 */
const tokens = (() => {
  let current = null;
  return {
    get: () => current,
    set(next) {
      current = next;
      // The same user's new ID token: a refresh. (A sign-in, maybe someone else's, goes through signIn().)
      const claims = next === null ? null : decodeJwtClaims(next.idToken);
      if (claims !== null && session !== null && claims.sub === session.claims?.sub) {
        session.claims = claims;
        renderClaims(claims);
      }
    },
  };
})();

const client = new KeyportClient({ baseUrl: API, tokenStore: tokens });

// ---------------------------------------------------------------------------------------------
// Messages

/** Words for one occasion, when the general ones for an error's code would mislead. */
const wordsFor = new WeakMap();

/**
 * Words for the server's error codes that a person can hit (src/handlers/http/errors.ts has them
 * all); any other code shows the server's own message. The code is shown too, for whoever debugs.
 */
const SERVER_MESSAGES = {
  username_invalid: "Usernames are 1 to 64 letters, digits or symbols, without spaces.",
  display_name_invalid: "Display names are 1 to 64 characters, without invisible or control characters.",
  user_already_exists: "That username is taken. Pick another, or sign in if it is yours.",
  credential_already_registered: "This passkey is already registered.",
  session_not_found: "That passkey request is no longer valid (it was finished or abandoned). Please try again.",
  session_expired: "That took too long. Please try again.",
  origin_mismatch: "The server does not accept passkeys from this page's address (check ALLOWED_ORIGINS).",
  user_not_verified: "Your device did not verify you (PIN, fingerprint or face). Please try again.",
  sign_in_failed: "Your passkey could not be verified, so you are not signed in.",
  sign_in_session_invalid: "That sign-in is no longer valid (it expired or was already used). Please try again.",
  user_id_invalid: "The remembered user is not valid here. Forget it and sign in with a passkey.",
  refresh_token_invalid: "Your session has ended. Please sign in again.",
  too_many_requests: "Too many attempts. Wait a moment and try again.",
  identity_provider_unavailable: "The sign-in service is unavailable. Please try again later.",
  user_creation_failed: "The account could not be created right now. Please try again later.",
  storage_unavailable: "The server cannot reach its storage right now. Please try again later.",
  internal_error: "Something went wrong on the server. Please try again later.",
  username_taken: "That username is taken. Pick another, or sign in if it is yours.",
  credential_not_found: "This passkey is not registered here any more (it may have been removed from your account). Use another passkey, or create an account.",
  credential_disabled: "This passkey is disabled for your account. Sign in with another passkey; you can enable this one again under “Your passkeys”.",
  reauthentication_required: "This needs a sign-in from the last few minutes. Please sign in again.",
  registration_identity_mismatch: "That passkey request belongs to another account. Please try again.",
  passkey_not_found: "That passkey is no longer on your account (it may have been removed in another window).",
  passkey_name_invalid: "Passkey names are 1 to 64 characters, without invisible or control characters.",
  passkey_change_empty: "There was nothing to change.",
  name_taken: "You already have a passkey with that name (names are compared ignoring letter case). Pick another.",
  last_credential: "This is your only working passkey: without it you could not sign in. Add another passkey first.",
  account_change_empty: "There was nothing to change.",
  account_not_found: "Your account no longer exists.",
};

/** A person-readable sentence for anything a ceremony can throw. */
function describeError(error) {
  if (error instanceof KeyportError) return describeKeyportError(error);
  // This page's own errors are written for people.
  if (error?.name === "Error") return error.message;
  return error?.message ? `Something went wrong: ${error.message}` : "Something went wrong.";
}

/**
 * The client's error: the server's codes with the code shown (for whoever debugs), the client's own
 * (no answer, the browser's passkey request) in words alone.
 */
function describeKeyportError(error) {
  switch (error.code) {
    case "network_error":
      return `Could not reach the server at ${API}.`;
    case "ceremony_cancelled":
      // The browser's NotAllowedError covers a cancel, a time-out and a device with no passkey to offer.
      return error.cause?.name === "AbortError" ? "The request was cancelled." : "The request was cancelled or timed out.";
    case "authenticator_already_registered":
      return "This device already has a passkey for this account.";
    case "webauthn_unsupported":
      return "This browser does not support passkeys, so this page cannot sign you in.";
    case "not_signed_in":
      return "You are not signed in.";
    case "unexpected_response":
      return `The server at ${API} gave an answer this page cannot read (HTTP ${error.status}).`;
    case "webauthn_failed":
      // @simplewebauthn/browser keeps the DOMException's name on its WebAuthnError (the cause).
      switch (error.cause?.name) {
        case "SecurityError":
          return "This page's address cannot use passkeys for this site (its RP ID does not match).";
        case "NotSupportedError":
          return "This device cannot make the kind of passkey the server asks for.";
        case "ConstraintError":
          return "This device cannot meet the server's passkey requirements (for example, user verification).";
        default:
          return `Something went wrong: ${error.message}`;
      }
    default: {
      const words = isTokenError(error)
        ? "Your sign-in has expired or is not valid. Please sign in again." // the ID token was refused
        : (wordsFor.get(error) ?? SERVER_MESSAGES[error.code] ?? error.message ?? "The server refused the request.");
      return `${words} (${error.code})`;
    }
  }
}

function showStatus(text, kind = "info") {
  const status = $("status");
  status.textContent = text;
  status.dataset.kind = kind;
}

/** A passkey's name in a sentence. */
const quoted = (name) => `“${name}”`;

/** An answer without its signals (the client gave them to the browser's Signal API already). */
function withoutSignals(payload) {
  const { signals: _signals, ...rest } = payload ?? {};
  return rest;
}

/** Whether an error means the sign-in is over: an ID token or a refresh token the server refused. */
const endsSignIn = (error) => isTokenError(error) || (error instanceof KeyportError && error.code === "refresh_token_invalid");

// ---------------------------------------------------------------------------------------------
// Remembered user (localStorage holds only the user ID and names: no secrets)

function rememberedUser() {
  try {
    const user = JSON.parse(localStorage.getItem(REMEMBERED_USER_KEY) ?? "null");
    return typeof user?.userId === "string" ? user : null;
  } catch {
    return null; // unreadable entry: treat as none
  }
}

function remember(user) {
  localStorage.setItem(REMEMBERED_USER_KEY, JSON.stringify(user));
}

function forgetRememberedUser() {
  localStorage.removeItem(REMEMBERED_USER_KEY);
}

// ---------------------------------------------------------------------------------------------
// Tokens

function usernameOf(claims) {
  return claims.preferred_username ?? claims["cognito:username"] ?? claims.sub;
}

/**
 * The page's session for a sign-in's tokens (the client stored them already). The ID token's claims
 * are for display only: the server verifies the token; the page trusts nothing in it.
 */
function signIn(signedIn, how = null) {
  const claims = decodeJwtClaims(signedIn.idToken) ?? {};
  const sameUser = session?.claims?.sub === claims.sub;
  // Tokens of someone else than the session's user: none of that user's activity may stay on show.
  if (!sameUser) resetActivity();
  const userId = signedIn.userId ?? (sameUser ? session.userId : null);
  session = {
    userId,
    claims,
    account: session?.account ?? null,
    passkeys: session?.passkeys ?? null,
    how: how ?? (sameUser ? session.how : "passkey"),
    offerPasskey: how === null && sameUser ? session.offerPasskey : false,
  };
  // Remembered for a passkey sign-in by user ID: a password user only once keyport knows them.
  if (userId) remember({ userId, username: usernameOf(claims), displayName: claims.name ?? usernameOf(claims) });
}

/** Who the page shows as signed in: the account as the server last described it, else the ID token. */
function currentProfile() {
  const account = session?.account;
  if (account) return { username: account.username, displayName: account.displayName };
  const claims = session?.claims ?? {};
  return { username: usernameOf(claims), displayName: claims.name ?? usernameOf(claims) };
}

/** Ends the session in this page: the client forgets the tokens (the server is not told). */
function endSession() {
  session = null;
  upgrade = null; // an automatic passkey upgrade still pending was for that session
  tokens.set(null);
}

/** Ends the session in this page and forgets the user on this device. */
function dropSession() {
  endSession();
  forgetRememberedUser();
}

// ---------------------------------------------------------------------------------------------
// Rendering

const TIME_CLAIMS = new Set(["iat", "exp", "auth_time", "nbf"]);
const CLAIM_ORDER = ["name", "preferred_username", "cognito:username", "sub", "token_use", "iss", "aud", "iat", "exp"];

/** Dates and times the way the person's browser locale writes them. */
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function formatClaim(name, value) {
  if (TIME_CLAIMS.has(name) && typeof value === "number") {
    return `${value} (${new Date(value * 1000).toLocaleString()})`;
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

function renderClaims(claims) {
  const rank = (name) => (CLAIM_ORDER.includes(name) ? CLAIM_ORDER.indexOf(name) : CLAIM_ORDER.length);
  const names = Object.keys(claims).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const rows = names.map((name) => {
    const row = document.createElement("tr");
    row.dataset.claim = name;
    const key = document.createElement("th");
    key.scope = "row";
    key.textContent = name;
    const value = document.createElement("td");
    value.textContent = formatClaim(name, claims[name]);
    row.append(key, value);
    return row;
  });
  $("claims").querySelector("tbody").replaceChildren(...rows);
}

/** A `<time>` for an ISO 8601 instant, written in the person's locale (the raw value when unreadable). */
function timeElement(iso, format = DATE_TIME) {
  const time = document.createElement("time");
  time.dateTime = iso;
  const date = new Date(iso);
  time.textContent = Number.isNaN(date.getTime()) ? iso : format.format(date);
  return time;
}

function element(tag, { className, text, attributes } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Synced or device-bound, from the authenticator's backup flags (WebAuthn BE and BS). */
function syncDescription(passkey) {
  if (passkey.backedUp) return "Synced: your passkey provider keeps it on all your devices";
  if (passkey.backupEligible) return "Can be synced, but is not backed up yet";
  return "Device-bound: only on the device or security key that made it";
}

const prefersDark = window.matchMedia?.("(prefers-color-scheme: dark)");

/**
 * The authenticator's icon, from the server's catalog. Only a data: image is shown (the page's CSP
 * allows no other image source anyway); as an <img>, an SVG cannot run script.
 */
function authenticatorIcon(authenticator) {
  const icon = authenticator?.icon;
  const source = prefersDark?.matches ? icon?.dark : icon?.light;
  if (typeof source === "string" && source.startsWith("data:image/")) {
    // alt="": the authenticator's name is written beside the icon.
    return element("img", { className: "passkey-icon", attributes: { src: source, alt: "", width: "40", height: "40" } });
  }
  return genericKeyIcon();
}

/** A one-path icon in a 24×24 box, drawn with DOM calls (no markup from strings), hidden from screen readers. */
function pathIcon(className, pathData) {
  const SVG = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", className);
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", pathData);
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}

/** A plain key, for an authenticator without an icon. */
function genericKeyIcon() {
  return pathIcon("passkey-icon passkey-icon-generic", "M7 10a5 5 0 1 1 4.58 4.98L10 16.5H8v2H6v2H3v-3.2l4.4-4.4A5 5 0 0 1 7 10Zm5-2a1.5 1.5 0 1 0 0 .01Z");
}

/**
 * A FIDO certification level as the FIDO Alliance writes it: FIDO_CERTIFIED_L1plus is "FIDO Certified
 * L1+"; null for anything else (the server sends a level only when its metadata knows one).
 */
function certificationLabel(level) {
  const match = typeof level === "string" ? /^FIDO_CERTIFIED(?:_L([1-3])(plus)?)?$/.exec(level) : null;
  if (match === null) return null;
  return match[1] === undefined ? "FIDO Certified" : `FIDO Certified L${match[1]}${match[2] ? "+" : ""}`;
}

/**
 * Whether the passkey's authenticator is verified (its attestation chained to a trusted root, so its
 * model is vouched for) and, when the server's metadata knows it, its FIDO certification level.
 */
function attestationLine(passkey) {
  const verified = passkey.authenticator?.verified === true;
  const line = element("p", { className: "passkey-attestation" }, [
    element("span", {
      className: verified ? "passkey-verified verified" : "passkey-verified",
      text: verified ? "Verified authenticator" : "Authenticator not verified",
      attributes: {
        "data-verified": String(verified),
        title: verified
          ? "Its attestation chains to a root this server trusts: the model shown is the one that made the passkey."
          : "Its model is what the authenticator says it is: nobody this server trusts vouches for it.",
      },
    }),
  ]);
  const level = certificationLabel(passkey.attestation?.certificationLevel);
  if (level !== null) line.append(" · ", element("span", { className: "passkey-certification", text: level }));
  return line;
}

function passkeyItem(passkey, index) {
  const { credentialId, name, enabled } = passkey;
  const inputId = `passkey-name-${index}`;
  const heading = element("h3", { className: "passkey-name", text: name });
  if (!enabled) heading.append(" ", element("span", { className: "badge", text: "Disabled" }));

  const authenticatorName = typeof passkey.authenticator?.name === "string" ? passkey.authenticator.name : "Passkey";
  const meta = element("p", { className: "passkey-meta" }, [
    element("span", { className: "passkey-authenticator", text: authenticatorName }),
    " · ",
    element("span", { className: "passkey-sync", text: syncDescription(passkey) }),
    // An automatic passkey upgrade: the person may not know it is there.
    ...(passkey.registrationMediation === "conditional" ? [" · ", element("span", { className: "passkey-upgrade", text: "Created by your browser after a password sign-in" })] : []),
  ]);
  const attestation = attestationLine(passkey);
  const times = element("p", { className: "passkey-times" }, [
    element("span", { className: "passkey-created" }, ["Created ", timeElement(passkey.createdAt)]),
    " · ",
    element(
      "span",
      { className: "passkey-last-used" },
      passkey.lastUsedAt ? ["Last used ", timeElement(passkey.lastUsedAt)] : ["Never used to sign in"],
    ),
  ]);

  const input = element("input", {
    attributes: { id: inputId, name: "name", type: "text", autocomplete: "off", spellcheck: "false" },
  });
  input.value = name;
  const rename = element("form", { className: "passkey-rename", attributes: { "data-action": "rename" } }, [
    element("label", { text: "Name", attributes: { for: inputId } }),
    element("div", { className: "inline" }, [
      input,
      element("button", { text: "Rename", attributes: { type: "submit", "aria-label": `Rename passkey ${quoted(name)}` } }),
    ]),
  ]);
  const actions = element("div", { className: "actions" }, [
    element("button", {
      text: enabled ? "Disable" : "Enable",
      attributes: { type: "button", "data-action": "toggle", "aria-label": `${enabled ? "Disable" : "Enable"} passkey ${quoted(name)}` },
    }),
    element("button", {
      className: "danger",
      text: "Delete",
      attributes: { type: "button", "data-action": "delete", "aria-label": `Delete passkey ${quoted(name)}` },
    }),
  ]);

  const item = element("li", { className: "passkey" }, [authenticatorIcon(passkey.authenticator), element("div", { className: "passkey-body" }, [heading, meta, attestation, times, rename, actions])]);
  item.dataset.credentialId = credentialId;
  item.dataset.enabled = String(enabled);
  return item;
}

function renderPasskeys() {
  const passkeys = session?.passkeys;
  $("passkeys").replaceChildren(...(passkeys ?? []).map(passkeyItem));
  if (passkeys && passkeys.length === 0) {
    $("passkeys-message").textContent = "Your account has no passkeys here. Add one to sign in with it.";
  } else if (passkeys) {
    $("passkeys-message").textContent = `${passkeys.length === 1 ? "1 passkey" : `${passkeys.length} passkeys`}, oldest first.`;
  }
}

function renderAccount() {
  const { username, displayName } = currentProfile();
  $("account-username").value = username ?? "";
  $("account-display-name").value = displayName ?? "";
  const account = session?.account;
  $("account-since").replaceChildren(...(account ? ["Account created ", timeElement(account.createdAt), "."] : []));
}

// ---------------------------------------------------------------------------------------------
// Recent activity (GET /events): what happened to the account, when, with which passkey, from where

/** Events per page: enough to see the last few sign-ins at a glance; "Show more" pages on. */
const ACTIVITY_PAGE_SIZE = 10;

/** Seconds too: in a security log, which of two sign-ins in one minute came first can matter. */
const EVENT_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const CLOCK_TIME = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });

/**
 * Why a sign-in (or adding a passkey) failed, in words, for the codes the server records in a trail
 * (src/domain/ceremonies/errors.ts). An unknown code gets the general words; the code is kept on the item.
 */
const FAILURE_REASONS = {
  credential_disabled: "this passkey is disabled",
  credential_not_allowed: "this passkey was not one the sign-in asked for",
  credential_already_registered: "this passkey is already registered",
  origin_mismatch: "it came from a web page at an address this site does not accept (a look-alike site?)",
  cross_origin_not_allowed: "it came from inside another site's page",
  rp_id_hash_mismatch: "the passkey answered for another site",
  signature_invalid: "the passkey's signature did not check out",
  counter_not_increased: "the passkey's use counter went backwards (a copy of it may exist)",
  backup_state_invalid: "the passkey reported an impossible backup state",
  backup_eligibility_changed: "the passkey's backup eligibility changed (it may not be the same passkey)",
  public_key_invalid: "the passkey's stored key could not be used",
  user_not_verified: "the device did not verify the person (PIN, fingerprint or face)",
  user_not_present: "nobody confirmed on the device",
  user_handle_mismatch: "the passkey named a different account",
  user_handle_missing: "the passkey did not say which account it belongs to",
  challenge_mismatch: "the answer was for another sign-in request",
  session_not_found: "the request was no longer valid",
  session_expired: "it took too long",
  malformed_response: "the browser's answer was malformed",
  malformed_client_data: "the browser's answer was malformed",
  malformed_authenticator_data: "the passkey's answer was malformed",
  malformed_attestation_object: "the passkey's answer was malformed",
  id_mismatch: "the browser's answer was not a valid passkey answer",
  credential_type_invalid: "the browser's answer was not a valid passkey answer",
  client_data_type_mismatch: "the browser's answer was not a valid passkey answer",
  attestation_statement_invalid: "the new passkey's attestation did not check out",
  attestation_signature_invalid: "the new passkey's attestation did not check out",
  attestation_certificate_invalid: "the new passkey's attestation did not check out",
  authenticator_not_allowed: "the security key is not one this site allows (use one issued by your organisation)",
  algorithm_not_allowed: "the new passkey uses a kind of key this site does not accept",
  account_not_found: "the account no longer existed",
};

const failureReason = (code) => (typeof code === "string" && Object.hasOwn(FAILURE_REASONS, code) ? FAILURE_REASONS[code] : "the passkey's answer was not accepted");

/** The failures, drawn to stand out. */
const FAILURE_TYPES = new Set(["sign_in.failed", "sign_in.failed_suppressed", "registration.failed"]);

/**
 * What happened, in words, for every event type the API has (docs/api.md, GET /events). Each part is
 * a string or a node (times are <time> elements); a type this page does not know yet still shows.
 */
function eventSentence(event) {
  switch (event.type) {
    case "registration.succeeded":
      return ["Account created"];
    case "registration.failed":
      return [`Adding a passkey failed: ${failureReason(event.code)}`];
    case "sign_in.succeeded":
      return ["Signed in"];
    case "sign_in.failed":
      return [`Sign-in failed: ${failureReason(event.code)}`];
    case "sign_in.failed_suppressed":
      return suppressedSentence(event);
    case "passkey.added":
      return ["Passkey added"];
    case "passkey.renamed":
      return [`Passkey renamed from ${quoted(event.previousName)} to ${quoted(event.passkeyName)}`];
    case "passkey.disabled":
      return ["Passkey disabled"];
    case "passkey.enabled":
      return ["Passkey enabled"];
    case "passkey.deleted":
      return ["Passkey deleted"];
    case "account.updated":
      return [accountChange(event.changed)];
    case "account.deleted":
      return ["Account deleted"];
    case "signed_out":
      return ["Signed out"];
    case "signed_out_everywhere":
      return ["Signed out on every device"];
    case "token.refreshed":
      return ["Session renewed (tokens refreshed)"];
    default:
      return [`Other activity (${event.type})`];
  }
}

function accountChange(changed) {
  const username = Array.isArray(changed) && changed.includes("username");
  const displayName = Array.isArray(changed) && changed.includes("displayName");
  if (username && displayName) return "Username and display name changed";
  if (username) return "Username changed";
  if (displayName) return "Display name changed";
  return "Account details changed";
}

/** "N more failed sign-ins between … and …": the failures past the hourly bound, counted on one event. */
function suppressedSentence({ count, windowStart, windowEnd }) {
  const start = new Date(windowStart);
  const end = new Date(windowEnd);
  // The hour's end on the same day as its start needs only its time of day.
  const sameDay = !Number.isNaN(start.getTime()) && start.toDateString() === end.toDateString();
  const n = Number.isInteger(count) ? count : 0;
  return [
    `${n} more failed sign-in${n === 1 ? "" : "s"} between `,
    timeElement(windowStart, EVENT_TIME),
    " and ",
    timeElement(windowEnd, sameDay ? CLOCK_TIME : EVENT_TIME),
  ];
}

/**
 * A short name for the browser behind a User-Agent string ("Chrome on Linux"). A hint, as the string
 * is whatever the client sent; the page keeps the raw string in a title for whoever wants it.
 */
function describeBrowser(userAgent) {
  if (typeof userAgent !== "string" || userAgent.trim() === "") return "An unknown browser or app";
  const ua = userAgent;
  const browser =
    /\bEdg(e|A|iOS)?\//.test(ua) ? "Edge"
    : /\b(OPR|OPT|Opera)\//.test(ua) ? "Opera"
    : /\bSamsungBrowser\//.test(ua) ? "Samsung Internet"
    : /\b(Firefox|FxiOS)\//.test(ua) ? "Firefox"
    : /\bHeadlessChrome\//.test(ua) ? "Headless Chrome"
    : /\bCriOS\//.test(ua) ? "Chrome"
    : /\bChromium\//.test(ua) ? "Chromium"
    : /\bChrome\//.test(ua) ? "Chrome"
    : /\bVersion\/[\d.]+.*\bSafari\//.test(ua) ? "Safari"
    : /^Mozilla\//.test(ua) ? "A web browser"
    : null;
  const system =
    /\b(iPhone|iPod)\b/.test(ua) ? "iPhone"
    : /\biPad\b/.test(ua) ? "iPad"
    : /\bAndroid\b/.test(ua) ? "Android"
    : /\bCrOS\b/.test(ua) ? "ChromeOS"
    : /\bWindows\b/.test(ua) ? "Windows"
    : /\b(Macintosh|Mac OS X)\b/.test(ua) ? "macOS"
    : /\bLinux\b/.test(ua) ? "Linux"
    : null;
  if (browser === null) {
    // Not a browser: a program (curl, a script, an SDK); its first product token names it.
    const program = ua.split(/[\s/;(]/)[0].slice(0, 40);
    return program ? `An app or script (${program})` : "An unknown browser or app";
  }
  return system ? `${browser} on ${system}` : browser;
}

/** A triangle with an exclamation mark: the failure marker beside the words. */
function warningIcon() {
  return pathIcon("activity-marker", "M12 2 1 21h22L12 2Zm-1 7h2v6h-2V9Zm0 8h2v2h-2v-2Z");
}

function activityItem(event) {
  const failed = FAILURE_TYPES.has(event.type);
  const what = element("p", { className: "activity-what" }, [
    // The words say it failed; the sign (hidden from screen readers, which have the words) shows it at a glance.
    ...(failed ? [warningIcon()] : []),
    element("span", { className: "activity-text" }, eventSentence(event)),
  ]);
  const when = element("p", { className: "activity-when" }, [timeElement(event.at, EVENT_TIME)]);
  const lines = [what, when];
  if (typeof event.passkeyName === "string") {
    const passkey = [element("span", { className: "activity-passkey-name", text: quoted(event.passkeyName) })];
    if (typeof event.authenticatorName === "string") {
      passkey.push(" · ", element("span", { className: "activity-authenticator", text: event.authenticatorName }));
    }
    lines.push(element("p", { className: "activity-passkey" }, ["Passkey ", ...passkey]));
  }
  lines.push(activitySource(event));
  const item = element("li", { className: failed ? "activity-item activity-failed" : "activity-item" }, lines);
  item.tabIndex = -1; // "Show more" moves focus to the first older event
  item.dataset.eventId = String(event.eventId);
  item.dataset.type = String(event.type);
  if (typeof event.code === "string") item.dataset.code = event.code;
  return item;
}

/** From which browser and address: the browser described, its User-Agent string in a title. */
function activitySource(event) {
  const { userAgent, sourceIp } = event;
  const hasBrowser = typeof userAgent === "string" && userAgent !== "";
  const hasIp = typeof sourceIp === "string" && sourceIp !== "";
  const line = element("p", { className: "activity-source" });
  if (!hasBrowser && !hasIp) {
    line.textContent = "Browser and network address not known (not through this site's API)";
    return line;
  }
  const browser = element("span", { className: "activity-browser", text: describeBrowser(userAgent) });
  if (hasBrowser) browser.title = userAgent;
  // The overflow event carries the address and browser of the latest failure it counts.
  line.append(event.type === "sign_in.failed_suppressed" ? "Latest from " : "From ", browser);
  if (hasIp) line.append(", network address ", element("span", { className: "activity-ip", text: sourceIp }));
  return line;
}

/**
 * The activity shown: the events loaded so far (newest first) and the cursor of the page after them.
 * `generation` tells an answer that arrives after a newer load (or a sign-out) that it is stale.
 */
let activity = { events: [], nextCursor: null, loaded: false };
let activityGeneration = 0;

function resetActivity() {
  activityGeneration += 1;
  activity = { events: [], nextCursor: null, loaded: false };
}

function renderActivity() {
  const { events, nextCursor, loaded } = activity;
  $("activity").replaceChildren(...events.map(activityItem));
  $("activity-more").hidden = !loaded || nextCursor === null;
  if (loaded) $("activity-message").textContent = events.length === 0 ? "No activity recorded yet." : "";
}

/** One page of the activity: the newest (`cursor` null), or the one after `cursor`. */
const activityPage = (cursor) => client.events({ limit: ACTIVITY_PAGE_SIZE, cursor });

/**
 * Reads the newest page again, after anything that may have recorded an event. The older pages already
 * shown stay (pages are stable): the new page goes on top of them, and an event on both is the new
 * page's (a counted failure's count grows). More new events than a page: the list starts over from them.
 * Never throws: the section says what went wrong, and the rest of the page carries on.
 */
async function refreshActivity() {
  if (!session) return;
  const generation = ++activityGeneration;
  $("activity").setAttribute("aria-busy", "true");
  try {
    const page = await activityPage(null);
    if (generation !== activityGeneration) return;
    const events = Array.isArray(page?.events) ? page.events : [];
    const fresh = new Set(events.map((event) => event.eventId));
    const older = activity.events.filter((event) => !fresh.has(event.eventId));
    const overlaps = older.length < activity.events.length || activity.events.length === 0;
    activity = overlaps && older.length > 0
      ? { events: [...events, ...older], nextCursor: activity.nextCursor, loaded: true }
      : { events, nextCursor: page?.nextCursor ?? null, loaded: true };
    renderActivity();
  } catch (error) {
    if (generation !== activityGeneration) return;
    $("activity-message").textContent = `Your recent activity could not be loaded. ${describeError(error)}`;
  } finally {
    if (generation === activityGeneration) $("activity").setAttribute("aria-busy", "false");
  }
}

/** "Show more": the next older page, added below; focus goes to the first of them. */
async function showMoreActivity() {
  const { nextCursor } = activity;
  if (!session || nextCursor === null) return;
  const generation = ++activityGeneration;
  const button = $("activity-more");
  button.disabled = true;
  $("activity").setAttribute("aria-busy", "true");
  $("activity-message").textContent = "Loading older activity…";
  try {
    const page = await activityPage(nextCursor);
    if (generation !== activityGeneration) return;
    const events = Array.isArray(page?.events) ? page.events : [];
    const known = new Set(activity.events.map((event) => event.eventId));
    const added = events.filter((event) => !known.has(event.eventId));
    activity = { events: [...activity.events, ...added], nextCursor: page?.nextCursor ?? null, loaded: true };
    renderActivity();
    const first = added[0];
    const target = first ? document.querySelector(`#activity li[data-event-id="${CSS.escape(String(first.eventId))}"]`) : null;
    (target ?? $("activity-heading")).focus();
  } catch (error) {
    if (generation !== activityGeneration) return;
    $("activity-message").textContent = `Older activity could not be loaded. ${describeError(error)}`;
  } finally {
    if (generation === activityGeneration) {
      $("activity").setAttribute("aria-busy", "false");
      button.disabled = busy;
    }
  }
}

function render() {
  const signedIn = session !== null;
  $("signed-out").hidden = signedIn;
  $("signed-in").hidden = !signedIn;
  if (signedIn) {
    const { username, displayName } = currentProfile();
    $("user-name").textContent = `${displayName} (${username})`;
    renderClaims(session.claims);
  } else {
    $("passkeys").replaceChildren();
    $("passkeys-message").textContent = "";
    // Nothing of the last user's activity stays in the page (the next user may sign in here).
    resetActivity();
    renderActivity();
    $("activity-message").textContent = "";
  }
  $("passwords").hidden = PASSWORDS === null;
  // While the browser may still create one by itself, the page does not offer one.
  $("passkey-prompt").hidden = !(session?.offerPasskey && upgrade === null && session.passkeys?.length === 0);
  // A password user keyport has no record of has no keyport account to rename or delete (yet).
  $("account-section").hidden = signedIn && session.how === "password" && session.account === null;
  const user = rememberedUser();
  $("remembered").hidden = signedIn || user === null;
  if (user) {
    $("remembered-name").textContent = user.displayName;
    $("remembered-username").textContent = `(${user.username})`;
    $("remembered-button-name").textContent = user.username;
  }
}

function setControlsDisabled(disabled) {
  for (const button of document.querySelectorAll("button")) button.disabled = disabled;
  document.querySelector("main").setAttribute("aria-busy", String(disabled));
}

// ---------------------------------------------------------------------------------------------
// Confirmation dialog

let answerDialog = null; // resolves the question the dialog is asking, if any

/**
 * Asks a yes/no question in a modal dialog; resolves true for the confirm button, false for Cancel or
 * Escape. Focus starts on Cancel, so that Enter alone never confirms something destructive.
 */
function confirmDialog({ title, message, confirm, danger = true }) {
  const dialog = $("confirm");
  $("confirm-title").textContent = title;
  $("confirm-message").textContent = message;
  $("confirm-yes").textContent = confirm;
  $("confirm-yes").className = danger ? "danger" : "primary";
  settleDialog(false); // a question still open (cannot happen while modal, but never leave one hanging)
  dialog.showModal();
  $("confirm-no").focus();
  return new Promise((resolve) => {
    answerDialog = resolve;
  });
}

/** Closes the dialog with an answer. Resolved at the click itself, so the next step starts at once. */
function settleDialog(answer) {
  const resolve = answerDialog;
  answerDialog = null;
  if ($("confirm").open) $("confirm").close();
  resolve?.(answer);
}

// ---------------------------------------------------------------------------------------------
// Conditional UI (passkeys offered in the username field's autofill list)
//
// Browsers allow one WebAuthn request at a time, and the conditional one waits indefinitely: the
// client aborts it before any other ceremony of its own, and the page before any operation at all.

let autofillSupported = false;
/** The pending autofill request (an object of its own, so that a stale one knows it is stale), or null. */
let autofillRequest = null;

function cancelAutofill() {
  autofillRequest = null;
  client.cancelAutofill();
}

/**
 * Offers this device's passkeys in the username field's autofill list while the page is signed out.
 * Once the person picks one, the sign-in runs as any button-started operation does.
 */
async function armAutofill() {
  if (!autofillSupported || session || busy || autofillRequest !== null) return;
  const request = {};
  autofillRequest = request;
  let chosen = false;
  const signingIn = client.signInWithAutofill({
    onPasskeyChosen() {
      chosen = true;
      if (autofillRequest === request) autofillRequest = null;
      void run("Signing you in…", async () => completeSignIn(await signingIn)).then(() => {
        if (session) $("signed-in-heading").focus();
      });
    },
  });
  try {
    await signingIn;
  } catch (error) {
    // Once a passkey was chosen, run() says how the sign-in went. Before: ceremony_cancelled is the
    // request aborted for another ceremony, or closed by the browser without the person asking for
    // anything (no passkey here, say); neither needs a word.
    if (!chosen && !(error instanceof KeyportError && error.code === "ceremony_cancelled")) showStatus(describeError(error), "error");
  } finally {
    if (autofillRequest === request) autofillRequest = null;
  }
}

// ---------------------------------------------------------------------------------------------
// Ceremonies

/** Runs one button-started operation: one at a time, controls disabled, errors shown, autofill re-armed after. */
async function run(progress, operation) {
  if (busy) return;
  busy = true;
  cancelAutofill();
  setControlsDisabled(true);
  showStatus(progress, "progress");
  try {
    await operation();
  } catch (error) {
    // A refused ID or refresh token means the sign-in is over: show the signed-out page.
    // So does one too old for adding a passkey: signing in again is the way on (RFC 9470 step-up).
    if (endsSignIn(error) || (error instanceof KeyportError && error.code === "reauthentication_required")) endSession();
    showStatus(describeError(error), "error");
  } finally {
    // Whatever the operation did, or failed to do, may have recorded an event (a sign-in, a change, a
    // refused sign-in again): the list catches up before the page says it is done.
    if (session) await refreshActivity();
    busy = false;
    setControlsDisabled(false);
    render();
    if (!session) void armAutofill();
  }
}

async function signUp(username, displayName) {
  const { userId } = await client.signUp({ username, displayName });
  // Sign-up creates the account and its passkey but issues no tokens; signing in is one more tap.
  remember({ userId, username, displayName });
  showStatus(`Account created for ${username}. Sign in with your new passkey.`, "success");
  $("sign-up-form").reset();
}

// ---------------------------------------------------------------------------------------------
// Password accounts (only with a user pool): Cognito's own API through Amplify, then keyport's client
//
// Amplify signs the person up and in, and answers keyport's custom challenge with a passkey when the
// second-factor policy asks for one; its tokens then go to keyport's client, which holds the sign-in
// from there on (adding a passkey, refreshing, signing out), as after a passkey sign-in.

/** Amplify's token storage: this page's memory (not its default localStorage), and only until the tokens are handed over. */
const amplifyMemory = (() => {
  const items = new Map();
  return {
    setItem: async (key, value) => void items.set(key, value),
    getItem: async (key) => items.get(key) ?? null,
    removeItem: async (key) => void items.delete(key),
    clear: async () => items.clear(),
  };
})();

let amplifyModule = null;

/** Amplify's Auth category (vendor/amplify-auth.js, about 160 KB), loaded and configured for the page's user pool on first use. */
async function amplifyAuth() {
  if (amplifyModule !== null) return amplifyModule;
  const auth = await import("./vendor/amplify-auth.js");
  const { userPoolId, userPoolClientId, endpoint } = PASSWORDS;
  // A pool at an endpoint of its own (the local server's) is this page's setting, not a mistake for Amplify to warn of.
  if (endpoint !== null) auth.ConsoleLogger.LOG_LEVEL = "ERROR";
  auth.Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId, ...(endpoint === null ? {} : { userPoolEndpoint: endpoint }) } } });
  auth.cognitoUserPoolsTokenProvider.setKeyValueStorage(amplifyMemory);
  amplifyModule = auth;
  return auth;
}

/** Cognito's exceptions (Amplify's errors carry their names) that a person can hit, in words. */
const COGNITO_MESSAGES = {
  UsernameExistsException: "That username is taken in the user pool. Pick another, or sign in if it is yours.",
  UserNotFoundException: "Incorrect username or password.",
  TooManyRequestsException: "Too many attempts. Wait a moment and try again.",
  LimitExceededException: "Too many attempts. Wait a moment and try again.",
  UserNotConfirmedException: "This account is not confirmed yet (the user pool sent a code), and this demo cannot confirm it.",
  PasswordResetRequiredException: "The user pool asks for a new password for this account, which this demo cannot set.",
  UserAlreadyAuthenticatedException: "Someone is already signed in through the user pool in this page. Reload the page and try again.",
  EmptySignInUsername: "Type your username.",
  EmptySignInPassword: "Type your password.",
  EmptySignUpUsername: "Choose a username.",
  EmptySignUpPassword: "Choose a password.",
};

/**
 * A person-readable error for what Amplify threw at `stage` ("sign-up", "password" or "passkey"); a
 * KeyportError (the passkey's own failure) as it is. The exception's name is shown too, for whoever debugs.
 */
function cognitoError(error, stage) {
  if (error instanceof KeyportError || !(error instanceof Error) || error.name === "Error") return error;
  let words = COGNITO_MESSAGES[error.name];
  if (error.name === "NetworkError") words = `Could not reach the user pool${PASSWORDS.endpoint === null ? "" : ` at ${PASSWORDS.endpoint}`}.`;
  if (error.name === "InvalidPasswordException") words = `Choose a stronger password: ${error.message.replace(/^Password did not conform with policy: /, "")}.`;
  if (error.name === "NotAuthorizedException") {
    if (stage === "passkey") words = "Your passkey could not be verified, so you are not signed in.";
    else if (stage === "password" && PASSWORDS.secondFactor === "required") {
      // Cognito says no more than this whether the password was wrong or the account has no passkey.
      words = "Incorrect username or password, or your account has no passkey: this site asks for a passkey after the password, so an account without one cannot sign in with its password. Sign in with a passkey instead.";
    } else if (stage === "password") words = "Incorrect username or password.";
  }
  const plain = new Error(`${(words ?? error.message) || "The user pool refused the request."} (${error.name})`);
  plain.cause = error;
  return plain;
}

/** The passkey's answer to keyport's custom challenge, from the request options in its parameters. */
async function passkeyAnswer(auth, challengeParameters) {
  let optionsJSON = null;
  try {
    optionsJSON = JSON.parse(challengeParameters?.credentialRequestOptions ?? "null");
  } catch {
    // not keyport's challenge: below
  }
  if (optionsJSON === null || typeof optionsJSON !== "object") {
    throw new Error("The user pool asked for a challenge this page does not know (not keyport's passkey challenge).");
  }
  try {
    return await auth.startAuthentication({ optionsJSON });
  } catch (error) {
    const name = error?.name;
    const code = name === "NotAllowedError" || name === "AbortError" || error?.code === "ERROR_CEREMONY_ABORTED" ? "ceremony_cancelled" : "webauthn_failed";
    throw new KeyportError(code, error?.message || "The passkey request failed.", { cause: error });
  }
}

/**
 * The tokens of Amplify's sign-in, for keyport's client. Amplify's copy is cleared: keyport's client
 * holds the sign-in from here on, and Amplify is free to sign someone in again.
 */
async function takeTokensFromAmplify(auth) {
  const store = auth.cognitoUserPoolsTokenProvider.authTokenStore;
  const cognito = await store.loadTokens();
  await store.clearTokens();
  const idToken = cognito?.idToken?.toString();
  const accessToken = cognito?.accessToken?.toString();
  const refreshToken = cognito?.refreshToken;
  if (!idToken || !accessToken || !refreshToken) throw new Error("The user pool signed you in without an ID, access or refresh token.");
  const exp = decodeJwtClaims(idToken)?.exp;
  const signedIn = { idToken, accessToken, refreshToken, expiresAt: typeof exp === "number" ? exp * 1000 : Date.now() };
  tokens.set(signedIn);
  return signedIn;
}

/** Sign-up with a password, in the user pool (the local one confirms the user at once). */
async function signUpWithPassword(username, displayName, password) {
  const auth = await amplifyAuth();
  let result;
  try {
    result = await auth.signUp({ username, password, options: { userAttributes: { name: displayName } } });
  } catch (error) {
    throw cognitoError(error, "sign-up");
  }
  if (!result.isSignUpComplete && result.nextStep?.signUpStep === "CONFIRM_SIGN_UP") {
    throw new Error("The user pool sent a confirmation code, which this demo cannot take: confirm the user in the pool, then sign in.");
  }
  showStatus(`Account created for ${username}. Sign in with your password.`, "success");
  $("password-sign-up-form").reset();
  $("password-sign-in-username").value = username;
}

/**
 * Sign-in with a password (SRP: the password never leaves the page). With a second-factor policy the
 * app client allows no password-only flow, so it is custom authentication started with SRP: after the
 * password, keyport's DefineAuthChallenge asks for a passkey when the account has one (or, under
 * `required`, ends the sign-in when it has none), and the passkey's answer goes back with confirmSignIn.
 */
async function signInWithPassword(username, password) {
  const auth = await amplifyAuth();
  let stage = "password";
  let usedPasskey = false;
  try {
    const authFlowType = PASSWORDS.secondFactor === "off" ? "USER_SRP_AUTH" : "CUSTOM_WITH_SRP";
    let result = await auth.signIn({ username, password, options: { authFlowType } });
    if (result.nextStep.signInStep === "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE") {
      stage = "passkey";
      showStatus("Password accepted. Now confirm with your passkey…", "progress");
      const assertion = await passkeyAnswer(auth, result.nextStep.additionalInfo);
      result = await auth.confirmSignIn({ challengeResponse: JSON.stringify(assertion) });
      usedPasskey = true;
    }
    if (result.nextStep.signInStep !== "DONE") throw new Error(`The user pool asked for a step this page cannot take (${result.nextStep.signInStep}).`);
  } catch (error) {
    throw cognitoError(error, stage);
  }
  signIn(await takeTokensFromAmplify(auth), "password");
  $("password-sign-in-form").reset();
  await loadAccount();
  showStatus(usedPasskey ? "Signed in with your password and your passkey." : "Signed in with your password.", "success");
  if (session.passkeys?.length === 0) {
    session.offerPasskey = true;
    void upgradeToPasskey(); // before run() draws the page: no prompt while the browser is asked
  }
}

/** The automatic passkey upgrade under way (an object of its own, so that a stale one knows it is stale), or null. */
let upgrade = null;

/** Whether the browser can create a passkey without a prompt, after a password sign-in (WebAuthn L3 conditional create). */
async function supportsConditionalCreate() {
  try {
    return (await window.PublicKeyCredential?.getClientCapabilities?.())?.conditionalCreate === true;
  } catch {
    return false;
  }
}

/**
 * After a password sign-in to an account without a passkey: the browser is asked to create one by
 * itself (no prompt; it does so only when the person just used a password it saved, and may never
 * answer), where it can; where it cannot, or declines, the page offers one ("Create a passkey for
 * faster sign-in"). Any other ceremony of the client aborts the request.
 */
async function upgradeToPasskey() {
  const request = {};
  upgrade = request;
  try {
    if (!(await supportsConditionalCreate())) return;
    if (upgrade !== request) return; // signed out meanwhile
    await client.addPasskey({ mediation: "conditional" });
    if (upgrade !== request) return;
    await loadAccount();
    showStatus("Your browser created a passkey for this account: next time, sign in with it instead of your password.", "success");
  } catch {
    // Declined, aborted for another ceremony, or refused: the prompt offers one instead.
  } finally {
    if (upgrade === request) {
      upgrade = null;
      render();
    }
  }
}

/**
 * The signed-in user's account and passkeys. Not being able to list them does not undo the sign-in:
 * the section says what went wrong, and a refused ID or refresh token (the sign-in is over) ends the session.
 */
async function loadAccount() {
  $("passkeys-message").textContent = "Loading your passkeys…";
  try {
    const [account, credentials] = session.how === "password" ? await passwordUserAccount() : await Promise.all([client.account(), client.listPasskeys()]);
    session.account = account;
    session.passkeys = credentials;
    if (account !== null) knowUser(account.userId);
    renderPasskeys();
  } catch (error) {
    if (endsSignIn(error)) throw error;
    session.passkeys = null;
    renderPasskeys();
    $("passkeys-message").textContent = `Your passkeys could not be loaded. ${describeError(error)}`;
  }
  renderAccount();
}

/**
 * A password user's account and passkeys: without a passkey, keyport has no record of them (it makes
 * one with their first passkey), so the account is not asked for (a 404); the user pool's user is all
 * there is, and the page shows the ID token's names.
 */
async function passwordUserAccount() {
  const credentials = await client.listPasskeys();
  return [credentials.length === 0 ? null : await client.account(), credentials];
}

/**
 * keyport's user ID of the signed-in user, once known (a password user's from their account): the page
 * remembers the user for a passkey sign-in next time, and the client names the user in refreshes.
 */
function knowUser(userId) {
  if (session === null || session.userId === userId) return;
  session.userId = userId;
  const { claims } = session;
  remember({ userId, username: session.account?.username ?? usernameOf(claims), displayName: session.account?.displayName ?? claims.name ?? usernameOf(claims) });
  const current = tokens.get();
  if (current !== null && current.userId === undefined) tokens.set({ ...current, userId });
}

async function completeSignIn(signedIn) {
  signIn(signedIn, "passkey");
  await loadAccount();
  showStatus("Signed in with your passkey.", "success");
}

/** Discoverable sign-in: the passkey names the user (its user handle); the server then opens a session for that user. */
async function signInWithAnyPasskey() {
  await completeSignIn(await client.signIn());
}

/**
 * Identifier-first sign-in: the server lists the passkeys of the account with this username (or, for a
 * username nobody has, passkeys nobody has: the answer does not tell which), and the browser asks for one.
 */
async function signInWithUsername(username) {
  await completeSignIn(await client.signInWithUsername(username));
}

/** The sign-in form: the username when one is typed, else any passkey on this device. */
async function signInFromForm() {
  const username = $("sign-in-username").value.trim();
  if (username === "") return signInWithAnyPasskey();
  await signInWithUsername(username);
  $("sign-in-form").reset();
  labelSignInButton();
}

/** "Continue" when a username is typed (identifier-first), "Sign in with a passkey" when the field is empty. */
function labelSignInButton() {
  $("sign-in-passkey").textContent = $("sign-in-username").value.trim() === "" ? "Sign in with a passkey" : "Continue";
}

/** Username-first sign-in for the remembered user: the server lists that user's passkeys. */
async function signInAsRemembered() {
  const user = rememberedUser();
  if (!user) throw new Error("No user is remembered on this device.");
  await completeSignIn(await client.signInWithUserId(user.userId));
}

/** Adds a passkey for the signed-in user; the server's excludeCredentials stops a second one on the same authenticator. */
async function addPasskey() {
  try {
    // The client starts with the ID token and finishes with it too: the same user finishes what they started.
    await client.addPasskey();
  } catch (error) {
    if (error instanceof KeyportError && error.code === "reauthentication_required") {
      wordsFor.set(error, "To add a passkey, sign in again first: your last sign-in was more than a few minutes ago.");
    }
    throw error;
  }
  await loadAccount();
  showStatus("Passkey added. You can now sign in with it on this device.", "success");
}

async function refreshTokens() {
  // Refresh tokens are rotated: the client keeps the answer's refresh token in place of the spent one.
  signIn(await client.refresh());
  showStatus(`Tokens refreshed. The new ID token expires at ${new Date(session.claims.exp * 1000).toLocaleTimeString()}.`, "success");
}

/**
 * Signs out: the server revokes this session's refresh token (the client sends the ID token with it,
 * while it is valid, so that the sign-out is recorded in the user's activity), then the page forgets
 * the session and the user on this device. The page forgets them even when the server could not be
 * told, and says so.
 */
async function signOut() {
  let problem = null;
  try {
    await client.signOut();
  } catch (error) {
    problem = error;
  }
  dropSession();
  if (problem) {
    showStatus(`Signed out on this device, but the server could not end the session: ${describeError(problem)}`, "error");
  } else {
    showStatus("Signed out.", "info");
  }
}

/** Ends every session of the user (every refresh token, every device), then this one. */
async function signOutEverywhere() {
  await client.signOutEverywhere();
  dropSession();
  showStatus("Signed out on every device. Sign in again with your passkey.", "info");
}

// ---------------------------------------------------------------------------------------------
// Your passkeys and your account

/** The passkey with this ID in the list, or null. */
function passkeyById(credentialId) {
  return session?.passkeys?.find((passkey) => passkey.credentialId === credentialId) ?? null;
}

/** The server's new version of one passkey replaces the old in the list. */
function replacePasskey(updated) {
  session.passkeys = (session.passkeys ?? []).map((passkey) => (passkey.credentialId === updated.credentialId ? updated : passkey));
  renderPasskeys();
}

async function renamePasskey(credentialId, name) {
  const updated = withoutSignals(await client.renamePasskey(credentialId, name));
  replacePasskey(updated);
  showStatus(`Passkey renamed to ${quoted(updated.name)}.`, "success");
}

async function togglePasskey(credentialId) {
  const passkey = passkeyById(credentialId);
  if (!passkey) throw new Error("That passkey is no longer listed. Reload the page to see your passkeys.");
  const updated = withoutSignals(await client.setPasskeyEnabled(credentialId, !passkey.enabled));
  replacePasskey(updated);
  showStatus(
    updated.enabled
      ? `Passkey ${quoted(updated.name)} enabled: it can sign in again.`
      : `Passkey ${quoted(updated.name)} disabled: it cannot sign in until you enable it again.`,
    "success",
  );
}

/** Signs the current user in again with a passkey, username-first (for an action that needs a recent sign-in). */
async function signInAgain() {
  const userId = session.userId ?? session.account?.userId;
  if (!userId) throw new Error("This page does not know your user ID. Sign out and sign in with your passkey.");
  signIn(await client.signInWithUserId(userId));
}

/**
 * Runs an action that needs a recent sign-in. When the server answers reauthentication_required, the
 * page asks the person to sign in again to confirm, signs in with a passkey, and tries once more.
 */
async function withRecentSignIn(progress, what, action) {
  let signInNeeded = false;
  await run(progress, async () => {
    try {
      await action();
    } catch (error) {
      if (!(error instanceof KeyportError && error.code === "reauthentication_required")) throw error;
      signInNeeded = true;
      showStatus(`Sign in again to confirm ${what}.`, "info");
    }
  });
  if (!signInNeeded || !session) return;
  const confirmed = await confirmDialog({
    title: "Sign in again to confirm",
    message: `Your last sign-in was more than a few minutes ago. To confirm ${what}, sign in again with your passkey.`,
    confirm: "Sign in and continue",
    danger: false,
  });
  if (!confirmed) {
    showStatus(`Nothing was changed: ${what} needs a recent sign-in.`, "info");
    return;
  }
  await run("Waiting for your passkey…", async () => {
    await signInAgain();
    showStatus(progress, "progress");
    await action();
  });
}

async function deletePasskey(credentialId) {
  const passkey = passkeyById(credentialId);
  if (!passkey) return; // the list is drawn from the same data: not reached
  const confirmed = await confirmDialog({
    title: `Delete ${quoted(passkey.name)}?`,
    message: "You will no longer be able to sign in with this passkey. Your device may keep showing it until your passkey manager catches up.",
    confirm: "Delete passkey",
  });
  if (!confirmed) return;
  await withRecentSignIn(`Deleting ${quoted(passkey.name)}…`, `deleting ${quoted(passkey.name)}`, async () => {
    await client.deletePasskey(credentialId);
    await loadAccount();
    showStatus(`Passkey ${quoted(passkey.name)} deleted.`, "success");
  });
}

async function saveAccount() {
  const current = currentProfile();
  const username = $("account-username").value.trim();
  const displayName = $("account-display-name").value.trim();
  const change = {};
  if (username !== current.username) change.username = username;
  if (displayName !== current.displayName) change.displayName = displayName;
  if (Object.keys(change).length === 0) {
    showStatus("Nothing to save: your username and display name are as they were.", "info");
    return;
  }
  const account = withoutSignals(await client.updateAccount(change));
  session.account = account;
  const remembered = rememberedUser();
  if (remembered) remember({ ...remembered, username: account.username, displayName: account.displayName });
  renderAccount();
  showStatus("Your account details are saved.", "success");
}

async function deleteAccount() {
  const { username } = currentProfile();
  const confirmed = await confirmDialog({
    title: "Delete your account?",
    message: `This deletes the account ${username} and every passkey registered for it here. You will not be able to sign in to it again. This cannot be undone.`,
    confirm: "Delete account",
  });
  if (!confirmed) return;
  await withRecentSignIn("Deleting your account…", "deleting your account", async () => {
    await client.deleteAccount();
    dropSession();
    showStatus(`Your account ${username} is deleted, with all its passkeys.`, "info");
  });
}

// ---------------------------------------------------------------------------------------------
// Wiring

/**
 * Runs `operation` as `run` does. Then `focus` may name where focus goes, so that keyboard and
 * screen-reader users land on what appeared; else it returns to the control that had it, which
 * lost it while disabled.
 */
async function act(progress, operation, focus) {
  const before = document.activeElement;
  await run(progress, operation);
  const target = focus?.() ?? (before instanceof HTMLElement && before.isConnected && before.offsetParent !== null ? before : null);
  target?.focus();
}

/** Runs `operation` on `event` (see `act`). */
function on(id, event, progress, operation, focus) {
  $(id).addEventListener(event, (e) => {
    e.preventDefault();
    void act(progress, operation, focus);
  });
}

/** After a change of view, its heading or main button; otherwise focus stays where it was. */
function focusView(wasSignedIn) {
  return () => (wasSignedIn === (session !== null) ? null : session ? $("signed-in-heading") : $("sign-in-passkey"));
}

/** The same control of the same passkey after the list was drawn again (its elements are new). */
function passkeyControl(credentialId, selector) {
  return () => {
    const item = document.querySelector(`li.passkey[data-credential-id="${CSS.escape(credentialId)}"]`);
    return item?.querySelector(selector) ?? null;
  };
}

/** The passkey list's controls, one listener each for clicks and submits (the items come and go). */
function wirePasskeyList() {
  const list = $("passkeys");
  const credentialIdOf = (target) => target.closest("li.passkey")?.dataset.credentialId ?? null;
  list.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLElement) || form.dataset.action !== "rename") return;
    event.preventDefault();
    const credentialId = credentialIdOf(form);
    if (credentialId === null) return;
    const name = form.querySelector("input").value;
    void act("Renaming your passkey…", () => renamePasskey(credentialId, name), passkeyControl(credentialId, "input"));
  });
  list.addEventListener("click", (event) => {
    const button = event.target instanceof HTMLElement ? event.target.closest("button[data-action]") : null;
    if (!button || busy) return;
    const credentialId = credentialIdOf(button);
    if (credentialId === null) return;
    if (button.dataset.action === "toggle") {
      void act("Saving…", () => togglePasskey(credentialId), passkeyControl(credentialId, 'button[data-action="toggle"]'));
    } else if (button.dataset.action === "delete") {
      void deletePasskey(credentialId).then(() => {
        // The passkey is gone (or its Delete button is still there, when it was not deleted).
        (passkeyControl(credentialId, 'button[data-action="delete"]')() ?? (session ? $("passkeys-heading") : $("sign-in-passkey"))).focus();
      });
    }
  });
}

/** The password forms, and the passkey offered after a password sign-in. */
function wirePasswords() {
  $("password-sign-in-hint").textContent = {
    off: "Your password alone signs you in. Add a passkey afterwards to sign in without it.",
    "if-enrolled": "If your account has a passkey, you confirm with it after your password.",
    required: "This site asks for your passkey after your password: an account without one cannot sign in with its password.",
  }[PASSWORDS.secondFactor];
  on(
    "password-sign-up-form",
    "submit",
    "Creating your account…",
    () => signUpWithPassword($("password-sign-up-username").value.trim(), $("password-sign-up-display-name").value.trim(), $("password-sign-up-password").value),
    () => ($("status").dataset.kind === "success" ? $("password-sign-in-password") : null), // signing in is the next step
  );
  on(
    "password-sign-in-form",
    "submit",
    "Signing in with your password…",
    () => signInWithPassword($("password-sign-in-username").value.trim(), $("password-sign-in-password").value),
    focusView(false),
  );
  on("create-passkey", "click", "Creating a passkey…", addPasskey, () => (session ? $("passkeys-heading") : null));
  $("dismiss-passkey-prompt").addEventListener("click", () => {
    if (session === null) return;
    session.offerPasskey = false;
    render();
    $("signed-in-heading").focus();
  });
}

/** Says, when the server asks authenticators for their attestation, what that means for a new passkey. */
function showAttestationNotice() {
  if (ATTESTATION === null) return;
  $("attestation-notice").textContent =
    ATTESTATION === "enterprise"
      ? "This server asks for enterprise attestation (ATTESTATION=enterprise): on a managed device, your organisation's security key may tell this site which device it is. Each passkey shows whether its authenticator is verified."
      : "This server asks each new passkey's authenticator for its attestation (ATTESTATION=direct): your browser may ask whether to share your security key's make and model. Each passkey shows whether its authenticator is verified.";
  $("attestation-notice").hidden = false;
}

async function main() {
  $("api-base").textContent = API;
  showAttestationNotice();
  render();
  if (!KeyportClient.supportsWebAuthn()) {
    showStatus("This browser does not support passkeys, so this page cannot sign you in.", "error");
    setControlsDisabled(true);
    return;
  }

  on(
    "sign-up-form",
    "submit",
    "Creating your passkey…",
    () => signUp($("sign-up-username").value.trim(), $("sign-up-display-name").value.trim()),
    () => ($("status").dataset.kind === "success" ? $("sign-in-remembered") : null), // signing in is the next step
  );
  on("sign-in-form", "submit", "Waiting for your passkey…", signInFromForm, focusView(false));
  if (PASSWORDS !== null) wirePasswords();
  $("sign-in-username").addEventListener("input", labelSignInButton);
  on("sign-in-remembered", "click", "Waiting for your passkey…", signInAsRemembered, focusView(false));
  on("add-passkey", "click", "Creating a new passkey…", addPasskey, focusView(true));
  on("refresh", "click", "Refreshing tokens…", refreshTokens, focusView(true));
  on("sign-out", "click", "Signing out…", signOut, focusView(true));
  on("sign-out-everywhere", "click", "Signing out everywhere…", signOutEverywhere, focusView(true));
  on("account-form", "submit", "Saving your account details…", saveAccount);
  $("delete-account").addEventListener("click", () => {
    if (busy) return;
    void deleteAccount().then(() => (session ? $("delete-account") : $("sign-up-username")).focus());
  });
  wirePasskeyList();
  $("activity-more").addEventListener("click", () => {
    if (!busy) void showMoreActivity();
  });
  $("confirm-yes").addEventListener("click", () => settleDialog(true));
  $("confirm-no").addEventListener("click", () => settleDialog(false));
  // Escape closes the dialog without a click. (A close event comes a task after close(): by then the
  // dialog may be asking its next question, which that late event must not answer.)
  $("confirm").addEventListener("close", () => {
    if (!$("confirm").open) settleDialog(false);
  });
  prefersDark?.addEventListener?.("change", renderPasskeys); // icons come in light and dark
  $("forget-user").addEventListener("click", () => {
    forgetRememberedUser();
    render();
    showStatus("This device no longer remembers that user. Your passkey is still on the device.", "info");
  });

  autofillSupported = await KeyportClient.supportsAutofill();
  document.body.dataset.ready = "true"; // lets tests wait for the handlers above
  void armAutofill();
}

void main();
