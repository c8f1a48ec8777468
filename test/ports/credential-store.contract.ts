/**
 * The CredentialStore contract (src/ports/credential-store.ts), as a suite any adapter can run:
 *
 *   describeCredentialStoreContract("InMemoryCredentialStore", async () => ({ store }));
 *
 * Every test gets a fresh fixture from the factory and calls its `cleanup` afterwards. Ids and handles
 * are random, so the suite also works against a table shared between tests.
 */
import { describe, expect, it } from "vitest";
import type { AuthenticationUpdate, StoredCredential, UserAccount } from "../../src/domain/model.js";
import type { CredentialStore } from "../../src/ports/credential-store.js";
import { aStoredCredentialFor, aUserAccount, BASE_TIME, keyBytes, uniqueId, type StoredCredentialOverrides } from "../support/kit.js";
import type { ManualClock } from "../support/manual-clock.js";
import { settle, useFixture } from "./fixture.js";

export interface CredentialStoreFixture {
  readonly store: CredentialStore;
  readonly clock?: ManualClock;
  readonly cleanup?: () => Promise<void>;
}

export type CredentialStoreFactory = () => Promise<CredentialStoreFixture>;

/** More than one DynamoDB query page would hold with a small page size. */
const MANY_CREDENTIALS = 35;
const CONCURRENT_SIGN_INS = 50;
const CONCURRENT_SIGN_UPS = 20;

/** A username no other test uses (suites may share a table), in the case given: "Erin-x1Y2z3" for "Erin". */
function freshUsername(stem: string): string {
  return `${stem}-${uniqueId(6)}`;
}

/** Plain values for comparison: a Buffer and a Uint8Array with the same bytes are the same key. */
function plain(credential: StoredCredential | null | undefined): unknown {
  if (credential === null || credential === undefined) return credential;
  return { ...credential, publicKey: Array.from(credential.publicKey), transports: [...credential.transports] };
}

export function describeCredentialStoreContract(name: string, factory: CredentialStoreFactory): void {
  describe(`CredentialStore contract: ${name}`, () => {
    const fixture = useFixture(factory);

    /**
     * A user with one credential, written the way sign-up writes them: never used (counter 0, backup
     * state false), as the recordAuthentication tests below expect unless they say otherwise.
     */
    async function signedUp(overrides: StoredCredentialOverrides = {}): Promise<{ user: UserAccount; credential: StoredCredential }> {
      const user = aUserAccount();
      const credential = aStoredCredentialFor(user, { counter: 0, backupState: false, lastUsedAt: null, ...overrides });
      expect(await fixture().store.add(credential, user)).toBe("added");
      return { user, credential };
    }

    describe("add and findCredential", () => {
      it.each<[string, StoredCredentialOverrides]>([
        ["an ES256 credential never used", { algorithm: -7, transports: ["internal", "hybrid"], lastUsedAt: null }],
        [
          "a synced EdDSA credential with no transports",
          { algorithm: -8, transports: [], backupEligible: true, backupState: true, userVerifiedAtRegistration: false, lastUsedAt: BASE_TIME + 1, counter: 0 },
        ],
        [
          "an RS256 credential with a long key and a counter",
          {
            algorithm: -257,
            publicKey: keyBytes(272),
            counter: 4_294_967_295,
            transports: ["usb", "nfc", "ble", "smart-card"],
            aaguid: "ee882879-721c-4913-9775-3dfcce97072a",
            attestationFormat: "packed",
            backupEligible: true,
            backupState: false,
            createdAt: BASE_TIME + 123,
            lastUsedAt: BASE_TIME + 456_789,
          },
        ],
      ])("gives back %s with every field intact", async (_label, overrides) => {
        const { store } = fixture();
        const { credential } = await signedUp(overrides);

        const found = await store.findCredential(credential.credentialId);

        expect(found?.publicKey).toBeInstanceOf(Uint8Array);
        expect(plain(found)).toEqual(plain(credential));
      });

      it("answers null for an unknown credential id", async () => {
        const { store } = fixture();
        await signedUp();
        expect(await store.findCredential(uniqueId(16))).toBeNull();
      });

      it("adds a second credential for an existing user without a new user", async () => {
        const { store } = fixture();
        const { user, credential: first } = await signedUp();
        const second = aStoredCredentialFor(user, { createdAt: BASE_TIME + 1, algorithm: -8 });

        expect(await store.add(second)).toBe("added");

        expect(plain(await store.findCredential(second.credentialId))).toEqual(plain(second));
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain(first), plain(second)]);
        expect(await store.findUserByHandle(user.userHandle)).toEqual(user);
      });
    });

    describe("users", () => {
      it("makes a new user findable by handle, by identity user and by username key", async () => {
        const { store } = fixture();
        // A user who signed up with a password: the identity user's name is not the handle.
        const user = aUserAccount({ identityUserId: `password-user-${uniqueId()}`, username: freshUsername("Bob"), displayName: "Bob", createdAt: BASE_TIME + 9 });

        expect(await store.add(aStoredCredentialFor(user), user)).toBe("added");

        expect(await store.findUserByHandle(user.userHandle)).toEqual(user);
        expect(await store.findUserByIdentity(user.identityUserId)).toEqual(user);
        expect(await store.findUserByUsername(user.usernameKey)).toEqual(user);
      });

      it("answers null for an unknown handle, identity user or username key", async () => {
        const { store } = fixture();
        await signedUp();
        expect(await store.findUserByHandle(uniqueId(32))).toBeNull();
        expect(await store.findUserByIdentity(uniqueId(32))).toBeNull();
        expect(await store.findUserByUsername(freshUsername("nobody"))).toBeNull();
      });

      it("does not create a user when a credential is added without one", async () => {
        const { store } = fixture();
        const orphan = aUserAccount();
        expect(await store.add(aStoredCredentialFor(orphan))).toBe("added");
        expect(await store.findUserByHandle(orphan.userHandle)).toBeNull();
        expect(await store.findUserByIdentity(orphan.identityUserId)).toBeNull();
        expect(await store.findUserByUsername(orphan.usernameKey)).toBeNull();
      });
    });

    describe("usernames are unique by their canonical form, all or nothing", () => {
      it("finds a user by the key it was given, keeping the username as typed; the key is compared exactly", async () => {
        const { store } = fixture();
        const username = freshUsername("Erin");
        const user = aUserAccount({ username, usernameKey: username.toLowerCase() });
        expect(await store.add(aStoredCredentialFor(user), user)).toBe("added");

        const found = await store.findUserByUsername(username.toLowerCase());

        expect(found).toEqual(user);
        expect(found?.username).toBe(username);
        // Canonicalising is the caller's job (names.ts usernameKey): the store does not fold case itself.
        expect(await store.findUserByUsername(username.toUpperCase())).toBeNull();
      });

      it("refuses a new user whose username key is taken and writes nothing for them", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp();
        const rival = aUserAccount({ username: user.username.toUpperCase(), usernameKey: user.usernameKey, displayName: "Rival" });
        const attempted = aStoredCredentialFor(rival);

        expect(await store.add(attempted, rival)).toBe("username_taken");

        expect(await store.findCredential(attempted.credentialId)).toBeNull();
        expect(await store.listCredentials(rival.userHandle)).toEqual([]);
        expect(await store.findUserByHandle(rival.userHandle)).toBeNull();
        expect(await store.findUserByIdentity(rival.identityUserId)).toBeNull();
        expect(await store.findUserByUsername(user.usernameKey)).toEqual(user);
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain(credential)]);
      });

      it("answers credential_exists before username_taken, and user_exists before username_taken", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp();
        const rival = aUserAccount({ usernameKey: user.usernameKey });

        expect(await store.add(aStoredCredentialFor(rival, { credentialId: credential.credentialId }), rival)).toBe("credential_exists");
        expect(await store.add(aStoredCredentialFor(user), { ...user, displayName: "Again" })).toBe("user_exists");
        expect(await store.add(aStoredCredentialFor(rival), { ...rival, identityUserId: user.identityUserId })).toBe("user_exists");
      });

      it("leaves the username of a failed sign-up free", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp();
        const newcomer = aUserAccount();

        // Its credential id is taken: nothing is written, its username included.
        expect(await store.add(aStoredCredentialFor(newcomer, { credentialId: credential.credentialId }), newcomer)).toBe("credential_exists");
        // Its identity user is linked already: the same.
        expect(await store.add(aStoredCredentialFor(newcomer), { ...newcomer, identityUserId: user.identityUserId })).toBe("user_exists");
        expect(await store.findUserByUsername(newcomer.usernameKey)).toBeNull();

        const second = aUserAccount({ username: newcomer.username, usernameKey: newcomer.usernameKey });
        expect(await store.add(aStoredCredentialFor(second), second)).toBe("added");
        expect(await store.findUserByUsername(newcomer.usernameKey)).toEqual(second);
      });

      it("does not take a username when a credential is added to an existing user", async () => {
        const { store } = fixture();
        const { user } = await signedUp();
        expect(await store.add(aStoredCredentialFor(user, { createdAt: BASE_TIME + 1 }))).toBe("added");
        expect(await store.findUserByUsername(user.usernameKey)).toEqual(user);
      });

      it(`lets exactly one of ${CONCURRENT_SIGN_UPS} concurrent sign-ups of different users with one username key through`, async () => {
        const { store } = fixture();
        const stem = freshUsername("erin");
        const spellings = [stem, stem.toUpperCase(), `${stem[0]?.toUpperCase()}${stem.slice(1)}`];
        const attempts = Array.from({ length: CONCURRENT_SIGN_UPS }, (_, i) => {
          const user = aUserAccount({ username: spellings[i % spellings.length], usernameKey: stem.toLowerCase() });
          return { user, credential: aStoredCredentialFor(user) };
        });

        const outcomes = await Promise.all(
          attempts.map(async ({ user, credential }, i) => {
            if (i % 3 === 0) await settle();
            return store.add(credential, user);
          }),
        );

        expect(outcomes.filter((o) => o === "added")).toHaveLength(1);
        expect(outcomes.filter((o) => o === "username_taken")).toHaveLength(CONCURRENT_SIGN_UPS - 1);
        const winner = attempts[outcomes.indexOf("added")]!;
        expect(await store.findUserByUsername(stem.toLowerCase())).toEqual(winner.user);
        const findable = await Promise.all(attempts.map(({ user }) => store.findUserByHandle(user.userHandle)));
        expect(findable.filter((found) => found !== null)).toEqual([winner.user]);
        for (const { user, credential } of attempts.filter((a) => a !== winner)) {
          expect(await store.findUserByIdentity(user.identityUserId)).toBeNull();
          expect(await store.findCredential(credential.credentialId)).toBeNull();
          expect(await store.listCredentials(user.userHandle)).toEqual([]);
        }
      });
    });

    describe("credential ids are unique, all or nothing", () => {
      it("refuses a credential id the same user already has and keeps the original", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp({ counter: 3 });
        const duplicate = aStoredCredentialFor(user, { credentialId: credential.credentialId, counter: 99, algorithm: -8, transports: [] });

        expect(await store.add(duplicate)).toBe("credential_exists");

        expect(plain(await store.findCredential(credential.credentialId))).toEqual(plain(credential));
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain(credential)]);
      });

      it("refuses a credential id another user already has and writes nothing for the other user", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp();
        const other = aUserAccount();
        const stolen = aStoredCredentialFor(other, { credentialId: credential.credentialId });

        expect(await store.add(stolen)).toBe("credential_exists");
        expect(await store.add(stolen, other)).toBe("credential_exists");

        expect(plain(await store.findCredential(credential.credentialId))).toEqual(plain(credential));
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain(credential)]);
        expect(await store.listCredentials(other.userHandle)).toEqual([]);
        expect(await store.findUserByHandle(other.userHandle)).toBeNull();
        expect(await store.findUserByIdentity(other.identityUserId)).toBeNull();
      });

      it("refuses a new user whose handle is taken and does not write the credential", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp();
        const clash = aUserAccount({ userHandle: user.userHandle, username: "mallory" });
        const attempted = aStoredCredentialFor(clash);

        expect(await store.add(attempted, clash)).toBe("user_exists");

        expect(await store.findCredential(attempted.credentialId)).toBeNull();
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain(credential)]);
        expect(await store.findUserByHandle(user.userHandle)).toEqual(user);
        expect(await store.findUserByIdentity(clash.identityUserId)).toBeNull();
      });

      it("refuses a new user whose identity user is already linked and does not write the credential", async () => {
        const { store } = fixture();
        const { user } = await signedUp();
        const clash = aUserAccount({ identityUserId: user.identityUserId, username: "mallory" });
        const attempted = aStoredCredentialFor(clash);

        expect(await store.add(attempted, clash)).toBe("user_exists");

        expect(await store.findCredential(attempted.credentialId)).toBeNull();
        expect(await store.listCredentials(clash.userHandle)).toEqual([]);
        expect(await store.findUserByHandle(clash.userHandle)).toBeNull();
        expect(await store.findUserByIdentity(user.identityUserId)).toEqual(user);
      });

      it("lets exactly one of concurrent adds of one credential id through", async () => {
        const { store } = fixture();
        const credentialId = uniqueId(16);
        const attempts = Array.from({ length: 10 }, () => {
          const user = aUserAccount();
          return { user, credential: aStoredCredentialFor(user, { credentialId }) };
        });

        const outcomes = await Promise.all(attempts.map(({ user, credential }) => store.add(credential, user)));

        expect(outcomes.filter((o) => o === "added")).toHaveLength(1);
        expect(outcomes.filter((o) => o === "credential_exists")).toHaveLength(attempts.length - 1);
        const winner = attempts[outcomes.indexOf("added")]!;
        expect(plain(await store.findCredential(credentialId))).toEqual(plain(winner.credential));
        for (const { user } of attempts.filter((a) => a !== winner)) {
          expect(await store.findUserByHandle(user.userHandle)).toBeNull();
          expect(await store.listCredentials(user.userHandle)).toEqual([]);
        }
      });

      it("lets exactly one of concurrent sign-ups of one user through, with only its credential", async () => {
        const { store } = fixture();
        const user = aUserAccount();
        const credentials = Array.from({ length: 10 }, () => aStoredCredentialFor(user));

        const outcomes = await Promise.all(credentials.map((credential) => store.add(credential, user)));

        expect(outcomes.filter((o) => o === "added")).toHaveLength(1);
        expect(outcomes.filter((o) => o === "user_exists")).toHaveLength(credentials.length - 1);
        const winner = credentials[outcomes.indexOf("added")]!;
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain(winner)]);
        for (const loser of credentials.filter((c) => c !== winner)) expect(await store.findCredential(loser.credentialId)).toBeNull();
      });
    });

    describe("listCredentials", () => {
      it(`returns all ${MANY_CREDENTIALS} credentials of a user, oldest first, and only theirs`, async () => {
        const { store } = fixture();
        const user = aUserAccount();
        const neighbour = aUserAccount();
        const mine: StoredCredential[] = [];
        const theirs: StoredCredential[] = [];
        for (let i = 0; i < MANY_CREDENTIALS; i++) {
          const credential = aStoredCredentialFor(user, { createdAt: BASE_TIME + i * 1_000, counter: i, algorithm: i % 2 === 0 ? -7 : -8 });
          expect(await store.add(credential, i === 0 ? user : undefined)).toBe("added");
          mine.push(credential);
          if (i % 5 === 0) {
            const other = aStoredCredentialFor(neighbour, { createdAt: BASE_TIME + i * 1_000 + 1 });
            expect(await store.add(other, i === 0 ? neighbour : undefined)).toBe("added");
            theirs.push(other);
          }
        }

        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual(mine.map(plain));
        expect((await store.listCredentials(neighbour.userHandle)).map(plain)).toEqual(theirs.map(plain));
      });

      it("returns [] for an unknown user", async () => {
        const { store } = fixture();
        await signedUp();
        expect(await store.listCredentials(uniqueId(32))).toEqual([]);
      });

      it("reflects recorded authentications", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp();
        expect(await store.recordAuthentication(credential.credentialId, 0, { counter: 1, backupState: false, lastUsedAt: BASE_TIME + 5 })).toBe("recorded");
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain({ ...credential, counter: 1, lastUsedAt: BASE_TIME + 5 })]);
      });
    });

    describe("recordAuthentication (compare-and-set)", () => {
      it("records counter, backup state and last use when the expected counter matches, and nothing else", async () => {
        const { store } = fixture();
        const { credential } = await signedUp({ counter: 5, backupEligible: true, backupState: false, lastUsedAt: null });
        const update: AuthenticationUpdate = { counter: 9, backupState: true, lastUsedAt: BASE_TIME + 60_000 };

        expect(await store.recordAuthentication(credential.credentialId, 5, update)).toBe("recorded");

        expect(plain(await store.findCredential(credential.credentialId))).toEqual(plain({ ...credential, ...update }));
      });

      it("records a zero counter again for authenticators that never count", async () => {
        const { store } = fixture();
        const { credential } = await signedUp({ counter: 0 });
        expect(await store.recordAuthentication(credential.credentialId, 0, { counter: 0, backupState: false, lastUsedAt: BASE_TIME + 1 })).toBe("recorded");
        expect(await store.recordAuthentication(credential.credentialId, 0, { counter: 0, backupState: false, lastUsedAt: BASE_TIME + 2 })).toBe("recorded");
        expect((await store.findCredential(credential.credentialId))?.lastUsedAt).toBe(BASE_TIME + 2);
      });

      it.each([4, 6, 0])("answers conflict when the stored counter is not %i, and changes nothing", async (expected) => {
        const { store } = fixture();
        const { credential } = await signedUp({ counter: 5, lastUsedAt: BASE_TIME });

        expect(await store.recordAuthentication(credential.credentialId, expected, { counter: 10, backupState: true, lastUsedAt: BASE_TIME + 1 })).toBe("conflict");

        expect(plain(await store.findCredential(credential.credentialId))).toEqual(plain(credential));
      });

      it("answers conflict for an unknown credential and does not create it", async () => {
        const { store } = fixture();
        const credentialId = uniqueId(16);
        expect(await store.recordAuthentication(credentialId, 0, { counter: 1, backupState: false, lastUsedAt: BASE_TIME })).toBe("conflict");
        expect(await store.findCredential(credentialId)).toBeNull();
      });

      it("moves along a chain of sign-ins and refuses a stale expectation afterwards", async () => {
        const { store } = fixture();
        const { credential } = await signedUp();
        for (let counter = 1; counter <= 5; counter++) {
          expect(await store.recordAuthentication(credential.credentialId, counter - 1, { counter, backupState: false, lastUsedAt: BASE_TIME + counter })).toBe("recorded");
        }
        expect(await store.recordAuthentication(credential.credentialId, 3, { counter: 4, backupState: false, lastUsedAt: BASE_TIME + 99 })).toBe("conflict");
        expect((await store.findCredential(credential.credentialId))?.counter).toBe(5);
      });

      it("touches only the credential it names", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp();
        const sibling = aStoredCredentialFor(user, { createdAt: BASE_TIME + 1 });
        await store.add(sibling);

        await store.recordAuthentication(credential.credentialId, 0, { counter: 7, backupState: false, lastUsedAt: BASE_TIME + 7 });

        expect(plain(await store.findCredential(sibling.credentialId))).toEqual(plain(sibling));
      });

      it(`never moves the counter backwards when ${CONCURRENT_SIGN_INS} sign-ins race, and ends on the highest`, async () => {
        const { store } = fixture();
        const { credential } = await signedUp();
        const counters = shuffled(Array.from({ length: CONCURRENT_SIGN_INS }, (_, i) => i + 1));
        const samples: number[] = [];
        let running = true;

        /** What the sign-in ceremony does: read, then compare-and-set, retrying only while its counter is still ahead. */
        async function signIn(counter: number): Promise<"recorded" | "stale"> {
          // Each conflict means another sign-in recorded, so a correct store needs at most one retry per racer.
          for (let attempt = 0; attempt <= CONCURRENT_SIGN_INS; attempt++) {
            const current = await store.findCredential(credential.credentialId);
            if (current === null) throw new Error("credential vanished");
            if (counter <= current.counter) return "stale";
            const outcome = await store.recordAuthentication(credential.credentialId, current.counter, {
              counter,
              backupState: false,
              lastUsedAt: BASE_TIME + counter,
            });
            if (outcome === "recorded") return "recorded";
          }
          throw new Error(`sign-in with counter ${counter} made no progress: conflicts without anyone recording`);
        }
        async function sample(): Promise<void> {
          while (running) {
            const current = await store.findCredential(credential.credentialId);
            samples.push(current?.counter ?? -1);
            await settle();
          }
        }

        const sampler = sample();
        let outcomes: ("recorded" | "stale")[];
        try {
          outcomes = await Promise.all(
            counters.map(async (counter, i) => {
              if (i % 7 === 0) await settle();
              return signIn(counter);
            }),
          );
        } finally {
          running = false;
          await sampler;
        }

        const final = await store.findCredential(credential.credentialId);
        expect(final?.counter).toBe(CONCURRENT_SIGN_INS);
        expect(final?.lastUsedAt).toBe(BASE_TIME + CONCURRENT_SIGN_INS);
        expect(outcomes[counters.indexOf(CONCURRENT_SIGN_INS)]).toBe("recorded");
        expect(samples.length).toBeGreaterThan(0);
        for (let i = 1; i < samples.length; i++) expect(samples[i]).toBeGreaterThanOrEqual(samples[i - 1]!);
        expect(samples.every((c) => c >= 0 && c <= CONCURRENT_SIGN_INS)).toBe(true);
      });
    });

    describe("isolation of returned and given records", () => {
      it("is not changed by mutating a credential it returned", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp();

        const found = (await store.findCredential(credential.credentialId))!;
        found.publicKey[1] = 0x42;
        (found.transports as string[]).push("usb");
        (found as { counter: number }).counter = 1_000;
        const listed = (await store.listCredentials(user.userHandle))[0]!;
        listed.publicKey.fill(0);
        (listed.transports as string[]).length = 0;
        (listed as { userHandle: string }).userHandle = "someone-else";

        expect(plain(await store.findCredential(credential.credentialId))).toEqual(plain(credential));
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain(credential)]);
      });

      it("is not changed by mutating a record after adding it", async () => {
        const { store } = fixture();
        const user = aUserAccount();
        const credential = aStoredCredentialFor(user);
        const snapshot = plain(credential);
        const userSnapshot = { ...user };
        await store.add(credential, user);

        credential.publicKey.fill(7);
        (credential.transports as string[]).push("usb");
        (user as { username: string }).username = "changed";

        expect(plain(await store.findCredential(credential.credentialId))).toEqual(snapshot);
        expect(await store.findUserByHandle(user.userHandle)).toEqual(userSnapshot);
      });

      it("is not changed by mutating a user it returned", async () => {
        const { store } = fixture();
        const { user } = await signedUp();

        const byHandle = (await store.findUserByHandle(user.userHandle))!;
        (byHandle as { displayName: string }).displayName = "changed";
        const byIdentity = (await store.findUserByIdentity(user.identityUserId))!;
        (byIdentity as { username: string }).username = "changed";
        const byUsername = (await store.findUserByUsername(user.usernameKey))!;
        (byUsername as { usernameKey: string }).usernameKey = "changed";

        expect(await store.findUserByHandle(user.userHandle)).toEqual(user);
        expect(await store.findUserByIdentity(user.identityUserId)).toEqual(user);
        expect(await store.findUserByUsername(user.usernameKey)).toEqual(user);
      });
    });
  });
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
