/**
 * Model-based test of the in-memory CredentialStore's lock-out rule and name uniqueness under
 * concurrency: random batches of add / enable / disable / rename / delete for two users, all started at
 * once and run in an order a fast-check scheduler chooses, checked against a plain model that applies
 * each operation when the store does. A passkey sign-up must never end without an enabled credential;
 * a store that checks the rule and then writes after an await is caught (the last test).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InMemoryCredentialStore } from "../../../src/adapters/in-memory/in-memory-credential-store.js";
import { passkeyNameKey } from "../../../src/domain/ceremonies/names.js";
import type { AccountOrigin, StoredCredential, UserAccount } from "../../../src/domain/model.js";
import type { CredentialChange, CredentialStore, DeleteCredentialOutcome, LockoutRule, UpdateCredentialOutcome } from "../../../src/ports/credential-store.js";
import { aStoredCredentialFor, aUserAccount, BASE_TIME } from "../../support/kit.js";

const USERS = 2;
/** Credential slots per user; slots 0 and 1 are registered before the operations start. */
const SLOTS = 4;
/** Names that clash in pairs by passkeyNameKey (case, and ß against SS). */
const NAMES = ["Phone", "PHONE", "Laptop", "laptop", "Straße", "STRASSE", "Key"] as const;

type Operation =
  | { readonly kind: "add"; readonly user: number; readonly slot: number; readonly name: string; readonly enabled: boolean }
  | { readonly kind: "update"; readonly user: number; readonly owner: number; readonly slot: number; readonly change: CredentialChange }
  | { readonly kind: "delete"; readonly user: number; readonly owner: number; readonly slot: number };

const user = fc.integer({ min: 0, max: USERS - 1 });
const slot = fc.integer({ min: 0, max: SLOTS - 1 });
const name = fc.constantFrom(...NAMES);
const change: fc.Arbitrary<CredentialChange> = fc
  .record({ name: fc.option(name, { nil: undefined }), enabled: fc.option(fc.boolean(), { nil: undefined }) })
  .filter((c) => c.name !== undefined || c.enabled !== undefined)
  .map((c) => ({ ...(c.name === undefined ? {} : { name: c.name }), ...(c.enabled === undefined ? {} : { enabled: c.enabled }) }));
// Mostly the user's own credentials; sometimes the other user's, which must be not_found.
const owner = (acting: number): fc.Arbitrary<number> => fc.oneof({ weight: 4, arbitrary: fc.constant(acting) }, { weight: 1, arbitrary: user });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant("add" as const), user, slot, name, enabled: fc.boolean() }),
  user.chain((acting) => fc.record({ kind: fc.constant("update" as const), user: fc.constant(acting), owner: owner(acting), slot, change })),
  user.chain((acting) => fc.record({ kind: fc.constant("delete" as const), user: fc.constant(acting), owner: owner(acting), slot })),
);

const credentialId = (owner: number, slot: number): string => `user-${owner}-credential-${slot}`;

/** What the store should hold: each credential's owner, name and state. */
interface ModelCredential {
  readonly owner: number;
  name: string;
  enabled: boolean;
}

/** The rules of src/ports/credential-store.ts, written out plainly. */
class Model {
  readonly credentials = new Map<string, ModelCredential>();

  constructor(readonly rules: readonly LockoutRule[]) {}

  add(op: Extract<Operation, { kind: "add" }>): string {
    const id = credentialId(op.user, op.slot);
    if (this.credentials.has(id)) return "credential_exists";
    if (this.nameTaken(op.user, op.name, null)) return "name_taken";
    this.credentials.set(id, { owner: op.user, name: op.name, enabled: op.enabled });
    return "added";
  }

  update(op: Extract<Operation, { kind: "update" }>): string | { name: string; enabled: boolean } {
    const id = credentialId(op.owner, op.slot);
    const current = this.credentials.get(id);
    if (current === undefined || current.owner !== op.user) return "not_found";
    const next = { name: op.change.name ?? current.name, enabled: op.change.enabled ?? current.enabled };
    if (this.nameTaken(op.user, next.name, id)) return "name_taken";
    if (this.rules[op.user]?.keepOneEnabled === true && current.enabled && !next.enabled && this.enabledCount(op.user) <= 1) return "last_credential";
    Object.assign(current, next);
    return next;
  }

  delete(op: Extract<Operation, { kind: "delete" }>): string {
    const id = credentialId(op.owner, op.slot);
    const current = this.credentials.get(id);
    if (current === undefined || current.owner !== op.user) return "not_found";
    if (this.rules[op.user]?.keepOneEnabled === true && current.enabled && this.enabledCount(op.user) <= 1) return "last_credential";
    this.credentials.delete(id);
    return "deleted";
  }

  enabledCount(owner: number): number {
    return [...this.credentials.values()].filter((c) => c.owner === owner && c.enabled).length;
  }

  private nameTaken(owner: number, name: string, except: string | null): boolean {
    const key = passkeyNameKey(name);
    return [...this.credentials.entries()].some(([id, c]) => id !== except && c.owner === owner && passkeyNameKey(c.name) === key);
  }
}

/** An outcome as the model writes it: the code, or the name and state of an updated credential. */
function comparable(outcome: UpdateCredentialOutcome | DeleteCredentialOutcome | string): string | { name: string; enabled: boolean } {
  return typeof outcome === "string" ? outcome : { name: outcome.name, enabled: outcome.enabled };
}

interface Run {
  readonly origins: readonly AccountOrigin[];
  readonly operations: readonly Operation[];
}

const runs: fc.Arbitrary<Run> = fc.record({
  // The first user always came by passkey sign-up; the second either way.
  origins: fc.constantFrom<AccountOrigin>("passkey_sign_up", "identity_provider").map((second): AccountOrigin[] => ["passkey_sign_up", second]),
  operations: fc.array(operation, { minLength: 1, maxLength: 12 }),
});

/**
 * Runs one batch of operations concurrently on `store` in the scheduler's order; with `checkOutcomes`,
 * every outcome must be the model's for the moment the store performed it. Then: every passkey
 * sign-up still has an enabled credential, and (with `checkOutcomes`) the store holds what the model does.
 */
async function interleaved(scheduler: fc.Scheduler, store: CredentialStore, run: Run, checkOutcomes: boolean): Promise<void> {
  const accounts: UserAccount[] = run.origins.map((origin) => {
    const account = aUserAccount({ origin });
    // A user the identity provider already had keeps its own name there.
    return origin === "passkey_sign_up" ? account : { ...account, identityUserId: `password-user-${account.userHandle}` };
  });
  const rules = run.origins.map((origin): LockoutRule => ({ keepOneEnabled: origin === "passkey_sign_up" }));
  const model = new Model(rules);
  const account = (index: number): UserAccount => {
    const found = accounts[index];
    if (found === undefined) throw new Error(`no user ${index}`);
    return found;
  };
  const handle = (index: number): string => account(index).userHandle;
  for (const index of accounts.keys()) {
    for (const s of [0, 1]) {
      const credential = aStoredCredentialFor(account(index), { credentialId: credentialId(index, s), name: `Passkey ${s}`, createdAt: BASE_TIME + s });
      expect(await store.add(credential, s === 0 ? account(index) : undefined)).toBe("added");
      model.credentials.set(credential.credentialId, { owner: index, name: credential.name, enabled: true });
    }
  }

  /** Calls the store and the model at the same moment: the in-memory store acts when called (it never awaits inside). */
  function perform(op: Operation): Promise<{ expected: unknown; actual: unknown }> {
    const rule = model.rules[op.user] ?? { keepOneEnabled: true };
    let actual: Promise<unknown>;
    let expected: unknown;
    if (op.kind === "add") {
      const credential: StoredCredential = aStoredCredentialFor(account(op.user), {
        credentialId: credentialId(op.user, op.slot),
        name: op.name,
        enabled: op.enabled,
        createdAt: BASE_TIME + 10 + op.slot,
      });
      actual = store.add(credential);
      expected = model.add(op);
    } else if (op.kind === "update") {
      actual = store.updateCredential(handle(op.user), credentialId(op.owner, op.slot), op.change, rule).then(comparable);
      expected = model.update(op);
    } else {
      actual = store.deleteCredential(handle(op.user), credentialId(op.owner, op.slot), rule);
      expected = model.delete(op);
    }
    return actual.then((value) => ({ expected, actual: value }));
  }

  const results = run.operations.map((op, i) => scheduler.schedule(Promise.resolve(i), `${i}: ${JSON.stringify(op)}`).then(() => perform(op)));
  await scheduler.waitIdle();
  const outcomes = await Promise.all(results);

  for (const [index, origin] of run.origins.entries()) {
    const enabled = (await store.listCredentials(handle(index))).filter((c) => c.enabled);
    if (origin === "passkey_sign_up") expect(enabled.length, `enabled credentials of passkey sign-up ${index}`).toBeGreaterThanOrEqual(1);
  }
  if (!checkOutcomes) return;
  for (const [i, { expected, actual }] of outcomes.entries()) expect(actual, `operation ${i}: ${JSON.stringify(run.operations[i])}`).toEqual(expected);
  for (const index of accounts.keys()) {
    const held = (await store.listCredentials(handle(index))).map((c) => [c.credentialId, c.name, c.enabled]).sort();
    const modelled = [...model.credentials.entries()].filter(([, c]) => c.owner === index).map(([id, c]) => [id, c.name, c.enabled]).sort();
    expect(held).toEqual(modelled);
  }
}

/**
 * A broken store for the last test: it checks the lock-out rule, awaits, and only then writes, without
 * the rule: the check-then-act race the real stores must not have.
 */
class CheckThenWriteStore extends InMemoryCredentialStore {
  constructor(private readonly pause: () => Promise<unknown>) {
    super();
  }

  override async updateCredential(userHandle: string, id: string, change: CredentialChange, rule: LockoutRule): Promise<UpdateCredentialOutcome> {
    if (change.enabled === false && !(await this.mayDisable(userHandle, id, rule))) return "last_credential";
    await this.pause();
    return super.updateCredential(userHandle, id, change, { keepOneEnabled: false });
  }

  override async deleteCredential(userHandle: string, id: string, rule: LockoutRule): Promise<DeleteCredentialOutcome> {
    if (!(await this.mayDisable(userHandle, id, rule))) return "last_credential";
    await this.pause();
    return super.deleteCredential(userHandle, id, { keepOneEnabled: false });
  }

  private async mayDisable(userHandle: string, id: string, rule: LockoutRule): Promise<boolean> {
    const credentials = await this.listCredentials(userHandle);
    const target = credentials.find((c) => c.credentialId === id);
    return !rule.keepOneEnabled || target?.enabled !== true || credentials.filter((c) => c.enabled).length > 1;
  }
}

describe("InMemoryCredentialStore against a model, operations interleaved by a scheduler", () => {
  it("answers every operation as the model does and never leaves a passkey sign-up without an enabled credential", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), runs, async (scheduler, run) => {
        await interleaved(scheduler, new InMemoryCredentialStore(), run, true);
      }),
      { numRuns: 400 },
    );
  });

  it("catches a store that checks the rule and writes after an await (the harness can fail)", async () => {
    const property = fc.asyncProperty(fc.scheduler(), runs, async (scheduler, run) => {
      await interleaved(scheduler, new CheckThenWriteStore(() => scheduler.schedule(Promise.resolve())), run, false);
    });

    const failure: unknown = await fc.assert(property, { numRuns: 400 }).then(
      () => null,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(Error);
    // fast-check keeps the failed expectation as the cause: the passkey sign-up was left without an enabled credential.
    expect(String((failure as Error).cause)).toMatch(/enabled credentials of passkey sign-up \d: expected 0 to be greater than or equal to 1/);
  });
});
