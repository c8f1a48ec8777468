/**
 * The runtime-conformance scenario (issue 16, point 1): keyport built by hand from the runtime-neutral
 * `keyport` entry exactly as the README's embedding example builds it (in-memory stores, WebCrypto
 * verifier and random source, the local identity provider running the custom-challenge triggers),
 * driven by a WebCrypto-only software authenticator through sign-up, discoverable sign-in,
 * username-first sign-in and the example's error paths. It returns one JSON-able result, step by step.
 *
 * It is bundled by esbuild (test/runtimes/bundle.ts) from `src/entry/index.ts` for the `neutral`
 * platform, with any Node built-in refused at build time, into one ES module that Node, Deno, Bun and
 * workerd load unchanged. The sources rather than dist/: the test must not depend on a build having run,
 * and the bundle holds exactly what the `keyport` entry reaches (the package test covers dist/).
 * `./guard.js` is imported first, so its getters on Buffer/process/require are in place before any
 * of keyport's modules is evaluated.
 */
import { setPhase, touched, unguardable } from "./guard.js";
import {
  AuthenticationCeremony,
  ChallengeStateMachine,
  InMemoryCredentialStore,
  InMemoryIdentityUserDirectory,
  InMemorySecurityEventLog,
  InMemorySessionStore,
  LocalIdentityProvider,
  PasskeyCustomChallenge,
  PasskeySignIn,
  RegistrationCeremony,
  RelyingParty,
  SecurityActivity,
  SystemClock,
  WebCryptoRandomSource,
  WebCryptoSignatureVerifier,
  createCustomChallengeTriggers,
} from "../../src/entry/index.js";
import { toBase64Url, WebCryptoAuthenticator } from "./webcrypto-authenticator.js";

export interface StepResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface ScenarioResult {
  readonly runtime: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly steps: readonly StepResult[];
}

const ORIGIN = "https://example.com";

/** What was read while the bundle's modules were evaluated, taken at the first run (a worker runs twice). */
let loadTouches: string[] | null = null;

/** The README's embedding example, verbatim in substance. */
function buildKeyport() {
  const clock = new SystemClock();
  const random = new WebCryptoRandomSource();
  const sessions = new InMemorySessionStore(clock);
  const credentials = new InMemoryCredentialStore();
  const signatureVerifier = new WebCryptoSignatureVerifier();
  const relyingParty = new RelyingParty({
    id: "example.com",
    name: "Example",
    origins: [ORIGIN],
    userVerification: "required",
    registrationTimeoutMs: 300_000,
    authenticationTimeoutMs: 300_000,
  });
  const authenticators = { describe: async () => ({ name: "Passkey", icon: null }) };
  const events = new InMemorySecurityEventLog({ clock, retentionMs: 90 * 24 * 60 * 60 * 1000 });
  const lostEvents: string[] = [];
  const activity = new SecurityActivity({ log: events, metrics: { count: () => {} }, lost: { lost: (event) => lostEvents.push(event.type) }, authenticators, clock, random });
  const authentication = new AuthenticationCeremony({ relyingParty, sessions, credentials, signatureVerifier, clock, random, unknownUserSecret: random.bytes(32) });
  const triggers = createCustomChallengeTriggers({
    stateMachine: new ChallengeStateMachine(),
    passkeyCustomChallenge: new PasskeyCustomChallenge({ credentials, authentication, activity }),
  });
  const identityProvider = new LocalIdentityProvider({ clock, random, users: new InMemoryIdentityUserDirectory(), triggers, issuer: ORIGIN, clientId: "example" });
  const registration = new RegistrationCeremony({ relyingParty, sessions, credentials, identityProvider, signatureVerifier, clock, random, authenticators, activity });
  const signIn = new PasskeySignIn({ relyingParty, credentials, identityProvider, authentication, activity });
  return { registration, signIn, events, lostEvents };
}

function check(condition: boolean, detail: string): void {
  if (!condition) throw new Error(detail);
}

const show = (value: unknown): string => JSON.stringify(value)?.slice(0, 300) ?? String(value);

/**
 * Runs every step, each in its own try/catch so one failure does not hide the others. `broken` makes
 * the scenario wrong on purpose (it expects a forged signature to verify, and reads `Buffer`), so that
 * the harness is seen to fail.
 */
export async function runScenario(runtime: string, options: { readonly broken?: boolean } = {}): Promise<ScenarioResult> {
  const broken = options.broken === true;
  const started = Date.now();
  const steps: StepResult[] = [];
  const atLoad = (loadTouches ??= touched.slice());
  touched.length = 0;
  setPhase("scenario");
  const step = async (name: string, body: () => Promise<void>): Promise<void> => {
    try {
      await body();
      steps.push({ name, ok: true });
    } catch (error) {
      steps.push({ name, ok: false, detail: error instanceof Error ? error.message : show(error) });
    }
  };

  const keyport = buildKeyport();
  const authenticator = new WebCryptoAuthenticator();
  let userHandle = "";
  let credentialId = "";

  await step("sign_up", async () => {
    const start = await keyport.registration.startForNewUser({ username: "alice", displayName: "Alice" });
    if (!start.ok) throw new Error(start.error);
    const created = await authenticator.create(start.value.options, ORIGIN);
    const registered = await keyport.registration.finish(start.value.sessionId, created);
    if (!registered.ok) throw new Error(registered.error);
    check(registered.value.credentialId === created.id, `credentialId ${registered.value.credentialId} ≠ ${created.id}`);
    check(registered.value.name === "Passkey", `name ${registered.value.name}`);
    userHandle = registered.value.userHandle;
    credentialId = created.id;
  });

  await step("sign_up_username_taken", async () => {
    const again = await keyport.registration.startForNewUser({ username: "alice", displayName: "Alice again" });
    check(!again.ok && again.error === "username_taken", `expected username_taken, got ${show(again)}`);
  });

  await step("sign_up_origin_mismatch", async () => {
    const start = await keyport.registration.startForNewUser({ username: "mallory", displayName: "Mallory" });
    if (!start.ok) throw new Error(start.error);
    // Another device, so that the discoverable sign-ins below do not pick this (unregistered) passkey.
    const created = await new WebCryptoAuthenticator().create(start.value.options, "https://evil.example");
    const registered = await keyport.registration.finish(start.value.sessionId, created);
    check(!registered.ok && registered.error === "origin_mismatch", `expected origin_mismatch, got ${show(registered)}`);
  });

  await step("discoverable_sign_in", async () => {
    const assertion = await authenticator.get(await keyport.signIn.discover(), { origin: ORIGIN });
    const userId = assertion.response.userHandle;
    check(typeof userId === "string" && userId === userHandle, `userHandle ${show(userId)} ≠ ${userHandle}`);
    const start = await keyport.signIn.start(userId!);
    if (!start.ok) throw new Error(start.error);
    const signedIn = await keyport.signIn.finish(start.value.session, userId!, assertion);
    if (!signedIn.ok) throw new Error(signedIn.error);
    check(signedIn.value.tokens.idToken.split(".").length === 3, "the ID token is not a JWT");
  });

  await step("username_first_sign_in", async () => {
    const start = await keyport.signIn.start({ username: "Alice" });
    if (!start.ok) throw new Error(start.error);
    const options = start.value.credentialRequestOptions;
    check(options.allowCredentials.some((c) => c.id === credentialId), `allowCredentials ${show(options.allowCredentials)} lacks ${credentialId}`);
    const assertion = await authenticator.get(options, { origin: ORIGIN });
    const signedIn = await keyport.signIn.finish(start.value.session, { username: "alice" }, assertion);
    if (!signedIn.ok) throw new Error(signedIn.error);
    check(signedIn.value.tokens.accessToken.length > 0, "no access token");
  });

  await step("forged_signature_refused", async () => {
    const assertion = await authenticator.get(await keyport.signIn.discover(), { origin: ORIGIN, forge: true });
    const start = await keyport.signIn.start(userHandle);
    if (!start.ok) throw new Error(start.error);
    const signedIn = await keyport.signIn.finish(start.value.session, userHandle, assertion);
    if (broken) check(signedIn.ok, `(broken on purpose) expected the forged signature to verify, got ${show(signedIn)}`);
    else check(!signedIn.ok && signedIn.error === "sign_in_failed", `expected sign_in_failed, got ${show(signedIn)}`);
  });

  await step("unknown_credential_refused", async () => {
    const start = await keyport.signIn.start(userHandle);
    if (!start.ok) throw new Error(start.error);
    const unknownId = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
    const assertion = await authenticator.get(start.value.credentialRequestOptions, { origin: ORIGIN, credentialId: unknownId });
    const signedIn = await keyport.signIn.finish(start.value.session, userHandle, assertion);
    check(!signedIn.ok && signedIn.error === "credential_not_found", `expected credential_not_found, got ${show(signedIn)}`);
  });

  await step("replayed_challenge_refused", async () => {
    const start = await keyport.signIn.start(userHandle);
    if (!start.ok) throw new Error(start.error);
    const assertion = await authenticator.get(start.value.credentialRequestOptions, { origin: ORIGIN });
    const first = await keyport.signIn.finish(start.value.session, userHandle, assertion);
    if (!first.ok) throw new Error(`the first answer failed: ${first.error}`);
    // The same answer to the same (now spent) session and challenge, and again to a fresh session.
    const replayed = await keyport.signIn.finish(start.value.session, userHandle, assertion);
    check(!replayed.ok && replayed.error === "sign_in_session_invalid", `expected the replay on the spent session refused, got ${show(replayed)}`);
    const fresh = await keyport.signIn.start(userHandle);
    if (!fresh.ok) throw new Error(fresh.error);
    const elsewhere = await keyport.signIn.finish(fresh.value.session, userHandle, assertion);
    check(!elsewhere.ok && elsewhere.error === "sign_in_failed", `expected the replay on a new session refused, got ${show(elsewhere)}`);
  });

  await step("security_trail", async () => {
    const trail = await keyport.events.listForUser(userHandle, { limit: 20, cursor: null });
    if (!trail.ok) throw new Error(show(trail));
    const types = trail.value.events.map((event) => event.type);
    check(types[types.length - 1] === "registration.succeeded", `oldest event ${show(types)}`);
    check(types.filter((type) => type === "sign_in.succeeded").length === 3, `three sign-ins expected in ${show(types)}`);
    check(types.includes("sign_in.failed"), `a failed sign-in expected in ${show(types)}`);
    check(keyport.lostEvents.length === 0, `lost events ${show(keyport.lostEvents)}`);
  });

  if (broken) {
    try {
      void (globalThis as Record<string, unknown>)["Buffer"];
    } catch {
      // the guard throws; the read is recorded all the same
    }
  }

  await step("node_globals_untouched", async () => {
    check(unguardable.length === 0, `could not guard ${show(unguardable)}`);
    check(atLoad.length === 0 && touched.length === 0, `read: ${show([...atLoad, ...touched])}`);
  });

  setPhase("idle");
  return { runtime, ok: steps.every((s) => s.ok), ms: Date.now() - started, steps };
}
