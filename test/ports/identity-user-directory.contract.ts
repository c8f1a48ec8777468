/**
 * The IdentityUserDirectory contract (src/ports/identity-user-directory.ts), as a suite any adapter can run:
 *
 *   describeIdentityUserDirectoryContract("InMemoryIdentityUserDirectory", async () => ({ directory }));
 *
 * Every test gets a fresh fixture from the factory and calls its `cleanup` afterwards. Usernames are
 * random, so the suite also works against a table shared between tests.
 */
import { describe, expect, it } from "vitest";
import type { IdentityUser, IdentityUserDirectory, PasswordCredential } from "../../src/ports/identity-user-directory.js";
import { uniqueId } from "../support/kit.js";
import { settle, useFixture } from "./fixture.js";

export interface IdentityUserDirectoryFixture {
  readonly directory: IdentityUserDirectory;
  readonly cleanup?: () => Promise<void>;
}

export type IdentityUserDirectoryFactory = () => Promise<IdentityUserDirectoryFixture>;

const CONCURRENT_CREATES = 20;
const CONCURRENT_UPDATES = 10;

/** A user as the local identity provider creates one for a passkey sign-up: the user handle as username. */
export function anIdentityUser(overrides: Partial<IdentityUser> = {}): IdentityUser {
  return {
    username: uniqueId(64),
    sub: crypto.randomUUID(),
    attributes: { preferred_username: "alice@example.com", name: "Alice Ängström 👩‍🔬" },
    ...overrides,
  };
}

/** Password material as the local identity provider derives it (ADR 0024); only its shape matters here. */
export function aPasswordCredential(overrides: Partial<PasswordCredential> = {}): PasswordCredential {
  return {
    hash: `$argon2id$v=19$m=19456,t=2,p=1$${uniqueId(16)}$${uniqueId(32)}`,
    srpSalt: randomHex(16),
    srpVerifier: randomHex(384),
    ...overrides,
  };
}

function randomHex(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");
}

export function describeIdentityUserDirectoryContract(name: string, factory: IdentityUserDirectoryFactory): void {
  describe(`IdentityUserDirectory contract: ${name}`, () => {
    const fixture = useFixture(factory);

    describe("create and find", () => {
      it("finds a created user by username, exactly as created", async () => {
        const user = anIdentityUser();
        expect(await fixture().directory.create(user)).toBe("created");
        expect(await fixture().directory.find(user.username)).toEqual(user);
      });

      it("keeps a user with no attributes, and attributes of any name", async () => {
        const bare = anIdentityUser({ attributes: {} });
        const custom = anIdentityUser({ attributes: { "custom:tenant": "acme", email: "grace@example.com", empty: "" } });
        await fixture().directory.create(bare);
        await fixture().directory.create(custom);
        expect(await fixture().directory.find(bare.username)).toEqual(bare);
        expect(await fixture().directory.find(custom.username)).toEqual(custom);
      });

      it("answers null for a username it does not have, also one that another username starts with", async () => {
        const user = anIdentityUser();
        await fixture().directory.create(user);
        expect(await fixture().directory.find(uniqueId(64))).toBeNull();
        expect(await fixture().directory.find(user.username.slice(0, -1))).toBeNull();
        expect(await fixture().directory.find(`${user.username}x`)).toBeNull();
      });

      it("answers 'exists' for a taken username and keeps the user already there", async () => {
        const user = anIdentityUser();
        await fixture().directory.create(user);
        const impostor = anIdentityUser({ username: user.username, attributes: { preferred_username: "mallory" } });
        expect(await fixture().directory.create(impostor)).toBe("exists");
        expect(await fixture().directory.find(user.username)).toEqual(user);
      });

      it("tells usernames apart by case", async () => {
        const lower = anIdentityUser({ username: `user-${uniqueId(8).toLowerCase()}` });
        const upper = anIdentityUser({ username: lower.username.toUpperCase() });
        expect(await fixture().directory.create(lower)).toBe("created");
        expect(await fixture().directory.create(upper)).toBe("created");
        expect((await fixture().directory.find(upper.username))?.sub).toBe(upper.sub);
      });

      it(`creates a username asked for ${CONCURRENT_CREATES} times at once exactly once, and keeps that one`, async () => {
        const username = uniqueId(64);
        const candidates = Array.from({ length: CONCURRENT_CREATES }, () => anIdentityUser({ username }));
        const outcomes = await Promise.all(
          candidates.map(async (candidate) => {
            await settle();
            return fixture().directory.create(candidate);
          }),
        );
        expect(outcomes.filter((o) => o === "created")).toHaveLength(1);
        expect(outcomes.filter((o) => o === "exists")).toHaveLength(CONCURRENT_CREATES - 1);
        const winner = candidates[outcomes.indexOf("created")];
        expect(await fixture().directory.find(username)).toEqual(winner);
      });

      it("hands out copies: changing a user given or returned changes nothing stored", async () => {
        const attributes: Record<string, string> = { name: "Original" };
        const user = anIdentityUser({ attributes });
        await fixture().directory.create(user);
        attributes.name = "Changed by the caller";
        const found = await fixture().directory.find(user.username);
        (found?.attributes as Record<string, string>).name = "Changed by the reader";
        expect((await fixture().directory.find(user.username))?.attributes).toEqual({ name: "Original" });
      });
    });

    describe("password", () => {
      it("finds a user created with a password with that password, exactly", async () => {
        const user = anIdentityUser({ password: aPasswordCredential() });
        expect(await fixture().directory.create(user)).toBe("created");
        expect(await fixture().directory.find(user.username)).toEqual(user);
      });

      it("finds a user created without a password with none, not even an empty one", async () => {
        const user = anIdentityUser();
        await fixture().directory.create(user);
        const found = await fixture().directory.find(user.username);
        expect(found).toEqual(user);
        expect(found !== null && "password" in found).toBe(false);
      });

      it("keeps the password through attribute updates, also of attributes named like its fields", async () => {
        const password = aPasswordCredential();
        const user = anIdentityUser({ password });
        await fixture().directory.create(user);
        expect(await fixture().directory.updateAttributes(user.username, { name: "Alicia", password: "not this", hash: "nor this" })).toBe("updated");
        expect(await fixture().directory.find(user.username)).toEqual({ ...user, attributes: { ...user.attributes, name: "Alicia", password: "not this", hash: "nor this" } });
      });

      it("keeps the password of the user already there when a create with another password is refused", async () => {
        const user = anIdentityUser({ password: aPasswordCredential() });
        await fixture().directory.create(user);
        expect(await fixture().directory.create(anIdentityUser({ username: user.username, password: aPasswordCredential() }))).toBe("exists");
        expect((await fixture().directory.find(user.username))?.password).toEqual(user.password);
      });

      it("hands out copies of the password: changing one given or returned changes nothing stored", async () => {
        const password = { ...aPasswordCredential() };
        const user = anIdentityUser({ password });
        await fixture().directory.create(user);
        const original = { ...password };
        (password as { hash: string }).hash = "changed by the caller";
        const found = await fixture().directory.find(user.username);
        if (found?.password !== undefined) (found.password as { srpVerifier: string }).srpVerifier = "changed by the reader";
        expect((await fixture().directory.find(user.username))?.password).toEqual(original);
      });

      it("is deleted with the user, and a successor without a password has none", async () => {
        const user = anIdentityUser({ password: aPasswordCredential() });
        await fixture().directory.create(user);
        await fixture().directory.delete(user.username);
        const successor = anIdentityUser({ username: user.username });
        await fixture().directory.create(successor);
        expect((await fixture().directory.find(user.username))?.password).toBeUndefined();
      });
    });

    describe("updateAttributes", () => {
      it("sets the named attributes and keeps the others, the username and the sub", async () => {
        const user = anIdentityUser({ attributes: { preferred_username: "alice", name: "Alice", "custom:tenant": "acme" } });
        await fixture().directory.create(user);
        expect(await fixture().directory.updateAttributes(user.username, { preferred_username: "Alicia", name: "Alicia Ängström 👩‍🔬" })).toBe("updated");
        expect(await fixture().directory.find(user.username)).toEqual({
          username: user.username,
          sub: user.sub,
          attributes: { preferred_username: "Alicia", name: "Alicia Ängström 👩‍🔬", "custom:tenant": "acme" },
        });
      });

      it("adds an attribute the user did not have, also one whose name is not an identifier", async () => {
        const user = anIdentityUser({ attributes: {} });
        await fixture().directory.create(user);
        expect(await fixture().directory.updateAttributes(user.username, { "custom:tenant": "acme", "a.b c": "x", empty: "" })).toBe("updated");
        expect((await fixture().directory.find(user.username))?.attributes).toEqual({ "custom:tenant": "acme", "a.b c": "x", empty: "" });
      });

      it("answers 'not_found' for an unknown or deleted username and creates no user", async () => {
        const unknown = uniqueId(64);
        expect(await fixture().directory.updateAttributes(unknown, { name: "Nobody" })).toBe("not_found");
        expect(await fixture().directory.find(unknown)).toBeNull();
        const user = anIdentityUser();
        await fixture().directory.create(user);
        await fixture().directory.delete(user.username);
        expect(await fixture().directory.updateAttributes(user.username, { name: "Ghost" })).toBe("not_found");
        expect(await fixture().directory.find(user.username)).toBeNull();
        // The username is still free for a new user, who gets none of the refused change.
        const successor = anIdentityUser({ username: user.username });
        expect(await fixture().directory.create(successor)).toBe("created");
        expect(await fixture().directory.find(user.username)).toEqual(successor);
      });

      it("with no attributes changes nothing and still says whether the user exists", async () => {
        const user = anIdentityUser();
        await fixture().directory.create(user);
        expect(await fixture().directory.updateAttributes(user.username, {})).toBe("updated");
        expect(await fixture().directory.find(user.username)).toEqual(user);
        expect(await fixture().directory.updateAttributes(uniqueId(64), {})).toBe("not_found");
      });

      it("changes only that user", async () => {
        const [kept, changed] = [anIdentityUser(), anIdentityUser()];
        await fixture().directory.create(kept);
        await fixture().directory.create(changed);
        await fixture().directory.updateAttributes(changed.username, { name: "Changed" });
        expect(await fixture().directory.find(kept.username)).toEqual(kept);
      });

      it(`keeps one whole value of ${CONCURRENT_UPDATES} concurrent updates of the same attributes`, async () => {
        const user = anIdentityUser();
        await fixture().directory.create(user);
        const changes = Array.from({ length: CONCURRENT_UPDATES }, (_, i) => ({ preferred_username: `user-${i}`, name: `Name ${i}` }));
        const outcomes = await Promise.all(
          changes.map(async (change) => {
            await settle();
            return fixture().directory.updateAttributes(user.username, change);
          }),
        );
        expect(outcomes.every((o) => o === "updated")).toBe(true);
        const stored = await fixture().directory.find(user.username);
        // Each attribute holds one of the values written; every update writes both in one step, so a pair never mixes.
        expect(changes).toContainEqual(stored?.attributes);
      });

      it("never brings back a user deleted while updates run", async () => {
        const user = anIdentityUser();
        await fixture().directory.create(user);
        const deleted = fixture().directory.delete(user.username);
        const updates = Array.from({ length: CONCURRENT_UPDATES }, async (_, i) => {
          await settle();
          return fixture().directory.updateAttributes(user.username, { name: `Late ${i}` });
        });
        await Promise.all([deleted, ...updates]);
        expect(await fixture().directory.find(user.username)).toBeNull();
      });

      it("keeps a copy: changing the attributes given afterwards changes nothing stored", async () => {
        const user = anIdentityUser();
        await fixture().directory.create(user);
        const change: Record<string, string> = { name: "Given" };
        await fixture().directory.updateAttributes(user.username, change);
        change.name = "Changed by the caller";
        expect((await fixture().directory.find(user.username))?.attributes.name).toBe("Given");
      });
    });

    describe("delete", () => {
      it("removes the user, and frees the username for a new one", async () => {
        const user = anIdentityUser();
        await fixture().directory.create(user);
        await fixture().directory.delete(user.username);
        expect(await fixture().directory.find(user.username)).toBeNull();
        const successor = anIdentityUser({ username: user.username });
        expect(await fixture().directory.create(successor)).toBe("created");
        expect(await fixture().directory.find(user.username)).toEqual(successor);
      });

      it("is idempotent: deleting an unknown or already deleted user resolves", async () => {
        const user = anIdentityUser();
        await fixture().directory.create(user);
        await fixture().directory.delete(user.username);
        await expect(fixture().directory.delete(user.username)).resolves.toBeUndefined();
        await expect(fixture().directory.delete(uniqueId(64))).resolves.toBeUndefined();
      });

      it("removes only that user", async () => {
        const [kept, gone] = [anIdentityUser(), anIdentityUser()];
        await fixture().directory.create(kept);
        await fixture().directory.create(gone);
        await fixture().directory.delete(gone.username);
        expect(await fixture().directory.find(kept.username)).toEqual(kept);
      });
    });
  });
}
