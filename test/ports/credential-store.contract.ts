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
import type { CredentialStore, LockoutRule } from "../../src/ports/credential-store.js";
import { aStoredCredentialFor, aUserAccount, BASE_TIME, keyBytes, uniqueId, type StoredCredentialOverrides } from "../support/kit.js";
import type { ManualClock } from "../support/manual-clock.js";
import { settle, useFixture } from "./fixture.js";
import { isAttestationFormatId, type AttestationFormatId } from "../../src/domain/encoding/parse-response.js";

/** A format identifier for a stored attestation in test data. */
function attestationFormatId(text: string): AttestationFormatId {
  if (!isAttestationFormatId(text)) throw new Error(`test data: ${JSON.stringify(text)} is not an attestation format identifier`);
  return text;
}

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
/** Rounds of each race on the lock-out rule: one round may pass by luck, twenty hardly. */
const CONCURRENT_ROUNDS = 20;
const KEEP_ONE: LockoutRule = { keepOneEnabled: true };
const NO_RULE: LockoutRule = { keepOneEnabled: false };

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

    /** `user` signed up with one credential. */
    async function signedUpAs(user: UserAccount): Promise<{ user: UserAccount; credential: StoredCredential }> {
      const credential = aStoredCredentialFor(user);
      expect(await fixture().store.add(credential, user)).toBe("added");
      return { user, credential };
    }

    /** A passkey sign-up with one enabled credential per name, created a second apart, in order. */
    async function withCredentials<const Names extends readonly string[]>(names: Names): Promise<{ user: UserAccount; credentials: { -readonly [K in keyof Names]: StoredCredential } }> {
      const user = aUserAccount();
      const credentials = names.map((name, i) => aStoredCredentialFor(user, { createdAt: BASE_TIME + i * 1_000, name }));
      for (const [i, credential] of credentials.entries()) expect(await fixture().store.add(credential, i === 0 ? user : undefined)).toBe("added");
      return { user, credentials: credentials as { -readonly [K in keyof Names]: StoredCredential } };
    }

    describe("add and findCredential", () => {
      it.each<[string, StoredCredentialOverrides]>([
        ["an ES256 credential never used", { algorithm: -7, transports: ["internal", "hybrid"], lastUsedAt: null }],
        [
          "a synced EdDSA credential with no transports",
          { algorithm: -8, transports: [], backupEligible: true, backupState: true, userVerifiedAtRegistration: false, lastUsedAt: BASE_TIME + 1, counter: 0 },
        ],
        [
          "a credential of an automatic passkey upgrade (conditional mediation, no user verification)",
          { registrationMediation: "conditional", userVerifiedAtRegistration: false, backupEligible: true },
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
        [
          "a credential whose attestation was verified and trusted (ADR 0027)",
          {
            aaguid: "ee882879-721c-4913-9775-3dfcce97072a",
            attestationFormat: "tpm",
            attestation: { format: attestationFormatId("tpm"), type: "attca", trusted: true, aaguid: "ee882879-721c-4913-9775-3dfcce97072a" },
          },
        ],
        [
          "a credential whose apple attestation was verified but not trusted",
          { attestationFormat: "apple", attestation: { format: attestationFormatId("apple"), type: "anonca", trusted: false, aaguid: "00000000-0000-0000-0000-000000000000" } },
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

      it("refuses a credential added without a new user for a user who does not exist, and creates nothing", async () => {
        const { store } = fixture();
        const orphan = aUserAccount();
        const credential = aStoredCredentialFor(orphan);

        expect(await store.add(credential)).toBe("user_not_found");

        expect(await store.findCredential(credential.credentialId)).toBeNull();
        expect(await store.listCredentials(orphan.userHandle)).toEqual([]);
        expect(await store.findUserByHandle(orphan.userHandle)).toBeNull();
        expect(await store.findUserByIdentity(orphan.identityUserId)).toBeNull();
        expect(await store.findUserByUsername(orphan.usernameKey)).toBeNull();
      });

      it("refuses, as a caller's bug, a new user whose first credential names another handle", async () => {
        const { store } = fixture();
        const user = aUserAccount();
        const credential = aStoredCredentialFor(aUserAccount());

        await expect(store.add(credential, user)).rejects.toThrow(RangeError);

        expect(await store.findCredential(credential.credentialId)).toBeNull();
        expect(await store.findUserByHandle(user.userHandle)).toBeNull();
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

    describe("passkey names are unique per user by passkeyNameKey", () => {
      it.each([
        ["another case", "Work Laptop", "WORK LAPTOP"],
        ["NFD against NFC", "Caf\u00e9 key", "Cafe\u0301 key"],
        ["a full case mapping (ß upper-cases to SS)", "Stra\u00dfe", "STRASSE"],
      ])("refuses a second credential whose name differs only by %s: name_taken, nothing written", async (_label, first, second) => {
        const { store } = fixture();
        const { user, credential } = await signedUp({ name: first });
        const attempted = aStoredCredentialFor(user, { name: second, createdAt: BASE_TIME + 1 });

        expect(await store.add(attempted)).toBe("name_taken");

        expect(await store.findCredential(attempted.credentialId)).toBeNull();
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain(credential)]);
      });

      it("lets two users give their passkeys one name", async () => {
        const { store } = fixture();
        await signedUp({ name: "Phone" });
        const other = aUserAccount();
        expect(await store.add(aStoredCredentialFor(other, { name: "PHONE" }), other)).toBe("added");
      });

      it("answers credential_exists and username_taken before name_taken", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp({ name: "Phone" });
        expect(await store.add(aStoredCredentialFor(user, { credentialId: credential.credentialId, name: "phone" }))).toBe("credential_exists");
        const rival = aUserAccount({ usernameKey: user.usernameKey });
        expect(await store.add(aStoredCredentialFor(rival, { name: "Phone" }), rival)).toBe("username_taken");
      });

      it("lets exactly one of concurrent adds with one name to one user through", async () => {
        const { store } = fixture();
        const { user } = await signedUp({ name: "Original" });
        const attempts = Array.from({ length: 8 }, (_, i) => aStoredCredentialFor(user, { name: i % 2 === 0 ? "Key" : "KEY", createdAt: BASE_TIME + i + 1 }));

        const outcomes = await Promise.all(attempts.map((credential) => store.add(credential)));

        expect(outcomes.filter((o) => o === "added")).toHaveLength(1);
        expect(outcomes.filter((o) => o === "name_taken")).toHaveLength(attempts.length - 1);
        expect((await store.listCredentials(user.userHandle)).map((c) => c.name)).toEqual(["Original", attempts[outcomes.indexOf("added")]?.name]);
      });
    });

    describe("updateCredential", () => {
      it("renames a credential, gives back the updated record and changes nothing else", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp({ name: "Phone" });

        const updated = await store.updateCredential(user.userHandle, credential.credentialId, { name: "Old phone" }, KEEP_ONE);

        expect(plain(updated as StoredCredential)).toEqual(plain({ ...credential, name: "Old phone" }));
        expect(plain(await store.findCredential(credential.credentialId))).toEqual(plain({ ...credential, name: "Old phone" }));
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain({ ...credential, name: "Old phone" })]);
      });

      it("disables and enables a credential, and renames it in the same change", async () => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials(["One", "Two"]);
        const [first] = credentials;

        expect(plain((await store.updateCredential(user.userHandle, first.credentialId, { enabled: false }, KEEP_ONE)) as StoredCredential)).toEqual(plain({ ...first, enabled: false }));
        expect((await store.findCredential(first.credentialId))?.enabled).toBe(false);
        const both = await store.updateCredential(user.userHandle, first.credentialId, { enabled: true, name: "Back" }, KEEP_ONE);
        expect(plain(both as StoredCredential)).toEqual(plain({ ...first, enabled: true, name: "Back" }));
        expect(plain(await store.findCredential(first.credentialId))).toEqual(plain({ ...first, enabled: true, name: "Back" }));
      });

      it("answers not_found for another user's credential and changes nothing, even where the name or rule would refuse", async () => {
        const { store } = fixture();
        const { user } = await signedUp({ name: "Mine" });
        const { credential: theirs } = await signedUp({ name: "Theirs" });

        expect(await store.updateCredential(user.userHandle, theirs.credentialId, { name: "Renamed" }, KEEP_ONE)).toBe("not_found");
        expect(await store.updateCredential(user.userHandle, theirs.credentialId, { name: "Mine" }, KEEP_ONE)).toBe("not_found");
        expect(await store.updateCredential(user.userHandle, theirs.credentialId, { enabled: false }, KEEP_ONE)).toBe("not_found");

        expect(plain(await store.findCredential(theirs.credentialId))).toEqual(plain(theirs));
      });

      it("answers not_found for an unknown credential id and for an unknown user", async () => {
        const { store } = fixture();
        const { credential } = await signedUp();
        expect(await store.updateCredential(credential.userHandle, uniqueId(16), { name: "X" }, KEEP_ONE)).toBe("not_found");
        expect(await store.updateCredential(uniqueId(32), credential.credentialId, { enabled: false }, NO_RULE)).toBe("not_found");
        expect(await store.findCredential(uniqueId(16))).toBeNull();
      });

      it.each([
        ["another case", "Laptop", "LAPTOP"],
        ["NFD against NFC", "R\u00e9sum\u00e9", "Re\u0301sume\u0301"],
      ])("answers name_taken for another credential's name in %s, writing nothing (not even an enabled change in the same call)", async (_label, taken, attempted) => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials([taken, "Phone"]);
        const [, phone] = credentials;

        expect(await store.updateCredential(user.userHandle, phone.credentialId, { name: attempted, enabled: false }, NO_RULE)).toBe("name_taken");

        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual(credentials.map(plain));
      });

      it("allows renaming a credential to its own name in another case", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp({ name: "laptop" });

        const updated = await store.updateCredential(user.userHandle, credential.credentialId, { name: "Laptop" }, KEEP_ONE);

        expect((updated as StoredCredential).name).toBe("Laptop");
        expect((await store.findCredential(credential.credentialId))?.name).toBe("Laptop");
        // The key is still the credential's own: another credential cannot take it.
        expect(await store.add(aStoredCredentialFor(user, { name: "LAPTOP", createdAt: BASE_TIME + 1 }))).toBe("name_taken");
      });

      it("frees the old name: another credential of the user may take it afterwards", async () => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials(["Phone", "Tablet"]);
        const [phone, tablet] = credentials;

        expect(await store.updateCredential(user.userHandle, phone.credentialId, { name: "Old phone" }, KEEP_ONE)).toMatchObject({ name: "Old phone" });

        expect(await store.updateCredential(user.userHandle, tablet.credentialId, { name: "phone" }, KEEP_ONE)).toMatchObject({ name: "phone" });
        expect(await store.add(aStoredCredentialFor(user, { name: "Tablet", createdAt: BASE_TIME + 9 }))).toBe("added");
        expect(await store.add(aStoredCredentialFor(user, { name: "OLD PHONE", createdAt: BASE_TIME + 10 }))).toBe("name_taken");
      });

      it("ignores other users' names", async () => {
        const { store } = fixture();
        await signedUp({ name: "Shared" });
        const { user, credential } = await signedUp({ name: "Mine" });
        expect(await store.updateCredential(user.userHandle, credential.credentialId, { name: "shared" }, KEEP_ONE)).toMatchObject({ name: "shared" });
      });

      it("answers last_credential for disabling the last enabled credential under keepOneEnabled, and writes nothing", async () => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials(["One", "Two"]);
        const [first, second] = credentials;
        expect(await store.updateCredential(user.userHandle, first.credentialId, { enabled: false }, KEEP_ONE)).toMatchObject({ enabled: false });

        expect(await store.updateCredential(user.userHandle, second.credentialId, { enabled: false, name: "Renamed" }, KEEP_ONE)).toBe("last_credential");

        expect(plain(await store.findCredential(second.credentialId))).toEqual(plain(second));
      });

      it("disables the last enabled credential without keepOneEnabled", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp();
        expect(await store.updateCredential(user.userHandle, credential.credentialId, { enabled: false }, NO_RULE)).toMatchObject({ enabled: false });
        expect((await store.listCredentials(user.userHandle)).map((c) => c.enabled)).toEqual([false]);
      });

      it("always enables, also when no credential is enabled, and then counts it under keepOneEnabled", async () => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials(["One", "Two"]);
        const [first, second] = credentials;
        await store.updateCredential(user.userHandle, first.credentialId, { enabled: false }, NO_RULE);
        await store.updateCredential(user.userHandle, second.credentialId, { enabled: false }, NO_RULE);

        expect(await store.updateCredential(user.userHandle, first.credentialId, { enabled: true }, KEEP_ONE)).toMatchObject({ enabled: true });
        expect(await store.updateCredential(user.userHandle, second.credentialId, { enabled: true }, KEEP_ONE)).toMatchObject({ enabled: true });

        // Both count again: one of them may be disabled, then not the other.
        expect(await store.updateCredential(user.userHandle, first.credentialId, { enabled: false }, KEEP_ONE)).toMatchObject({ enabled: false });
        expect(await store.updateCredential(user.userHandle, second.credentialId, { enabled: false }, KEEP_ONE)).toBe("last_credential");
      });

      it("answers with the credential as it is when the change sets values it already has", async () => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials(["One", "Two"]);
        const [first, second] = credentials;
        await store.updateCredential(user.userHandle, first.credentialId, { enabled: false }, KEEP_ONE);

        // Disabling a disabled credential breaks no rule, even with one enabled credential left.
        expect(plain((await store.updateCredential(user.userHandle, first.credentialId, { enabled: false }, KEEP_ONE)) as StoredCredential)).toEqual(plain({ ...first, enabled: false }));
        expect(plain((await store.updateCredential(user.userHandle, second.credentialId, { name: second.name, enabled: true }, KEEP_ONE)) as StoredCredential)).toEqual(plain(second));
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain({ ...first, enabled: false }), plain(second)]);
      });

      it("records no authentication for a disabled credential: a disable wins over a sign-in that read it before", async () => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials(["One", "Two"]);
        const [first] = credentials;
        await store.updateCredential(user.userHandle, first.credentialId, { enabled: false }, KEEP_ONE);

        expect(await store.recordAuthentication(first.credentialId, 0, { counter: 1, backupState: false, lastUsedAt: BASE_TIME + 1 })).toBe("conflict");

        expect((await store.findCredential(first.credentialId))?.counter).toBe(0);
      });

      it("lets exactly one of two concurrent renames of two credentials to one name through", async () => {
        const { store } = fixture();
        for (let round = 0; round < CONCURRENT_ROUNDS; round++) {
          const { user, credentials } = await withCredentials(["One", "Two"]);
          const [first, second] = credentials;

          const outcomes = await Promise.all([
            store.updateCredential(user.userHandle, first.credentialId, { name: "Same" }, KEEP_ONE),
            store.updateCredential(user.userHandle, second.credentialId, { name: "SAME" }, KEEP_ONE),
          ]);

          expect(outcomes.filter((o) => o === "name_taken")).toHaveLength(1);
          const names = (await store.listCredentials(user.userHandle)).map((c) => c.name.toLowerCase());
          expect(names.filter((name) => name === "same")).toHaveLength(1);
        }
      });
    });

    describe("deleteCredential", () => {
      it("deletes the credential and only it", async () => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials(["One", "Two", "Three"]);
        const [first, second, third] = credentials;

        expect(await store.deleteCredential(user.userHandle, second.credentialId, KEEP_ONE)).toBe("deleted");

        expect(await store.findCredential(second.credentialId)).toBeNull();
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain(first), plain(third)]);
        expect(await store.findUserByHandle(user.userHandle)).toEqual(user);
      });

      it("answers not_found for another user's credential, an unknown id and a credential already deleted", async () => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials(["One", "Two"]);
        const { credential: theirs } = await signedUp();

        expect(await store.deleteCredential(user.userHandle, theirs.credentialId, NO_RULE)).toBe("not_found");
        expect(plain(await store.findCredential(theirs.credentialId))).toEqual(plain(theirs));
        expect(await store.deleteCredential(user.userHandle, uniqueId(16), NO_RULE)).toBe("not_found");
        expect(await store.deleteCredential(user.userHandle, credentials[0].credentialId, NO_RULE)).toBe("deleted");
        expect(await store.deleteCredential(user.userHandle, credentials[0].credentialId, NO_RULE)).toBe("not_found");
      });

      it("answers last_credential for the last enabled credential under keepOneEnabled, and keeps it", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp();

        expect(await store.deleteCredential(user.userHandle, credential.credentialId, KEEP_ONE)).toBe("last_credential");

        expect(plain(await store.findCredential(credential.credentialId))).toEqual(plain(credential));
      });

      it("deletes the last credential without keepOneEnabled, keeping the user", async () => {
        const { store } = fixture();
        const user = aUserAccount({ identityUserId: `password-user-${uniqueId()}`, origin: "identity_provider" });
        const credential = aStoredCredentialFor(user);
        await store.add(credential, user);

        expect(await store.deleteCredential(user.userHandle, credential.credentialId, NO_RULE)).toBe("deleted");

        expect(await store.listCredentials(user.userHandle)).toEqual([]);
        expect(await store.findUserByHandle(user.userHandle)).toEqual(user);
        // The user may register a passkey again.
        expect(await store.add(aStoredCredentialFor(user, { name: credential.name }))).toBe("added");
      });

      it("deletes a disabled credential under keepOneEnabled, but not then the one enabled credential left", async () => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials(["One", "Two"]);
        const [first, second] = credentials;
        await store.updateCredential(user.userHandle, first.credentialId, { enabled: false }, KEEP_ONE);

        expect(await store.deleteCredential(user.userHandle, first.credentialId, KEEP_ONE)).toBe("deleted");
        expect(await store.deleteCredential(user.userHandle, second.credentialId, KEEP_ONE)).toBe("last_credential");
      });

      it("counts credentials added later, enabled or not", async () => {
        const { store } = fixture();
        const { user, credential: first } = await signedUp();
        const enabled = aStoredCredentialFor(user, { createdAt: BASE_TIME + 1 });
        const disabled = aStoredCredentialFor(user, { createdAt: BASE_TIME + 2, enabled: false });
        expect(await store.add(enabled)).toBe("added");
        expect(await store.add(disabled)).toBe("added");

        expect(await store.deleteCredential(user.userHandle, first.credentialId, KEEP_ONE)).toBe("deleted");
        expect(await store.deleteCredential(user.userHandle, enabled.credentialId, KEEP_ONE)).toBe("last_credential");
        expect(await store.deleteCredential(user.userHandle, disabled.credentialId, KEEP_ONE)).toBe("deleted");
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain(enabled)]);
      });

      it("frees the credential's name", async () => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials(["Phone", "Laptop"]);

        expect(await store.deleteCredential(user.userHandle, credentials[0].credentialId, KEEP_ONE)).toBe("deleted");

        expect(await store.updateCredential(user.userHandle, credentials[1].credentialId, { name: "PHONE" }, KEEP_ONE)).toMatchObject({ name: "PHONE" });
        expect(await store.add(aStoredCredentialFor(user, { name: "laptop", createdAt: BASE_TIME + 5 }))).toBe("added");
      });
    });

    describe(`the lock-out rule under concurrency (${CONCURRENT_ROUNDS} rounds each)`, () => {
      type Change = (store: CredentialStore, user: UserAccount, credential: StoredCredential) => Promise<unknown>;
      const remove: Change = (store, user, credential) => store.deleteCredential(user.userHandle, credential.credentialId, KEEP_ONE);
      const disable: Change = (store, user, credential) => store.updateCredential(user.userHandle, credential.credentialId, { enabled: false }, KEEP_ONE);
      const succeeded = (outcome: unknown): boolean => outcome === "deleted" || (typeof outcome === "object" && outcome !== null);

      it.each<[string, Change, Change]>([
        ["two deletes", remove, remove],
        ["a delete and a disable", remove, disable],
        ["a disable and a delete", disable, remove],
        ["two disables", disable, disable],
      ])("lets exactly one of %s of a user's last two enabled credentials through", async (_label, one, other) => {
        const { store } = fixture();
        for (let round = 0; round < CONCURRENT_ROUNDS; round++) {
          const { user, credentials } = await withCredentials(["One", "Two", "Three"]);
          // A disabled third credential does not count, and a rule that counted it would let both through.
          await store.updateCredential(user.userHandle, credentials[2].credentialId, { enabled: false }, NO_RULE);

          const outcomes = await Promise.all([one(store, user, credentials[0]), other(store, user, credentials[1])]);

          expect(outcomes.filter(succeeded)).toHaveLength(1);
          expect(outcomes.filter((o) => o === "last_credential")).toHaveLength(1);
          const left = await store.listCredentials(user.userHandle);
          expect(left.filter((c) => c.enabled)).toHaveLength(1);
        }
      });

      it("lets every one of concurrent deletes through without keepOneEnabled", async () => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials(["One", "Two", "Three", "Four"]);

        const outcomes = await Promise.all(credentials.map((credential) => store.deleteCredential(user.userHandle, credential.credentialId, NO_RULE)));

        expect(outcomes).toEqual(["deleted", "deleted", "deleted", "deleted"]);
        expect(await store.listCredentials(user.userHandle)).toEqual([]);
      });
    });

    describe("updateUser", () => {
      it("changes the display name on every record of the user", async () => {
        const { store } = fixture();
        const { user } = await signedUp();

        const updated = await store.updateUser(user.userHandle, { displayName: "Alice Ångström-Ng" });

        const expected = { ...user, displayName: "Alice Ångström-Ng" };
        expect(updated).toEqual(expected);
        expect(await store.findUserByHandle(user.userHandle)).toEqual(expected);
        expect(await store.findUserByIdentity(user.identityUserId)).toEqual(expected);
        expect(await store.findUserByUsername(user.usernameKey)).toEqual(expected);
      });

      it("moves the username: the new key finds the user, the old one is free for others", async () => {
        const { store } = fixture();
        const { user, credential } = await signedUp();
        const username = freshUsername("Renamed");

        const updated = await store.updateUser(user.userHandle, { username: { username, usernameKey: username.toLowerCase() }, displayName: "Renamed" });

        const expected = { ...user, username, usernameKey: username.toLowerCase(), displayName: "Renamed" };
        expect(updated).toEqual(expected);
        expect(await store.findUserByUsername(username.toLowerCase())).toEqual(expected);
        expect(await store.findUserByHandle(user.userHandle)).toEqual(expected);
        expect(await store.findUserByIdentity(user.identityUserId)).toEqual(expected);
        expect(await store.findUserByUsername(user.usernameKey)).toBeNull();
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain(credential)]);

        const newcomer = aUserAccount({ username: user.username, usernameKey: user.usernameKey });
        expect(await store.add(aStoredCredentialFor(newcomer), newcomer)).toBe("added");
        const rival = aUserAccount({ username: username.toUpperCase(), usernameKey: username.toLowerCase() });
        expect(await store.add(aStoredCredentialFor(rival), rival)).toBe("username_taken");
      });

      it("allows a change of case of the user's own username", async () => {
        const { store } = fixture();
        const username = freshUsername("erin");
        const { user } = await signedUpAs(aUserAccount({ username, usernameKey: username.toLowerCase() }));
        const upper = username.toUpperCase();

        const updated = await store.updateUser(user.userHandle, { username: { username: upper, usernameKey: user.usernameKey } });

        expect(updated).toEqual({ ...user, username: upper });
        expect(await store.findUserByUsername(user.usernameKey)).toEqual({ ...user, username: upper });
        expect(await store.findUserByIdentity(user.identityUserId)).toEqual({ ...user, username: upper });
      });

      it("answers username_taken for another user's key and changes nothing", async () => {
        const { store } = fixture();
        const { user } = await signedUp();
        const { user: other } = await signedUp();

        expect(await store.updateUser(user.userHandle, { username: { username: other.username.toUpperCase(), usernameKey: other.usernameKey }, displayName: "Changed" })).toBe("username_taken");

        expect(await store.findUserByHandle(user.userHandle)).toEqual(user);
        expect(await store.findUserByUsername(user.usernameKey)).toEqual(user);
        expect(await store.findUserByUsername(other.usernameKey)).toEqual(other);
      });

      it("answers not_found for an unknown handle and creates nobody", async () => {
        const { store } = fixture();
        const username = freshUsername("ghost");
        const handle = uniqueId(32);
        expect(await store.updateUser(handle, { username: { username, usernameKey: username.toLowerCase() } })).toBe("not_found");
        expect(await store.findUserByHandle(handle)).toBeNull();
        expect(await store.findUserByUsername(username.toLowerCase())).toBeNull();
      });

      it("answers with the user as it is when nothing changes", async () => {
        const { store } = fixture();
        const { user } = await signedUp();
        expect(await store.updateUser(user.userHandle, { displayName: user.displayName, username: { username: user.username, usernameKey: user.usernameKey } })).toEqual(user);
        expect(await store.findUserByUsername(user.usernameKey)).toEqual(user);
      });

      it("lets exactly one of two users who take one new username concurrently through", async () => {
        const { store } = fixture();
        const { user: one } = await signedUp();
        const { user: two } = await signedUp();
        const username = freshUsername("Wanted");
        const change = { username: { username, usernameKey: username.toLowerCase() } };

        const outcomes = await Promise.all([store.updateUser(one.userHandle, change), store.updateUser(two.userHandle, change)]);

        expect(outcomes.filter((o) => o === "username_taken")).toHaveLength(1);
        const winner = outcomes[0] === "username_taken" ? two : one;
        const loser = winner === one ? two : one;
        expect((await store.findUserByUsername(username.toLowerCase()))?.userHandle).toBe(winner.userHandle);
        expect(await store.findUserByUsername(loser.usernameKey)).toEqual(loser);
      });
    });

    describe("deleteUser", () => {
      it("removes the user, every credential and everything that finds them, and frees the username and identity user", async () => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials(["Phone", "Laptop", "Key"]);
        await store.updateCredential(user.userHandle, credentials[1].credentialId, { enabled: false }, KEEP_ONE);
        const { user: bystander, credential: theirs } = await signedUp({ name: "Phone" });

        expect(await store.deleteUser(user.userHandle)).toBe("deleted");

        expect(await store.findUserByHandle(user.userHandle)).toBeNull();
        expect(await store.findUserByIdentity(user.identityUserId)).toBeNull();
        expect(await store.findUserByUsername(user.usernameKey)).toBeNull();
        expect(await store.listCredentials(user.userHandle)).toEqual([]);
        for (const credential of credentials) expect(await store.findCredential(credential.credentialId)).toBeNull();
        expect(await store.findUserByHandle(bystander.userHandle)).toEqual(bystander);
        expect(plain(await store.findCredential(theirs.credentialId))).toEqual(plain(theirs));

        // Everything is free again: the same username, identity user, handle and names sign up anew.
        const again = aUserAccount({ userHandle: user.userHandle, identityUserId: user.identityUserId, username: user.username, usernameKey: user.usernameKey });
        const fresh = aStoredCredentialFor(again, { name: "Phone" });
        expect(await store.add(fresh, again)).toBe("added");
        expect((await store.listCredentials(user.userHandle)).map(plain)).toEqual([plain(fresh)]);
        expect(await store.add(aStoredCredentialFor(again, { name: "laptop", createdAt: BASE_TIME + 1 }))).toBe("added");
      });

      it("is idempotent: a second call answers not_found and changes nothing", async () => {
        const { store } = fixture();
        const { user } = await signedUp();
        const { user: bystander } = await signedUp();

        expect(await store.deleteUser(user.userHandle)).toBe("deleted");
        expect(await store.deleteUser(user.userHandle)).toBe("not_found");

        expect(await store.findUserByHandle(user.userHandle)).toBeNull();
        expect(await store.findUserByHandle(bystander.userHandle)).toEqual(bystander);
      });

      it("answers not_found for an unknown handle", async () => {
        const { store } = fixture();
        await signedUp();
        expect(await store.deleteUser(uniqueId(32))).toBe("not_found");
      });

      it("deletes a user who has no credential left", async () => {
        const { store } = fixture();
        const user = aUserAccount({ identityUserId: `password-user-${uniqueId()}`, origin: "identity_provider" });
        const credential = aStoredCredentialFor(user);
        await store.add(credential, user);
        await store.deleteCredential(user.userHandle, credential.credentialId, NO_RULE);

        expect(await store.deleteUser(user.userHandle)).toBe("deleted");

        expect(await store.findUserByIdentity(user.identityUserId)).toBeNull();
        expect(await store.findUserByUsername(user.usernameKey)).toBeNull();
      });

      it(`deletes a user with ${MANY_CREDENTIALS} credentials`, async () => {
        const { store } = fixture();
        const { user, credentials } = await withCredentials(Array.from({ length: MANY_CREDENTIALS }, (_, i) => `Passkey ${i}`));

        expect(await store.deleteUser(user.userHandle)).toBe("deleted");

        expect(await store.listCredentials(user.userHandle)).toEqual([]);
        for (const credential of credentials) expect(await store.findCredential(credential.credentialId)).toBeNull();
        expect(await store.findUserByHandle(user.userHandle)).toBeNull();
      });

      it("frees the renamed username, not the one the user had before", async () => {
        const { store } = fixture();
        const { user } = await signedUp();
        const username = freshUsername("Later");
        await store.updateUser(user.userHandle, { username: { username, usernameKey: username.toLowerCase() } });
        const { user: successor } = await signedUpAs(aUserAccount({ username: user.username, usernameKey: user.usernameKey }));

        expect(await store.deleteUser(user.userHandle)).toBe("deleted");

        expect(await store.findUserByUsername(username.toLowerCase())).toBeNull();
        expect(await store.findUserByUsername(user.usernameKey)).toEqual(successor);
      });

      it("ends with nothing of the user whichever of a concurrent delete and add of a credential comes first", async () => {
        const { store } = fixture();
        for (let round = 0; round < 5; round++) {
          const { user } = await withCredentials(["One", "Two"]);
          const late = aStoredCredentialFor(user, { createdAt: BASE_TIME + 100 });

          const [deleted, added] = await Promise.all([store.deleteUser(user.userHandle), store.add(late)]);

          expect(deleted).toBe("deleted");
          // Either the credential was added before the user was deleted (and deleted with them) or it found no user.
          expect(["added", "user_not_found"]).toContain(added);
          expect(await store.listCredentials(user.userHandle)).toEqual([]);
          expect(await store.findCredential(late.credentialId)).toBeNull();
          expect(await store.findUserByHandle(user.userHandle)).toBeNull();
        }
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

  describeListUsersContract(name, factory);
}

/**
 * `listUsers`, a suite of its own so that an adapter can also run it alone, with other settings (small
 * Scan pages). The store may hold other tests' users (a shared table): each test checks its own users,
 * and only the order and the uniqueness of the others.
 */
export function describeListUsersContract(name: string, factory: CredentialStoreFactory): void {
  describe(`CredentialStore contract, listUsers: ${name}`, () => {
    const fixture = useFixture(factory);

    /**
     * Lists page after page with `limit` from `cursor` until `stop` says enough or the store says done,
     * checking each page: at most `limit` users, fewer only on the last. `between` runs after each page.
     */
    async function walk(
      limit: number,
      options: { cursor?: string | null; stop?: (seen: readonly UserAccount[]) => boolean; between?: (page: number) => Promise<void> } = {},
    ): Promise<{ users: UserAccount[]; cursor: string | null }> {
      const users: UserAccount[] = [];
      let cursor = options.cursor ?? null;
      for (let page = 0; ; page++) {
        const listed = await fixture().store.listUsers({ limit, cursor });
        if (!listed.ok) throw new Error(`listUsers answered ${listed.error}`);
        expect(listed.value.users.length).toBeLessThanOrEqual(limit);
        if (listed.value.nextCursor !== null) expect(listed.value.users).toHaveLength(limit);
        users.push(...listed.value.users);
        cursor = listed.value.nextCursor;
        if (cursor === null || options.stop?.(users) === true) return { users, cursor };
        await options.between?.(page);
      }
    }

    const handles = (users: readonly UserAccount[]): string[] => users.map((user) => user.userHandle);

    /** A user with one credential per entry of `enabled`, created a second apart. */
    async function withPasskeys(enabled: readonly boolean[], overrides: Partial<UserAccount> = {}): Promise<UserAccount> {
      const user = aUserAccount(overrides);
      for (const [i, on] of enabled.entries()) {
        const credential = aStoredCredentialFor(user, { createdAt: BASE_TIME + i * 1_000, name: `Passkey ${i + 1}`, enabled: on });
        expect(await fixture().store.add(credential, i === 0 ? user : undefined)).toBe("added");
      }
      return user;
    }

    it("lists every user once, with every field as findUserByHandle answers, whatever their credentials", async () => {
      const { store } = fixture();
      const several = await withPasskeys([true, false, true]);
      const allDisabled = await withPasskeys([false]);
      // A password user who added a passkey and deleted it again: an account with no credential at all.
      const none = await withPasskeys([true], { identityUserId: uniqueId(), origin: "identity_provider" });
      const [onlyOne] = await store.listCredentials(none.userHandle);
      expect(await store.deleteCredential(none.userHandle, onlyOne!.credentialId, NO_RULE)).toBe("deleted");
      const renamed = await withPasskeys([true]);
      const newName = freshUsername("Renamed");
      expect(await store.updateUser(renamed.userHandle, { username: { username: newName, usernameKey: newName.toLowerCase() }, displayName: "New Name" })).not.toBe("not_found");
      const deleted = await withPasskeys([true, true]);
      expect(await store.deleteUser(deleted.userHandle)).toBe("deleted");
      const ours = [several, allDisabled, none, renamed, deleted];

      const { users } = await walk(100);

      expect(new Set(handles(users)).size).toBe(users.length);
      const listed = users.filter((user) => ours.some((own) => own.userHandle === user.userHandle));
      const expected = await Promise.all([several, allDisabled, none, renamed].map((user) => store.findUserByHandle(user.userHandle)));
      expect(sortedByHandle(listed)).toEqual(sortedByHandle(expected.map((user) => user!)));
      expect(listed.find((user) => user.userHandle === renamed.userHandle)).toMatchObject({ username: newName, displayName: "New Name" });
    });

    it("reads the same users in the same order whatever the page size", async () => {
      for (let i = 0; i < 12; i++) await withPasskeys([true]);
      const reference = handles((await walk(12, { stop: () => true })).users);
      expect(reference).toHaveLength(12);

      for (const limit of [1, 2, 5]) {
        const { users } = await walk(limit, { stop: (seen) => seen.length >= 12 });
        expect(handles(users).slice(0, 12), `limit ${limit}`).toEqual(reference);
      }
    });

    it("answers the last page with no cursor, and a cursor from it continues to nothing", async () => {
      const { store } = fixture();
      await withPasskeys([true]);
      const { users, cursor } = await walk(1_000);
      expect(cursor).toBeNull();
      expect(users.length).toBeGreaterThan(0);

      const first = await store.listUsers({ limit: 1, cursor: null });
      expect(first.ok && first.value.users).toHaveLength(1);
    });

    it("keeps its place when the cursor's user and others are deleted and users are added meanwhile", async () => {
      const { store } = fixture();
      for (let i = 0; i < 8; i++) await withPasskeys([true]);
      // The store's first eight users (in a shared table maybe other tests' ones, which no test reads again).
      const reference = (await walk(8, { stop: () => true })).users;
      const rest = handles(reference.slice(3));

      const { users } = await walk(3, {
        stop: (seen) => rest.every((handle) => seen.some((user) => user.userHandle === handle)),
        between: async (page) => {
          if (page !== 0) return;
          // The page ended at reference[2]: its cursor names that user, now gone.
          expect(await store.deleteUser(reference[2]!.userHandle)).toBe("deleted");
          expect(await store.deleteUser(reference[0]!.userHandle)).toBe("deleted");
          for (let i = 0; i < 3; i++) await withPasskeys([true]);
        },
      });

      expect(handles(users.slice(0, 3))).toEqual(handles(reference.slice(0, 3)));
      expect(handles(users).filter((handle) => rest.includes(handle))).toEqual(rest);
      expect(new Set(handles(users)).size).toBe(users.length);
    });

    it.each([
      ["an empty cursor", ""],
      ["one that is not base64url", "not a cursor!"],
      ["base64url of no JSON", Buffer.from("h=abc").toString("base64url")],
      ["a JSON array", Buffer.from("[\"abc\"]").toString("base64url")],
      ["an object without the handle", Buffer.from("{}").toString("base64url")],
      ["a handle that is no string", Buffer.from(JSON.stringify({ h: 7 })).toString("base64url")],
      ["an empty handle", Buffer.from(JSON.stringify({ h: "" })).toString("base64url")],
      ["an extra field", Buffer.from(JSON.stringify({ h: "abc", k: "def" })).toString("base64url")],
      ["an overlong one", "A".repeat(4_096)],
    ])("refuses %s as cursor_invalid", async (_label, cursor) => {
      expect(await fixture().store.listUsers({ limit: 10, cursor })).toEqual({ ok: false, error: "cursor_invalid" });
    });

    it.each([0, -1, 1_001, 2.5, Number.NaN])("throws a RangeError for a limit of %s", async (limit) => {
      await expect(fixture().store.listUsers({ limit, cursor: null })).rejects.toThrow(RangeError);
    });

    it("returns users the caller cannot change in the store", async () => {
      const { store } = fixture();
      const user = await withPasskeys([true]);
      const { users } = await walk(1_000);
      for (const listed of users) (listed as { displayName: string }).displayName = "changed";
      expect(await store.findUserByHandle(user.userHandle)).toMatchObject({ displayName: user.displayName });
    });
  });
}

function sortedByHandle(users: readonly UserAccount[]): UserAccount[] {
  return [...users].sort((a, b) => (a.userHandle < b.userHandle ? -1 : a.userHandle > b.userHandle ? 1 : 0));
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
