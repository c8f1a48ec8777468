// keyport demo page: passkey sign-up and sign-in against the keyport HTTP API.
// Plain ES module, no build step; @simplewebauthn/browser comes from its UMD bundle (global below).
/* global document, HTMLElement, location, URL, localStorage, fetch, atob, TextDecoder, URLSearchParams, SimpleWebAuthnBrowser */

const {
  startRegistration,
  startAuthentication,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  WebAuthnAbortService,
} = SimpleWebAuthnBrowser;

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

const $ = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element;
};

/** Tokens live in memory only, so they end with the tab; only the non-secret user ID is stored. */
let session = null; // { accessToken, idToken, refreshToken, expiresIn, userId, claims }
let busy = false; // an explicit (button-started) operation is running

// ---------------------------------------------------------------------------------------------
// Messages

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

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
  internal_error: "Something went wrong on the server. Please try again later.",
  username_taken: "That username is taken. Pick another, or sign in if it is yours.",
  passkey_not_found: "This passkey is not registered here any more (it may have been removed from your account). Use another passkey, or create an account.",
  reauthentication_required: "To add a passkey, sign in again first: your last sign-in was more than a few minutes ago.",
  registration_identity_mismatch: "That passkey request belongs to another account. Please try again.",
};

/** A person-readable sentence for anything a ceremony can throw. */
function describeError(error) {
  if (error instanceof ApiError) {
    const words = error.code.startsWith("token_")
      ? "Your sign-in has expired or is not valid. Please sign in again." // the ID token was refused
      : (SERVER_MESSAGES[error.code] ?? error.message ?? "The server refused the request.");
    return `${words} (${error.code})`;
  }
  // @simplewebauthn/browser keeps the DOMException's name on its WebAuthnError.
  switch (error?.name) {
    case "InvalidStateError":
      return "This device already has a passkey for this account.";
    case "NotAllowedError":
      return "The request was cancelled or timed out.";
    case "AbortError":
      return "The request was cancelled.";
    case "SecurityError":
      return "This page's address cannot use passkeys for this site (its RP ID does not match).";
    case "NotSupportedError":
      return "This device cannot make the kind of passkey the server asks for.";
    case "ConstraintError":
      return "This device cannot meet the server's passkey requirements (for example, user verification).";
    case "Error": // this page's own errors are written for people
      return error.message;
    default:
      return error?.message ? `Something went wrong: ${error.message}` : "Something went wrong.";
  }
}

function showStatus(text, kind = "info") {
  const status = $("status");
  status.textContent = text;
  status.dataset.kind = kind;
}

// ---------------------------------------------------------------------------------------------
// API

async function api(path, body, idToken) {
  const headers = { "Content-Type": "application/json" };
  if (idToken) headers.Authorization = `Bearer ${idToken}`;
  let response;
  try {
    response = await fetch(`${API}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  } catch {
    // fetch rejects only when no answer came back at all (network down, CORS refused, bad URL).
    throw new Error(`Could not reach the server at ${API}.`);
  }
  const payload = await response.json().catch(() => null);
  if (!response.ok) {
    const error = payload?.error;
    throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message);
  }
  return payload;
}

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

// ---------------------------------------------------------------------------------------------
// Tokens

/** The ID token's payload, for display only: the server verified it; the page trusts nothing in it. */
function decodeJwtPayload(jwt) {
  const part = jwt.split(".")[1];
  if (!part) throw new Error("The ID token is not a JWT.");
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)); // UTF-8: names need not be ASCII
}

function usernameOf(claims) {
  return claims.preferred_username ?? claims["cognito:username"] ?? claims.sub;
}

function signIn(tokens, userId) {
  const claims = decodeJwtPayload(tokens.idToken);
  session = { ...tokens, userId, claims };
  remember({ userId, username: usernameOf(claims), displayName: claims.name ?? usernameOf(claims) });
}

// ---------------------------------------------------------------------------------------------
// Rendering

const TIME_CLAIMS = new Set(["iat", "exp", "auth_time", "nbf"]);
const CLAIM_ORDER = ["name", "preferred_username", "cognito:username", "sub", "token_use", "iss", "aud", "iat", "exp"];

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

function render() {
  const signedIn = session !== null;
  $("signed-out").hidden = signedIn;
  $("signed-in").hidden = !signedIn;
  if (signedIn) {
    const { claims } = session;
    $("user-name").textContent = `${claims.name ?? usernameOf(claims)} (${usernameOf(claims)})`;
    renderClaims(claims);
  }
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
// Conditional UI (passkeys offered in the username field's autofill list)
//
// Browsers allow one WebAuthn request at a time, and the conditional one waits indefinitely, so
// every explicit ceremony first aborts it. The generation counter tells a request that finishes
// (or whose options arrive) after it was superseded that it is stale.

let autofillSupported = false;
let autofillGeneration = 0;
let autofillPending = false;

function cancelAutofill() {
  autofillGeneration += 1;
  autofillPending = false;
  WebAuthnAbortService.cancelCeremony();
}

async function armAutofill() {
  if (!autofillSupported || session || busy || autofillPending) return;
  autofillPending = true;
  const generation = ++autofillGeneration;
  try {
    const { credentialRequestOptions } = await api("/authentication/discover", {});
    if (generation !== autofillGeneration) return; // a button was pressed while we waited
    const assertion = await startAuthentication({ optionsJSON: credentialRequestOptions, useBrowserAutofill: true });
    if (generation !== autofillGeneration) return;
    await run("Signing you in…", () => finishDiscoverable(assertion));
    if (session) $("signed-in-heading").focus();
  } catch (error) {
    // Aborted because another ceremony started: expected. NotAllowedError: the browser closed the
    // request without the person asking for anything (no passkey here, say). Neither needs a word.
    if (generation !== autofillGeneration || error?.code === "ERROR_CEREMONY_ABORTED" || error?.name === "NotAllowedError") return;
    showStatus(describeError(error), "error");
  } finally {
    if (generation === autofillGeneration) autofillPending = false;
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
    if (error instanceof ApiError && (error.code.startsWith("token_") || error.code === "refresh_token_invalid" || error.code === "reauthentication_required")) {
      session = null;
    }
    showStatus(describeError(error), "error");
  } finally {
    busy = false;
    setControlsDisabled(false);
    render();
    if (!session) void armAutofill();
  }
}

async function signUp(username, displayName) {
  const { sessionId, credentialCreationOptions } = await api("/registration/start", { username, displayName });
  const attestation = await startRegistration({ optionsJSON: credentialCreationOptions });
  const { userId } = await api("/registration/finish", { sessionId, publicKeyCredential: attestation });
  // Sign-up creates the account and its passkey but issues no tokens; signing in is one more tap.
  remember({ userId, username, displayName });
  showStatus(`Account created for ${username}. Sign in with your new passkey.`, "success");
  $("sign-up-form").reset();
}

/** Discoverable sign-in: the passkey names the user (its user handle); the server then opens a session for that user. */
async function finishDiscoverable(assertion) {
  const userId = assertion.response.userHandle;
  if (!userId) throw new Error("Your passkey did not say which account it belongs to. Try signing in as the remembered user.");
  const { session: signInSession } = await api("/authentication/start", { userId });
  const tokens = await api("/authentication/finish", { session: signInSession, userId, publicKeyCredential: assertion });
  signIn(tokens, userId);
  showStatus("Signed in with your passkey.", "success");
}

async function signInWithAnyPasskey() {
  const { credentialRequestOptions } = await api("/authentication/discover", {});
  const assertion = await startAuthentication({ optionsJSON: credentialRequestOptions });
  await finishDiscoverable(assertion);
}

/**
 * Identifier-first sign-in: the server lists the passkeys of the account with this username (or, for a
 * username nobody has, passkeys nobody has: the answer does not tell which), and the browser asks for one.
 */
async function signInWithUsername(username) {
  const { session: signInSession, credentialRequestOptions } = await api("/authentication/start", { username });
  const assertion = await startAuthentication({ optionsJSON: credentialRequestOptions });
  const tokens = await api("/authentication/finish", { session: signInSession, username, publicKeyCredential: assertion });
  // The passkey says whose it is (its user handle), which refreshing names.
  signIn(tokens, assertion.response.userHandle ?? undefined);
  showStatus("Signed in with your passkey.", "success");
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
  const { session: signInSession, credentialRequestOptions } = await api("/authentication/start", { userId: user.userId });
  const assertion = await startAuthentication({ optionsJSON: credentialRequestOptions });
  const tokens = await api("/authentication/finish", { session: signInSession, userId: user.userId, publicKeyCredential: assertion });
  signIn(tokens, user.userId);
  showStatus("Signed in with your passkey.", "success");
}

/** Adds a passkey for the signed-in user; the server's excludeCredentials stops a second one on the same authenticator. */
async function addPasskey() {
  const { sessionId, credentialCreationOptions } = await api("/registration/start-verified", {}, session.idToken);
  const attestation = await startRegistration({ optionsJSON: credentialCreationOptions });
  // The same user finishes what they started: the session id alone does not add a passkey to an account.
  await api("/registration/finish", { sessionId, publicKeyCredential: attestation }, session.idToken);
  showStatus("Passkey added. You can now sign in with it on this device.", "success");
}

async function refreshTokens() {
  const tokens = await api("/authentication/refresh", { refreshToken: session.refreshToken, userId: session.userId });
  // Refresh tokens are rotated: the answer's refresh token replaces the one sent, which is now spent.
  // (Only an app client without rotation answers without one; the old one then stays valid.)
  signIn({ ...tokens, refreshToken: tokens.refreshToken ?? session.refreshToken }, session.userId);
  showStatus(`Tokens refreshed. The new ID token expires at ${new Date(session.claims.exp * 1000).toLocaleTimeString()}.`, "success");
}

/** Signing out of an account also forgets it on this device: the remembered-user card goes with it. */
function signOut() {
  session = null;
  localStorage.removeItem(REMEMBERED_USER_KEY);
  showStatus("Signed out.", "info");
}

// ---------------------------------------------------------------------------------------------
// Wiring

/**
 * Runs `operation` on `event`. Then `focus` may name where focus goes, so that keyboard and
 * screen-reader users land on what appeared; else it returns to the control that had it, which
 * lost it while disabled.
 */
function on(id, event, progress, operation, focus) {
  $(id).addEventListener(event, (e) => {
    e.preventDefault();
    const before = document.activeElement;
    void run(progress, operation).then(() => {
      const target = focus?.() ?? (before instanceof HTMLElement && before.offsetParent !== null ? before : null);
      target?.focus();
    });
  });
}

/** After a change of view, its heading or main button; otherwise focus stays where it was. */
function focusView(wasSignedIn) {
  return () => (wasSignedIn === (session !== null) ? null : session ? $("signed-in-heading") : $("sign-in-passkey"));
}

async function main() {
  $("api-base").textContent = API;
  render();
  if (!browserSupportsWebAuthn()) {
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
  $("sign-in-username").addEventListener("input", labelSignInButton);
  on("sign-in-remembered", "click", "Waiting for your passkey…", signInAsRemembered, focusView(false));
  on("add-passkey", "click", "Creating a new passkey…", addPasskey, focusView(true));
  on("refresh", "click", "Refreshing tokens…", refreshTokens, focusView(true));
  on("sign-out", "click", "Signing out…", async () => signOut(), focusView(true));
  $("forget-user").addEventListener("click", () => {
    localStorage.removeItem(REMEMBERED_USER_KEY);
    render();
    showStatus("This device no longer remembers that user. Your passkey is still on the device.", "info");
  });

  autofillSupported = await browserSupportsWebAuthnAutofill();
  document.body.dataset.ready = "true"; // lets tests wait for the handlers above
  void armAutofill();
}

void main();
