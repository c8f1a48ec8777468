/**
 * Model-based tests of the three trigger shells over arbitrary JSON-shaped events: well-formed events
 * with fields replaced by anything JSON (or JavaScript) can hold. Whatever the event, no trigger throws
 * (a wrong trigger source is the Lambda shell's to refuse, so every event here has the right one);
 * Define answers exactly as a simple model of the sign-in rules says, so it issues tokens only for a
 * well-formed, accepted history; Create publishes a challenge exactly when the event names a user;
 * Verify finds an answer correct only with a string private challenge that the answer matches (or a
 * discoverable answer, which ADR 0009 holds against no private challenge, but only when one is present).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeChallengeParameters } from "../../../src/domain/custom-challenge/challenge-parameters.js";
import { ChallengeStateMachine } from "../../../src/domain/custom-challenge/challenge-state-machine.js";
import { CUSTOM_CHALLENGE, PASSKEY_CUSTOM_CHALLENGE_METADATA } from "../../../src/domain/custom-challenge/custom-challenge.js";
import { PasskeyCustomChallenge } from "../../../src/domain/custom-challenge/passkey-custom-challenge.js";
import { createAuthChallengeTrigger, defineAuthChallengeTrigger, verifyAuthChallengeResponseTrigger } from "../../../src/handlers/cognito/triggers.js";
import type { CreateAuthChallengeEvent, DefineAuthChallengeEvent, VerifyAuthChallengeResponseEvent } from "../../../src/ports/custom-challenge-triggers.js";
import { buildDomainWithUser, ORIGIN } from "../../support/domain-harness.js";

/** A field left out of the event altogether. */
const ABSENT = Symbol("absent");
type Field = unknown;

/** An object with the fields that are not ABSENT, over any extra keys the wire might add. */
function build(extra: Readonly<Record<string, unknown>>, fields: Readonly<Record<string, Field>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...extra };
  for (const [key, value] of Object.entries(fields)) {
    if (value === ABSENT) delete out[key];
    else out[key] = value;
  }
  return out;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const own = (value: Record<string, unknown>, key: string): unknown => (Object.hasOwn(value, key) ? value[key] : undefined);

/** Keys the wire may add that keyport does not read. */
const extraKeys = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 });
const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.anything({ maxDepth: 2 }));
/** What the event's response held before the trigger answered. */
const staleResponse = fc.oneof(
  fc.constant({}),
  junk,
  fc.record({ challengeName: junk, issueTokens: junk, failAuthentication: junk, answerCorrect: junk, challengeMetadata: junk }),
);

const common = {
  version: "1",
  region: "eu-west-1",
  userPoolId: "eu-west-1_Example",
  callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "exampleclientid" },
};

/** userNotFound as Cognito documents it (absent, or a boolean), as JSON may blur it (null), or garbled. */
const userNotFoundArb: fc.Arbitrary<Field> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(ABSENT) },
  { weight: 4, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: junk.filter((v) => v !== undefined && v !== null && typeof v !== "boolean") },
);

/** How the shells read userNotFound: the user exists, does not, or the field is garbled. */
function userExistsOf(userNotFound: Field): boolean | "garbled" {
  if (userNotFound === ABSENT || userNotFound === undefined || userNotFound === null) return true;
  return typeof userNotFound === "boolean" ? !userNotFound : "garbled";
}

// ---------------------------------------------------------------------------------------------------
// DefineAuthChallenge

/** One session entry, and what the model makes of it. */
type Entry = { readonly kind: "right" | "wrong" | "foreign" | "malformed"; readonly value: unknown };

const notTrue = junk.filter((v) => v !== true);
/** A passkey custom challenge's entry, with what the wire carried as its result. */
const passkeyEntry = (extra: Readonly<Record<string, unknown>>, challengeResult: Field) =>
  build(extra, { challengeName: CUSTOM_CHALLENGE, challengeResult, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA });
const rightEntry: fc.Arbitrary<Entry> = extraKeys.map((extra) => ({ kind: "right", value: passkeyEntry(extra, true) }));
const wrongEntry: fc.Arbitrary<Entry> = fc
  .record({ extra: extraKeys, result: fc.oneof(fc.constant(false), fc.constant(false), fc.constant(ABSENT), notTrue) })
  .map(({ extra, result }) => ({ kind: "wrong", value: passkeyEntry(extra, result) }));
const foreignEntry: fc.Arbitrary<Entry> = fc
  .record({
    extra: extraKeys,
    name: fc.oneof(fc.constantFrom(CUSTOM_CHALLENGE, "SRP_A", "PASSWORD_VERIFIER", "SMS_MFA", "custom_challenge", ""), fc.string({ maxLength: 8 })),
    metadata: fc.oneof(fc.constantFrom<Field>(ABSENT, null, PASSKEY_CUSTOM_CHALLENGE_METADATA, "passkey", "OTP", ""), fc.string({ maxLength: 8 })),
    result: fc.oneof(fc.boolean(), junk),
  })
  .filter(({ name, metadata }) => !(name === CUSTOM_CHALLENGE && metadata === PASSKEY_CUSTOM_CHALLENGE_METADATA))
  .map(({ extra, name, metadata, result }) => ({
    kind: "foreign",
    value: build(extra, { challengeName: name, challengeResult: result, challengeMetadata: metadata }),
  }));
const malformedEntry: fc.Arbitrary<Entry> = fc
  .oneof(
    junk.filter((v) => !isPlainObject(v)),
    fc.record({ extra: extraKeys, name: junk.filter((v) => typeof v !== "string") }).map(({ extra, name }) =>
      build(extra, { challengeName: name === undefined ? ABSENT : name, challengeResult: true, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA }),
    ),
    fc.record({ extra: extraKeys, metadata: junk.filter((v) => v !== undefined && v !== null && typeof v !== "string") }).map(({ extra, metadata }) =>
      build(extra, { challengeName: CUSTOM_CHALLENGE, challengeResult: true, challengeMetadata: metadata }),
    ),
  )
  .map((value) => ({ kind: "malformed", value }));
const entryArb: fc.Arbitrary<Entry> = fc.oneof(
  { weight: 4, arbitrary: rightEntry },
  { weight: 5, arbitrary: wrongEntry },
  { weight: 1, arbitrary: foreignEntry },
  { weight: 1, arbitrary: malformedEntry },
);

interface DefineModel {
  readonly maxAttempts: number;
  readonly userExists: boolean | "garbled";
  answers: number;
  outcome: "open" | "signed_in" | "failed";
}

/** The rules as a product owner would state them, over what the wire carried. */
function step(model: DefineModel, entry: Entry): void {
  if (model.outcome === "failed") return;
  if (model.outcome === "signed_in" || entry.kind === "foreign" || entry.kind === "malformed") {
    model.outcome = "failed";
    return;
  }
  model.answers += 1;
  if (entry.kind === "right" && model.userExists === true) model.outcome = "signed_in";
  else if (model.answers >= model.maxAttempts) model.outcome = "failed";
}

function expectedDefineResponse(model: DefineModel): Record<string, unknown> {
  if (model.outcome === "open") return { challengeName: CUSTOM_CHALLENGE, issueTokens: false, failAuthentication: false };
  if (model.outcome === "signed_in") return { issueTokens: true, failAuthentication: false };
  return { issueTokens: false, failAuthentication: true };
}

/** The model's outcome for a whole request as it came off the wire (the event's `request`, anything). */
function expectedForRequest(maxAttempts: number, request: unknown): DefineModel {
  const model: DefineModel = { maxAttempts, userExists: true, answers: 0, outcome: "failed" };
  if (!isPlainObject(request)) return model;
  const userExists = userExistsOf(Object.hasOwn(request, "userNotFound") ? request.userNotFound : ABSENT);
  const session = own(request, "session");
  if (userExists === "garbled" || !Array.isArray(session)) return model;
  const open: DefineModel = { maxAttempts, userExists, answers: 0, outcome: "open" };
  for (const value of session) step(open, classify(value));
  return open;
}

/** An entry's kind, from the documented shape. */
function classify(value: unknown): Entry {
  if (!isPlainObject(value)) return { kind: "malformed", value };
  const name = own(value, "challengeName");
  const metadata = own(value, "challengeMetadata");
  if (typeof name !== "string" || (metadata !== undefined && metadata !== null && typeof metadata !== "string")) return { kind: "malformed", value };
  if (name !== CUSTOM_CHALLENGE || metadata !== PASSKEY_CUSTOM_CHALLENGE_METADATA) return { kind: "foreign", value };
  return { kind: own(value, "challengeResult") === true ? "right" : "wrong", value };
}

function defineEvent(userName: Field, request: unknown, response: unknown): DefineAuthChallengeEvent {
  const event = build(common, { userName, triggerSource: "DefineAuthChallenge_Authentication", request, response });
  return event as unknown as DefineAuthChallengeEvent;
}

function defineShell(maxAttempts: number) {
  const log: Record<string, unknown>[] = [];
  const trigger = defineAuthChallengeTrigger({ stateMachine: new ChallengeStateMachine({ maxAttempts }), log: (entry) => log.push(entry) });
  return { trigger, log };
}

/** Cognito asks Define again after each round, with one more entry in the session. */
class AppendEntry implements fc.AsyncCommand<DefineModel, DefineReal> {
  constructor(private readonly entry: Entry) {}
  check(): boolean {
    return true;
  }
  async run(model: DefineModel, real: DefineReal): Promise<void> {
    step(model, this.entry);
    real.session.push(this.entry.value);
    await real.ask(model);
  }
  toString(): string {
    return `Append(${this.entry.kind}: ${fc.stringify(this.entry.value)})`;
  }
}

interface DefineReal {
  readonly session: unknown[];
  ask(model: DefineModel): Promise<void>;
}

describe("DefineAuthChallenge against a model of the sign-in rules, over JSON-shaped events", () => {
  it("answers each growing session as the model does, and issues tokens only for a well-formed accepted history", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 2, 3),
        userNotFoundArb,
        fc.oneof(fc.string({ maxLength: 8 }), junk),
        staleResponse,
        extraKeys,
        fc.commands([entryArb.map((entry) => new AppendEntry(entry))], { maxCommands: 6 }),
        async (maxAttempts, userNotFound, userName, response, extra, commands) => {
          const { trigger, log } = defineShell(maxAttempts);
          const userExists = userExistsOf(userNotFound);
          const setup = () => {
            const model: DefineModel = { maxAttempts, userExists, answers: 0, outcome: userExists === "garbled" ? "failed" : "open" };
            const real: DefineReal = {
              session: [],
              async ask(current) {
                const request = build(extra, { userAttributes: {}, session: [...real.session], userNotFound });
                log.length = 0;
                const event = await trigger(defineEvent(userName, request, response));
                expect(event.response).toEqual(expectedDefineResponse(current));
                expect(log.map((entry) => entry.outcome)).toEqual(current.outcome === "failed" ? ["fail"] : []);
                seen.add(`${current.outcome}${userExists === "garbled" ? "/garbled" : ""}`);
              },
            };
            return { model, real };
          };
          const { model, real } = setup();
          await real.ask(model); // the start of the sign-in: an empty session
          await fc.asyncModelRun(() => setup(), commands);
        },
      ),
      { numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(["failed", "failed/garbled", "open", "signed_in"]);
  });

  it("fails the sign-in, without throwing, whatever the request, session or entries hold that Cognito does not document", async () => {
    const sessionArb = fc.oneof(
      { weight: 3, arbitrary: fc.array(entryArb.map((entry) => entry.value), { maxLength: 4 }) },
      { weight: 1, arbitrary: junk },
      { weight: 1, arbitrary: fc.array(junk, { maxLength: 3 }) },
    );
    const requestArb = fc.oneof(
      { weight: 4, arbitrary: fc.record({ extra: extraKeys, session: fc.oneof(sessionArb, fc.constant(ABSENT)), userNotFound: userNotFoundArb }) },
      { weight: 1, arbitrary: junk.map((value) => ({ whole: value })) },
    );
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(1, 3), requestArb, staleResponse, async (maxAttempts, shape, response) => {
        const request = "whole" in shape ? shape.whole : build(shape.extra, { userAttributes: {}, session: shape.session, userNotFound: shape.userNotFound });
        const { trigger } = defineShell(maxAttempts);
        const event = await trigger(defineEvent("alice", request, response));
        const model = expectedForRequest(maxAttempts, request);
        expect(event.response).toEqual(expectedDefineResponse(model));
        seen.add(model.outcome);
      }),
      { numRuns: 400 },
    );
    expect([...seen].sort()).toEqual(["failed", "open", "signed_in"]);
  });
});

// ---------------------------------------------------------------------------------------------------
// CreateAuthChallenge and VerifyAuthChallengeResponse, over a registered user

describe("CreateAuthChallenge and VerifyAuthChallengeResponse over JSON-shaped events", () => {
  let world: Awaited<ReturnType<typeof registered>>;
  beforeAll(async () => {
    world = await registered();
  });

  async function registered() {
    const { domain, authenticator, user } = await buildDomainWithUser();
    const passkeyCustomChallenge = new PasskeyCustomChallenge({ credentials: domain.credentials, authentication: domain.authentication, activity: domain.activity });
    const log: Record<string, unknown>[] = [];
    return {
      domain,
      authenticator,
      identityUserId: user.value.identityUserId,
      log,
      create: createAuthChallengeTrigger({ passkeyCustomChallenge, log: (entry) => log.push(entry) }),
      verify: verifyAuthChallengeResponseTrigger({ passkeyCustomChallenge, log: (entry) => log.push(entry) }),
    };
  }

  function createEvent(userName: Field, request: unknown, response: unknown): CreateAuthChallengeEvent {
    return build(common, { userName, triggerSource: "CreateAuthChallenge_Authentication", request, response }) as unknown as CreateAuthChallengeEvent;
  }

  it("publishes a challenge exactly when the event names a user, and nothing otherwise, without throwing", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant("alice"), fc.string({ maxLength: 12 }), fc.constant(""), fc.constant(ABSENT), junk),
        fc.oneof(fc.constant({ userAttributes: {}, challengeName: CUSTOM_CHALLENGE, session: [] }), junk),
        staleResponse,
        async (name, request, response) => {
          const userName = name === "alice" ? world.identityUserId : name;
          const event = await world.create(createEvent(userName, request, response));
          const named = typeof userName === "string" && userName.length > 0;
          seen.add(String(named));
          if (!named) {
            expect(event.response).toEqual({});
            return;
          }
          const { publicChallengeParameters, privateChallengeParameters, challengeMetadata } = event.response;
          expect(Object.keys(event.response).sort()).toEqual(["challengeMetadata", "privateChallengeParameters", "publicChallengeParameters"]);
          expect(challengeMetadata).toBe(PASSKEY_CUSTOM_CHALLENGE_METADATA);
          const options = decodeChallengeParameters(publicChallengeParameters ?? {});
          expect(options).not.toBeNull();
          expect(privateChallengeParameters).toEqual({ challenge: options?.challenge });
        },
      ),
      { numRuns: 200 },
    );
    expect([...seen].sort()).toEqual(["false", "true"]);
  });

  /** What the event's private parameters hold, and the challenge string they carry, if any. */
  type Parameters = { readonly kind: "issued" | "other" | "string" | "junk_challenge" | "no_challenge" | "junk" | "absent"; readonly value?: unknown };
  /** What the event's answer is. */
  type Answer = { readonly kind: "issued" | "other" | "discover" | "text" | "json" | "object" | "junk" | "absent"; readonly value?: unknown };

  const parametersArb: fc.Arbitrary<Parameters> = fc.oneof(
    { weight: 4, arbitrary: fc.constant<Parameters>({ kind: "issued" }) },
    { weight: 1, arbitrary: fc.constant<Parameters>({ kind: "other" }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((value): Parameters => ({ kind: "string", value })) },
    { weight: 1, arbitrary: junk.filter((v) => typeof v !== "string").map((value): Parameters => ({ kind: "junk_challenge", value })) },
    { weight: 1, arbitrary: fc.constant<Parameters>({ kind: "no_challenge" }) },
    { weight: 1, arbitrary: junk.map((value): Parameters => ({ kind: "junk", value })) },
    { weight: 1, arbitrary: fc.constant<Parameters>({ kind: "absent" }) },
  );
  const answerArb: fc.Arbitrary<Answer> = fc.oneof(
    { weight: 4, arbitrary: fc.constant<Answer>({ kind: "issued" }) },
    { weight: 1, arbitrary: fc.constant<Answer>({ kind: "other" }) },
    { weight: 2, arbitrary: fc.constant<Answer>({ kind: "discover" }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((value): Answer => ({ kind: "text", value })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value): Answer => ({ kind: "json", value: JSON.stringify(value) })) },
    { weight: 1, arbitrary: fc.constant<Answer>({ kind: "object" }) },
    { weight: 1, arbitrary: junk.filter((v) => typeof v !== "string").map((value): Answer => ({ kind: "junk", value })) },
    { weight: 1, arbitrary: fc.constant<Answer>({ kind: "absent" }) },
  );
  const verifyCaseArb = fc.record({
    userName: fc.oneof(
      { weight: 6, arbitrary: fc.constant<Field>("alice") },
      { weight: 1, arbitrary: fc.constantFrom<Field>("", ABSENT, "someone-else") },
      { weight: 1, arbitrary: junk.filter((v) => typeof v !== "string") },
    ),
    request: fc.oneof(
      { weight: 9, arbitrary: fc.record({ extra: extraKeys, parameters: parametersArb, answer: answerArb, userNotFound: userNotFoundArb }) },
      { weight: 1, arbitrary: junk.map((value) => ({ whole: value })) },
    ),
    response: staleResponse,
  });

  /** The event's `privateChallengeParameters` for a generated case. */
  function privateParametersOf(parameters: Parameters, issued: string, other: string): Field {
    switch (parameters.kind) {
      case "issued":
        return { challenge: issued };
      case "other":
        return { challenge: other };
      case "string":
      case "junk_challenge":
        return { challenge: parameters.value };
      case "no_challenge":
        return { other: "x" };
      case "junk":
        return parameters.value;
      case "absent":
        return ABSENT;
    }
  }

  /** The event's `challengeAnswer` for a generated case: assertions are sent as JSON text, as a client sends them. */
  function answerOf(answer: Answer, assertions: { readonly issued: object; readonly other: object; readonly discover: object }): Field {
    switch (answer.kind) {
      case "issued":
      case "other":
      case "discover":
        return JSON.stringify(assertions[answer.kind]);
      case "object":
        return assertions.issued;
      case "absent":
        return ABSENT;
      default:
        return answer.value;
    }
  }

  it("finds an answer correct only for the named user, with a string private challenge that the answer matches", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(verifyCaseArb, async ({ userName: name, request: shape, response }) => {
        const { authenticator, domain, identityUserId, log } = world;
        // Three open sign-ins of alice's: the one this Cognito session is about, another, and a discoverable one.
        const issue = async () => {
          const created = await world.create(createEvent(identityUserId, {}, {}));
          const options = decodeChallengeParameters(created.response.publicChallengeParameters ?? {});
          if (options === null) throw new Error("no options");
          return { challenge: options.challenge, assertion: authenticator.getAssertion(options, { origin: ORIGIN }) };
        };
        const issued = await issue();
        const other = await issue();
        const discover = authenticator.getAssertion(await domain.authentication.startDiscoverable(), { origin: ORIGIN });

        const userName = name === "alice" ? identityUserId : name;
        let request: unknown;
        let expected = false;
        if ("whole" in shape) {
          request = shape.whole;
        } else {
          const { parameters, answer } = shape;
          const privateChallengeParameters = privateParametersOf(parameters, issued.challenge, other.challenge);
          const challengeAnswer = answerOf(answer, { issued: issued.assertion, other: other.assertion, discover });
          request = build(shape.extra, { userAttributes: {}, privateChallengeParameters, challengeAnswer, userNotFound: shape.userNotFound });
          // Read off what the event holds, not off how it was generated.
          const held = isPlainObject(privateChallengeParameters) ? own(privateChallengeParameters, "challenge") : undefined;
          expected =
            userName === identityUserId &&
            userExistsOf(shape.userNotFound) === true &&
            typeof held === "string" &&
            held.length > 0 &&
            ((answer.kind === "issued" && held === issued.challenge) ||
              (answer.kind === "other" && held === other.challenge) ||
              answer.kind === "discover");
        }

        log.length = 0;
        const wire = build(common, { userName, triggerSource: "VerifyAuthChallengeResponse_Authentication", request, response });
        const event = await world.verify(wire as unknown as VerifyAuthChallengeResponseEvent);
        expect(event.response).toEqual({ answerCorrect: expected });
        expect(log).toHaveLength(1);
        // The log names codes and fields, never a challenge or an answer.
        for (const secret of [issued.challenge, other.challenge, JSON.stringify(issued.assertion)]) expect(JSON.stringify(log)).not.toContain(secret);
        seen.add(String(expected));
      }),
      { numRuns: 200 },
    );
    expect([...seen].sort()).toEqual(["false", "true"]);
  });
});
