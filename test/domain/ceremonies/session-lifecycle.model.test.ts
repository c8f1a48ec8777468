/**
 * Model-based tests of the challenge (session) lifecycle of sign-in, against the real domain: the
 * ceremonies on the in-memory adapters, a manual clock and a software authenticator producing real
 * signed assertions for one registered user.
 *
 * The model knows, for every challenge issued, whether it is live, expired or consumed, and from that
 * the one result a finish must have. The stored signature counter must follow the model and never
 * decrease. Then the same invariants under arbitrary interleavings (fast-check's scheduler): of many
 * concurrent consumes of one session, and of many concurrent finishes, exactly one wins.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InMemorySessionStore } from "../../../src/adapters/in-memory/in-memory-session-store.js";
import { NodeCryptoSignatureVerifier } from "../../../src/adapters/node-crypto/node-crypto-signature-verifier.js";
import { AuthenticationCeremony } from "../../../src/domain/ceremonies/authentication-ceremony.js";
import type { AuthenticationError } from "../../../src/domain/ceremonies/errors.js";
import type { AuthenticationSession, CeremonySession } from "../../../src/domain/model.js";
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import type { CredentialStore } from "../../../src/ports/credential-store.js";
import type { SessionStore } from "../../../src/ports/session-store.js";
import { buildDomain, ORIGIN, RP_ID, TEST_RP, type Domain } from "../../support/domain-harness.js";
import { ManualClock } from "../../support/manual-clock.js";
import { SoftwareAuthenticator, type TestAlgorithm } from "../../support/software-authenticator.js";

const TIMEOUT_MS = TEST_RP.authenticationTimeoutMs;
const UNKNOWN_HANDLES = ["ghost-handle-1", "ghost-handle-2"] as const;

type Outcome = "ok" | AuthenticationError;

// ---------------------------------------------------------------------------------------------
// The real system: a domain with one registered user
// ---------------------------------------------------------------------------------------------

interface SignedUp {
  readonly domain: Domain;
  readonly authenticator: SoftwareAuthenticator;
  readonly userHandle: string;
  readonly identityUserId: string;
  readonly credentialId: string;
}

async function signedUpUser(algorithm: TestAlgorithm, counterStep: number, overrides: Parameters<typeof buildDomain>[0] = {}): Promise<SignedUp> {
  const domain = buildDomain(overrides);
  const authenticator = new SoftwareAuthenticator({ counterStep });
  const start = await domain.registration.startForNewUser({ username: "alice", displayName: "Alice" });
  if (!start.ok) throw new Error(start.error);
  const response = authenticator.createCredential(start.value.options, { origin: ORIGIN, algorithm });
  const registered = await domain.registration.finish(start.value.sessionId, response);
  if (!registered.ok) throw new Error(`registration failed: ${registered.error}`);
  return { domain, authenticator, ...registered.value };
}

function outcomeOf(result: { ok: true } | { ok: false; error: AuthenticationError }): Outcome {
  return result.ok ? "ok" : result.error;
}

// ---------------------------------------------------------------------------------------------
// Model and commands
// ---------------------------------------------------------------------------------------------

type SessionKind = "discoverable" | "named" | "unknown_user";

interface ChallengeModel {
  readonly kind: SessionKind;
  readonly expiresAt: number;
  /** For an unknown user: whose fake credential list the options carried. */
  readonly handle: string | null;
  consumed: boolean;
}

interface LifecycleModel {
  now: number;
  readonly challenges: ChallengeModel[];
  /** The counter and last use the store must hold. */
  counter: number;
  lastUsedAt: number | null;
  /** How many assertions have been sent (each consumed its challenge, or found it gone). */
  sent: number;
  /** The fake credential list given out per unknown handle, which must stay the same. */
  readonly fakeLists: Map<string, string[]>;
}

interface LifecycleReal extends SignedUp {
  readonly options: PublicKeyCredentialRequestOptionsJSON[];
  readonly sent: AuthenticationResponseJSON[];
  readonly issued: Set<string>;
  /** The highest counter ever read from the store. */
  highestSeen: number;
}

type LifecycleCommand = fc.AsyncCommand<LifecycleModel, LifecycleReal>;

/** Commands name a challenge by how far back it was issued (0 = the latest), so recent ones are picked most. */
function pick(index: number, length: number): number {
  return length - 1 - (index % length);
}

/** The results a finish on challenge `index` may have, given the model, before anything about the answer. */
function sessionOutcomes(model: LifecycleModel, index: number): Outcome[] | null {
  const challenge = model.challenges[index]!;
  if (challenge.consumed) return ["session_not_found"];
  // Past expiresAt the store may already have dropped the session (the port allows either).
  if (model.now >= challenge.expiresAt) return ["session_expired", "session_not_found"];
  if (challenge.kind === "unknown_user") return ["credential_not_allowed"];
  return null;
}

/** After every command: the stored counter is the model's, and never lower than one seen before. */
async function checkStoredCredential(model: LifecycleModel, real: LifecycleReal): Promise<void> {
  const stored = await real.domain.credentials.findCredential(real.credentialId);
  expect(stored).not.toBeNull();
  expect(stored!.counter).toBeGreaterThanOrEqual(real.highestSeen);
  expect(stored!.counter).toBe(model.counter);
  expect(stored!.lastUsedAt).toBe(model.lastUsedAt);
  real.highestSeen = stored!.counter;
}

abstract class Start implements LifecycleCommand {
  check(): boolean {
    return true;
  }
  protected abstract start(real: LifecycleReal): Promise<PublicKeyCredentialRequestOptionsJSON>;
  protected abstract readonly kind: SessionKind;
  protected readonly handle: string | null = null;
  abstract toString(): string;

  async run(model: LifecycleModel, real: LifecycleReal): Promise<void> {
    const options = await this.start(real);
    expect(real.issued.has(options.challenge)).toBe(false);
    expect(options).toMatchObject({ rpId: RP_ID, timeout: TIMEOUT_MS, userVerification: TEST_RP.userVerification });
    const ids = options.allowCredentials.map((c) => c.id);
    if (this.kind === "discoverable") expect(ids).toEqual([]);
    if (this.kind === "named") expect(ids).toEqual([real.credentialId]);
    if (this.kind === "unknown_user") {
      expect(ids.length).toBeGreaterThanOrEqual(1);
      expect(ids).not.toContain(real.credentialId);
      const before = model.fakeLists.get(this.handle!);
      if (before !== undefined) expect(ids).toEqual(before);
      model.fakeLists.set(this.handle!, ids);
    }
    real.issued.add(options.challenge);
    real.options.push(options);
    model.challenges.push({ kind: this.kind, expiresAt: model.now + TIMEOUT_MS, handle: this.handle, consumed: false });
    await checkStoredCredential(model, real);
  }
}

class StartDiscoverable extends Start {
  protected readonly kind = "discoverable";
  protected start(real: LifecycleReal) {
    return real.domain.authentication.startDiscoverable();
  }
  toString() {
    return "StartDiscoverable";
  }
}

class StartForUser extends Start {
  protected readonly kind = "named";
  protected start(real: LifecycleReal) {
    return real.domain.authentication.startForUser(real.userHandle);
  }
  toString() {
    return "StartForUser";
  }
}

class StartForUnknownUser extends Start {
  protected readonly kind = "unknown_user";
  constructor(protected override readonly handle: string) {
    super();
  }
  protected start(real: LifecycleReal) {
    return real.domain.authentication.startForUser(this.handle);
  }
  toString() {
    return `StartForUnknownUser(${this.handle})`;
  }
}

type Answer = "valid" | "signed_with_other_key" | "wrong_origin" | "stale_counter";

/** The authenticator answers a challenge issued earlier and the answer is finished. */
class Finish implements LifecycleCommand {
  constructor(
    private readonly index: number,
    private readonly answer: Answer,
  ) {}

  check(model: Readonly<LifecycleModel>): boolean {
    return model.challenges.length > 0;
  }

  async run(model: LifecycleModel, real: LifecycleReal): Promise<void> {
    const index = pick(this.index, model.challenges.length);
    const challenge = model.challenges[index]!;
    const staleCounter = model.counter;
    const response = real.authenticator.getAssertion(real.options[index]!, {
      origin: this.answer === "wrong_origin" ? "https://evil.example.net" : ORIGIN,
      credentialId: real.credentialId,
      tamper: {
        signWithOtherKey: this.answer === "signed_with_other_key" ? true : undefined,
        counter: this.answer === "stale_counter" ? staleCounter : undefined,
      },
    });
    const sentCounter = this.answer === "stale_counter" ? staleCounter : real.authenticator.credentials()[0]!.counter;

    const expected = sessionOutcomes(model, index) ?? [this.expectedForLiveSession(model)];
    const result = await real.domain.authentication.finish(response);
    expect(expected).toContain(outcomeOf(result));
    if (result.ok) {
      expect(result.value).toEqual({ userHandle: real.userHandle, identityUserId: real.identityUserId, credentialId: real.credentialId, userVerified: true });
      model.counter = sentCounter;
      model.lastUsedAt = model.now;
    }

    challenge.consumed = true; // consumed first, whatever the verdict
    model.sent += 1;
    real.sent.push(response);
    await checkStoredCredential(model, real);
  }

  private expectedForLiveSession(model: LifecycleModel): Outcome {
    switch (this.answer) {
      case "valid":
        return "ok";
      case "signed_with_other_key":
        return "signature_invalid";
      case "wrong_origin":
        return "origin_mismatch";
      case "stale_counter":
        // Authenticators that never count send 0 forever, and that is allowed while the stored counter is 0 too.
        return model.counter > 0 ? "counter_not_increased" : "ok";
    }
  }

  toString() {
    return `Finish(${this.index}, ${this.answer})`;
  }
}

/** Sends an assertion that was already sent once: its challenge is gone. */
class FinishReplay implements LifecycleCommand {
  constructor(private readonly index: number) {}
  check(model: Readonly<LifecycleModel>): boolean {
    return model.sent > 0;
  }
  async run(model: LifecycleModel, real: LifecycleReal): Promise<void> {
    const response = real.sent[pick(this.index, real.sent.length)]!;
    expect(outcomeOf(await real.domain.authentication.finish(response))).toBe("session_not_found");
    await checkStoredCredential(model, real);
  }
  toString() {
    return `FinishReplay(${this.index})`;
  }
}

/** The same valid assertion, finished several times at once: one sign-in at most. */
class FinishConcurrently implements LifecycleCommand {
  constructor(
    private readonly index: number,
    private readonly copies: number,
  ) {}
  check(model: Readonly<LifecycleModel>): boolean {
    return model.challenges.length > 0;
  }
  async run(model: LifecycleModel, real: LifecycleReal): Promise<void> {
    const index = pick(this.index, model.challenges.length);
    const challenge = model.challenges[index]!;
    const response = real.authenticator.getAssertion(real.options[index]!, { origin: ORIGIN, credentialId: real.credentialId });
    const sentCounter = real.authenticator.credentials()[0]!.counter;
    const first = sessionOutcomes(model, index) ?? ["ok"];

    const outcomes = (await Promise.all(Array.from({ length: this.copies }, () => real.domain.authentication.finish(response)))).map(outcomeOf);

    const winners = outcomes.filter((o) => o !== "session_not_found");
    expect(winners.length).toBeLessThanOrEqual(1);
    if (!first.includes("session_not_found")) expect(winners).toHaveLength(1);
    for (const winner of winners) expect(first).toContain(winner);
    if (winners[0] === "ok") {
      model.counter = sentCounter;
      model.lastUsedAt = model.now;
    }
    challenge.consumed = true;
    model.sent += 1;
    real.sent.push(response);
    await checkStoredCredential(model, real);
  }
  toString() {
    return `FinishConcurrently(${this.index}, x${this.copies})`;
  }
}

/** Consumes a challenge's session straight from the store, twice. */
class ConsumeTwice implements LifecycleCommand {
  constructor(private readonly index: number) {}
  check(model: Readonly<LifecycleModel>): boolean {
    return model.challenges.length > 0;
  }
  async run(model: LifecycleModel, real: LifecycleReal): Promise<void> {
    const index = pick(this.index, model.challenges.length);
    const challenge = model.challenges[index]!;
    const options = real.options[index]!;

    const first = await real.domain.sessions.consume(options.challenge);
    const second = await real.domain.sessions.consume(options.challenge);

    expect(second).toBeNull();
    const expired = model.now >= challenge.expiresAt;
    if (challenge.consumed) expect(first).toBeNull();
    else if (!expired) expect(first).not.toBeNull();
    if (first !== null) {
      const expectedSession: AuthenticationSession = {
        kind: "authentication",
        id: options.challenge,
        challenge: options.challenge,
        userHandle: challenge.kind === "discoverable" ? null : challenge.kind === "named" ? real.userHandle : challenge.handle,
        allowCredentials: options.allowCredentials.map((c) => c.id),
        userVerification: TEST_RP.userVerification,
        expiresAt: challenge.expiresAt,
      };
      expect(first).toEqual(expectedSession);
    }
    challenge.consumed = true;
    await checkStoredCredential(model, real);
  }
  toString() {
    return `ConsumeTwice(${this.index})`;
  }
}

class AdvanceClock implements LifecycleCommand {
  constructor(private readonly ms: number) {}
  check(): boolean {
    return true;
  }
  async run(model: LifecycleModel, real: LifecycleReal): Promise<void> {
    real.domain.clock.advance(this.ms);
    model.now += this.ms;
    expect(real.domain.clock.now()).toBe(model.now);
  }
  toString() {
    return `AdvanceClock(${this.ms})`;
  }
}

const indexArb = fc.oneof(
  { arbitrary: fc.constant(0), weight: 3 },
  { arbitrary: fc.nat({ max: 3 }), weight: 2 },
  { arbitrary: fc.nat({ max: 20 }), weight: 1 },
);
const start = fc.oneof(
  fc.constant(new StartDiscoverable()),
  fc.constant(new StartForUser()),
  fc.constantFrom(...UNKNOWN_HANDLES).map((handle) => new StartForUnknownUser(handle)),
);
const validFinish = indexArb.map((i) => new Finish(i, "valid"));
const wrongFinish = fc
  .tuple(indexArb, fc.constantFrom<Answer>("signed_with_other_key", "wrong_origin", "stale_counter", "stale_counter"))
  .map(([i, answer]) => new Finish(i, answer));
const advanceClock = fc
  .oneof(
    { arbitrary: fc.integer({ min: 0, max: 60_000 }), weight: 3 },
    { arbitrary: fc.constantFrom(1, TIMEOUT_MS - 1, TIMEOUT_MS, TIMEOUT_MS + 1), weight: 1 },
    { arbitrary: fc.integer({ min: 0, max: 2 * TIMEOUT_MS }), weight: 1 },
  )
  .map((ms) => new AdvanceClock(ms));
/** Repeated entries weigh the mix: starts and finishes are common, replays, races and time jumps rarer. */
const lifecycleCommands = fc.commands<LifecycleModel, LifecycleReal, false>(
  [
    start,
    start,
    start,
    validFinish,
    validFinish,
    validFinish,
    wrongFinish,
    wrongFinish,
    indexArb.map((i) => new FinishReplay(i)),
    fc.tuple(indexArb, fc.integer({ min: 2, max: 5 })).map(([i, copies]) => new FinishConcurrently(i, copies)),
    indexArb.map((i) => new ConsumeTwice(i)),
    advanceClock,
  ],
  { maxCommands: 30, size: "medium" },
);

/** A sequence that reaches every result at least once, run before the generated ones. */
const EVERY_OUTCOME: LifecycleCommand[] = [
  new StartForUser(),
  new Finish(0, "valid"), // ok: the counter moves to 1
  new StartDiscoverable(),
  new Finish(0, "stale_counter"), // counter_not_increased
  new StartDiscoverable(),
  new Finish(0, "signed_with_other_key"), // signature_invalid
  new StartForUser(),
  new Finish(0, "wrong_origin"), // origin_mismatch
  new StartForUnknownUser(UNKNOWN_HANDLES[0]),
  new Finish(0, "valid"), // credential_not_allowed
  new FinishReplay(0), // session_not_found
  new StartDiscoverable(),
  new AdvanceClock(TIMEOUT_MS),
  new Finish(0, "valid"), // session_expired: exactly at expiresAt, and not swept yet
  new StartForUnknownUser(UNKNOWN_HANDLES[0]),
  new ConsumeTwice(0),
  new StartForUser(),
  new FinishConcurrently(0, 3),
];
const GENERATED_RUNS = 200;

describe("sign-in challenge lifecycle against a model", () => {
  it("gives each finish the model's result and never lets the stored counter decrease", async () => {
    const outcomes = new Map<string, number>();
    const examples: [TestAlgorithm, number, Iterable<LifecycleCommand>][] = [["ES256", 1, EVERY_OUTCOME]];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<TestAlgorithm>("ES256", "EdDSA"), fc.constantFrom(0, 1, 7), lifecycleCommands, async (algorithm, counterStep, cmds) => {
        const user = await signedUpUser(algorithm, counterStep);
        const finish = user.domain.authentication.finish.bind(user.domain.authentication);
        // Tally results, to check below that every path of the model was exercised.
        user.domain.authentication.finish = async (...args) => {
          const result = await finish(...args);
          const key = outcomeOf(result);
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          return result;
        };
        const setup = (): { model: LifecycleModel; real: LifecycleReal } => ({
          model: { now: user.domain.clock.now(), challenges: [], counter: 0, lastUsedAt: null, sent: 0, fakeLists: new Map() },
          real: { ...user, options: [], sent: [], issued: new Set(), highestSeen: 0 },
        });
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: GENERATED_RUNS + examples.length, examples },
    );
    for (const outcome of ["ok", "session_not_found", "session_expired", "signature_invalid", "origin_mismatch", "counter_not_increased", "credential_not_allowed"]) {
      expect(outcomes.get(outcome) ?? 0, outcome).toBeGreaterThan(0);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Under any interleaving
// ---------------------------------------------------------------------------------------------

interface StoreModel {
  /** What each id holds, as far as the store's contract goes. */
  readonly stored: Map<string, CeremonySession>;
}

interface StoreReal {
  readonly store: InMemorySessionStore;
  readonly scheduler: fc.Scheduler;
  saves: number;
}

type StoreCommand = fc.AsyncCommand<StoreModel, StoreReal>;
const IDS = ["id-a", "id-b", "id-c"] as const;
const FAR_FUTURE = Date.UTC(2100, 0, 1);

function sessionWithId(id: string, serial: number): AuthenticationSession {
  return { kind: "authentication", id, challenge: `${id}#${serial}`, userHandle: null, allowCredentials: [], userVerification: "required", expiresAt: FAR_FUTURE };
}

/** Calls `operation` only once the scheduler lets it start, and hands its result back when the scheduler says. */
function scheduled<T>(s: fc.Scheduler, label: string, operation: () => Promise<T>): Promise<T> {
  return s.schedule(Promise.resolve(), `start ${label}`).then(() => s.schedule(operation(), `end ${label}`));
}

class SaveSession implements StoreCommand {
  constructor(private readonly id: string) {}
  check(): boolean {
    return true;
  }
  async run(model: StoreModel, real: StoreReal): Promise<void> {
    const session = sessionWithId(this.id, real.saves++);
    const outcome = await real.store.save(session);
    expect(outcome).toBe(model.stored.has(this.id) ? "exists" : "saved");
    if (outcome === "saved") model.stored.set(this.id, session);
  }
  toString() {
    return `Save(${this.id})`;
  }
}

/** Consumes several ids at once, an id possibly many times, in whatever order the scheduler picks. */
class ConsumeConcurrently implements StoreCommand {
  constructor(private readonly ids: readonly string[]) {}
  check(): boolean {
    return true;
  }
  async run(model: StoreModel, real: StoreReal): Promise<void> {
    const s = real.scheduler;
    const results = await s.waitFor(Promise.all(this.ids.map((id, i) => scheduled(s, `consume#${i}(${id})`, () => real.store.consume(id)))));
    for (const id of new Set(this.ids)) {
      const received = results.filter((r, i) => this.ids[i] === id && r !== null);
      const stored = model.stored.get(id);
      expect(received).toEqual(stored === undefined ? [] : [stored]);
      model.stored.delete(id);
    }
  }
  toString() {
    return `ConsumeConcurrently(${this.ids.join(", ")})`;
  }
}

/** A save and consumes of one id racing: the outcome must be that of one of the serial orders. */
class SaveWhileConsuming implements StoreCommand {
  constructor(
    private readonly id: string,
    private readonly consumers: number,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: StoreModel, real: StoreReal): Promise<void> {
    const s = real.scheduler;
    const session = sessionWithId(this.id, real.saves++);
    const before = model.stored.get(this.id);
    const [saved, ...consumed] = await s.waitFor(
      Promise.all([
        scheduled(s, `save(${this.id})`, () => real.store.save(session)),
        ...Array.from({ length: this.consumers }, (_, i) => scheduled(s, `consume#${i}(${this.id})`, () => real.store.consume(this.id))),
      ]),
    );
    const received = consumed.filter((r) => r !== null);
    if (before === undefined) {
      // Consumers before the save find nothing; the first one after it gets the new session.
      expect(saved).toBe("saved");
      expect(received.length <= 1 && received.every((r) => r === session)).toBe(true);
    } else {
      // The old session goes to one consumer. A save before that finds the id taken; a save after it
      // succeeds, and its session goes to one later consumer, if there is one.
      expect(received.filter((r) => r === before)).toHaveLength(1);
      const fresh = received.filter((r) => r !== before);
      if (saved === "exists") expect(fresh).toEqual([]);
      else expect(fresh.length <= 1 && fresh.every((r) => r === session)).toBe(true);
    }
    const holds = saved === "saved" && !received.includes(session);
    if (holds) model.stored.set(this.id, session);
    else model.stored.delete(this.id);
  }
  toString() {
    return `SaveWhileConsuming(${this.id}, x${this.consumers})`;
  }
}

const idArb = fc.constantFrom(...IDS);
const storeCommands = fc.commands<StoreModel, StoreReal, false>(
  [
    idArb.map((id) => new SaveSession(id)),
    idArb.map((id) => new SaveSession(id)),
    fc.array(idArb, { minLength: 1, maxLength: 8 }).map((ids) => new ConsumeConcurrently(ids)),
    fc.tuple(idArb, fc.integer({ min: 1, max: 4 })).map(([id, n]) => new SaveWhileConsuming(id, n)),
  ],
  { maxCommands: 15 },
);

/**
 * For fc.scheduledModelRun: commands only *start* store operations, which the scheduler then runs and
 * answers in any order, interleaved with later commands. Every operation logs itself when it runs, so
 * the log is the order the store saw; the results must be those of a sequential store in that order.
 */
interface LoggedOperation {
  readonly op: "save" | "consume";
  readonly id: string;
  readonly session?: CeremonySession;
  result?: "saved" | "exists" | CeremonySession | null;
}

interface RacingReal {
  readonly store: InMemorySessionStore;
  readonly scheduler: fc.Scheduler;
  readonly log: LoggedOperation[];
  readonly pending: Promise<unknown>[];
  saves: number;
}

type RacingCommand = fc.AsyncCommand<object, RacingReal>;

class StartOperation implements RacingCommand {
  constructor(
    private readonly op: "save" | "consume",
    private readonly id: string,
  ) {}
  check(): boolean {
    return true;
  }
  async run(_model: object, real: RacingReal): Promise<void> {
    const session = this.op === "save" ? sessionWithId(this.id, real.saves++) : undefined;
    real.pending.push(
      scheduled(real.scheduler, `${this.op}(${this.id})`, () => {
        const entry: LoggedOperation = { op: this.op, id: this.id, session };
        real.log.push(entry);
        const done = session !== undefined ? real.store.save(session) : real.store.consume(this.id);
        return done.then((result) => {
          entry.result = result;
        });
      }),
    );
  }
  toString() {
    return `Start${this.op === "save" ? "Save" : "Consume"}(${this.id})`;
  }
}

/** The log replayed on a sequential store: every result must match, and no session may come out twice. */
function checkLinearizable(log: readonly LoggedOperation[]): void {
  const stored = new Map<string, CeremonySession>();
  const handedOut = new Set<CeremonySession>();
  for (const entry of log) {
    if (entry.op === "save") {
      const taken = stored.has(entry.id);
      expect(entry.result).toBe(taken ? "exists" : "saved");
      if (!taken) stored.set(entry.id, entry.session!);
    } else {
      const expected = stored.get(entry.id) ?? null;
      expect(entry.result).toBe(expected);
      stored.delete(entry.id);
      if (expected !== null) {
        expect(handedOut.has(expected)).toBe(false);
        handedOut.add(expected);
      }
    }
  }
}

const racingCommands = fc.commands<object, RacingReal, false>(
  [
    fc.tuple(fc.constantFrom("save" as const, "consume" as const), idArb).map(([op, id]) => new StartOperation(op, id)),
    idArb.map((id) => new StartOperation("consume", id)),
  ],
  { maxCommands: 20 },
);

/** A session store whose every call waits for the scheduler, before starting and before answering. */
function scheduledSessionStore(s: fc.Scheduler, inner: SessionStore): SessionStore {
  return {
    save: (session) => scheduled(s, "sessions.save", () => inner.save(session)),
    consume: (id) => scheduled(s, "sessions.consume", () => inner.consume(id)),
  };
}

/** A credential store whose every call waits for the scheduler; `onRecorded` sees each successful compare-and-set. */
function scheduledCredentialStore(s: fc.Scheduler, inner: CredentialStore, onRecorded: (counter: number) => void): CredentialStore {
  return {
    add: (credential, newUser) => scheduled(s, "credentials.add", () => inner.add(credential, newUser)),
    findCredential: (id) => scheduled(s, "credentials.findCredential", () => inner.findCredential(id)),
    listCredentials: (handle) => scheduled(s, "credentials.listCredentials", () => inner.listCredentials(handle)),
    recordAuthentication: (id, expected, update) =>
      scheduled(s, `credentials.recordAuthentication(${expected}→${update.counter})`, async () => {
        const outcome = await inner.recordAuthentication(id, expected, update);
        if (outcome === "recorded") onRecorded(update.counter);
        return outcome;
      }),
    findUserByHandle: (handle) => scheduled(s, "credentials.findUserByHandle", () => inner.findUserByHandle(handle)),
    findUserByUsername: (key) => scheduled(s, "credentials.findUserByUsername", () => inner.findUserByUsername(key)),
    findUserByIdentity: (id) => scheduled(s, "credentials.findUserByIdentity", () => inner.findUserByIdentity(id)),
    updateCredential: (handle, id, change, rule) => scheduled(s, "credentials.updateCredential", () => inner.updateCredential(handle, id, change, rule)),
    deleteCredential: (handle, id, rule) => scheduled(s, "credentials.deleteCredential", () => inner.deleteCredential(handle, id, rule)),
    updateUser: (handle, change) => scheduled(s, "credentials.updateUser", () => inner.updateUser(handle, change)),
    deleteUser: (handle) => scheduled(s, "credentials.deleteUser", () => inner.deleteUser(handle)),
    listUsers: (page) => scheduled(s, "credentials.listUsers", () => inner.listUsers(page)),
  };
}

/**
 * A second authentication ceremony over the same stores, whose every port call is interleaved by the
 * scheduler. node:crypto verifies synchronously, so the scheduler alone decides the interleaving.
 */
function scheduledCeremony(user: SignedUp, s: fc.Scheduler, onRecorded: (counter: number) => void): AuthenticationCeremony {
  const { domain } = user;
  return new AuthenticationCeremony({
    relyingParty: domain.relyingParty,
    sessions: scheduledSessionStore(s, domain.sessions),
    credentials: scheduledCredentialStore(s, domain.credentials, onRecorded),
    signatureVerifier: domain.signatureVerifier,
    clock: domain.clock,
    random: domain.random,
    unknownUserSecret: new Uint8Array(32).fill(7),
  });
}

describe("sign-in under any interleaving", () => {
  it("gives every session to exactly one of its concurrent consumers (model run on InMemorySessionStore)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), storeCommands, async (s, cmds) => {
        await fc.asyncModelRun(() => ({ model: { stored: new Map() }, real: { store: new InMemorySessionStore(new ManualClock()), scheduler: s, saves: 0 } }), cmds);
      }),
      { numRuns: 200 },
    );
  });

  it("answers saves and consumes racing across commands as a sequential store would (scheduled model run)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), racingCommands, async (s, cmds) => {
        const real: RacingReal = { store: new InMemorySessionStore(new ManualClock()), scheduler: s, log: [], pending: [], saves: 0 };
        await fc.scheduledModelRun(s, () => ({ model: {}, real }), cmds);
        await Promise.all(real.pending);
        expect(real.log).toHaveLength(real.pending.length);
        checkLinearizable(real.log);
      }),
      { numRuns: 200 },
    );
  });

  it("signs in exactly one of several concurrent finishes of the same assertion", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.constantFrom<TestAlgorithm>("ES256", "EdDSA"),
        fc.boolean(),
        fc.integer({ min: 2, max: 6 }),
        async (s, algorithm, discoverable, copies) => {
          const user = await signedUpUser(algorithm, 1, { verifier: new NodeCryptoSignatureVerifier() });
          const recorded: number[] = [];
          const ceremony = scheduledCeremony(user, s, (counter) => recorded.push(counter));
          const options = discoverable ? await user.domain.authentication.startDiscoverable() : await user.domain.authentication.startForUser(user.userHandle);
          const response = user.authenticator.getAssertion(options, { origin: ORIGIN });

          const results = await s.waitFor(Promise.all(Array.from({ length: copies }, () => ceremony.finish(response))));

          const outcomes = results.map(outcomeOf);
          expect(outcomes.filter((o) => o === "ok")).toHaveLength(1);
          expect(outcomes.filter((o) => o === "session_not_found")).toHaveLength(copies - 1);
          expect(recorded).toEqual([1]);
          expect((await user.domain.credentials.findCredential(user.credentialId))?.counter).toBe(1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never moves the counter backwards when sign-ins with different challenges race, and records the highest", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.constantFrom<TestAlgorithm>("ES256", "EdDSA"), fc.integer({ min: 2, max: 4 }), async (s, algorithm, signIns) => {
        const user = await signedUpUser(algorithm, 1, { verifier: new NodeCryptoSignatureVerifier() });
        const recorded: number[] = [];
        const ceremony = scheduledCeremony(user, s, (counter) => recorded.push(counter));
        const responses = [];
        for (let i = 0; i < signIns; i++) {
          const options = await user.domain.authentication.startForUser(user.userHandle);
          responses.push(user.authenticator.getAssertion(options, { origin: ORIGIN })); // counters 1, 2, …
        }

        const outcomes = (await s.waitFor(Promise.all(responses.map((response) => ceremony.finish(response))))).map(outcomeOf);

        for (let i = 1; i < recorded.length; i++) expect(recorded[i]).toBeGreaterThan(recorded[i - 1]!);
        expect((await user.domain.credentials.findCredential(user.credentialId))?.counter).toBe(signIns);
        expect(outcomes[signIns - 1]).toBe("ok"); // the highest counter always gets through
        for (const outcome of outcomes) expect(["ok", "counter_not_increased"]).toContain(outcome);
        expect(outcomes.filter((o) => o === "ok")).toHaveLength(recorded.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe("sign-in losing many compare-and-set races", () => {
  /**
   * Every compare-and-set conflict means the stored counter rose; while the assertion's counter is still
   * ahead, the ceremony must keep trying rather than report the cloned-authenticator signal.
   */
  it("signs in a valid assertion whose counter is still ahead after four competing sign-ins landed first", async () => {
    const user = await signedUpUser("EdDSA", 1);
    const inner = user.domain.credentials;
    let competing = 4;
    const racing: CredentialStore = {
      add: (credential, newUser) => inner.add(credential, newUser),
      findCredential: (id) => inner.findCredential(id),
      listCredentials: (handle) => inner.listCredentials(handle),
      findUserByHandle: (handle) => inner.findUserByHandle(handle),
      findUserByUsername: (key) => inner.findUserByUsername(key),
      findUserByIdentity: (id) => inner.findUserByIdentity(id),
      updateCredential: (handle, id, change, rule) => inner.updateCredential(handle, id, change, rule),
      deleteCredential: (handle, id, rule) => inner.deleteCredential(handle, id, rule),
      updateUser: (handle, change) => inner.updateUser(handle, change),
      deleteUser: (handle) => inner.deleteUser(handle),
      listUsers: (page) => inner.listUsers(page),
      async recordAuthentication(id, expected, update) {
        if (competing-- > 0) {
          // Another sign-in of the same credential, with the next counter, lands just before this one.
          const current = (await inner.findCredential(id))!;
          expect(await inner.recordAuthentication(id, current.counter, { ...update, counter: current.counter + 1 })).toBe("recorded");
        }
        return inner.recordAuthentication(id, expected, update);
      },
    };
    const ceremony = new AuthenticationCeremony({ ...user.domain, credentials: racing, unknownUserSecret: new Uint8Array(32).fill(7) });
    const options = await user.domain.authentication.startForUser(user.userHandle);
    const response = user.authenticator.getAssertion(options, { origin: ORIGIN, tamper: { counter: 10 } });

    const result = await ceremony.finish(response);

    expect(outcomeOf(result)).toBe("ok");
    expect(competing).toBeLessThan(0); // all four competing sign-ins landed first
    expect((await inner.findCredential(user.credentialId))?.counter).toBe(10);
  });
});
