/**
 * The local identity provider's users live in the IdentityUserDirectory it is given, not in the
 * provider (issue 10 item 4): a provider started again over the same directory and credentials (a
 * restart) signs the same users in; what the provider itself holds (its signing key, sign-in sessions)
 * does not carry over, and refresh grants do only when the storage keeps them (memory here; DynamoDB
 * keeps them: local-user-pool.composition.test.ts). The directory's faults are the IdentityProvider
 * port's `identity_provider_unavailable`.
 */
import { apiServices } from "../../../src/composition/api-services.js";
import { describe, expect, it } from "vitest";
import { DynamoDbIdentityUserDirectory } from "../../../src/adapters/dynamodb/dynamodb-identity-user-directory.js";
import { InMemoryCredentialStore } from "../../../src/adapters/in-memory/in-memory-credential-store.js";
import { InMemoryIdentityUserDirectory } from "../../../src/adapters/in-memory/in-memory-identity-user-directory.js";
import type { LocalIdentityProvider } from "../../../src/adapters/local-identity/local-identity-provider.js";
import { authenticatorCatalog } from "../../../src/composition/authenticator-catalogs.js";
import { ConfigError, parseConfig } from "../../../src/composition/config.js";
import { buildContainer, resolve, Tokens } from "../../../src/composition/container.js";
import { cognitoIdentityProvider, withConfiguredIdentityProvider } from "../../../src/composition/identity-providers.js";
import { composeServices } from "../../../src/composition/services.js";
import type { IdentityUser, IdentityUserDirectory } from "../../../src/ports/identity-user-directory.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import type { CredentialStore } from "../../../src/ports/credential-store.js";
import { decodeJwt } from "../../support/kit.js";
import { ManualClock } from "../../support/manual-clock.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

const ORIGIN = "http://localhost:3000";

/** An in-memory directory that can be made to fail like a store out of reach, or like a bug. */
class SwitchableDirectory implements IdentityUserDirectory {
  readonly inner = new InMemoryIdentityUserDirectory();
  fault: Error | null = null;

  private check(): void {
    if (this.fault !== null) throw this.fault;
  }

  async create(user: IdentityUser): Promise<"created" | "exists"> {
    this.check();
    return this.inner.create(user);
  }

  async find(username: string): Promise<IdentityUser | null> {
    this.check();
    return this.inner.find(username);
  }

  async updateAttributes(username: string, attributes: Readonly<Record<string, string>>): Promise<"updated" | "not_found"> {
    this.check();
    return this.inner.updateAttributes(username, attributes);
  }

  async delete(username: string): Promise<void> {
    this.check();
    return this.inner.delete(username);
  }
}

const outage = (): StorageUnavailableError => new StorageUnavailableError("find identity user", true, new Error("ThrottlingException"));

/** One run of the local server's composition over the given storage. */
function boot(directory: IdentityUserDirectory, credentialStore: CredentialStore, clock = new ManualClock()) {
  const container = buildContainer(parseConfig({}), { clock, credentialStore, identityUserDirectory: () => directory });
  return {
    clock,
    idp: resolve(container, Tokens.identityProvider) as LocalIdentityProvider,
    registration: resolve(container, Tokens.registrationCeremony),
    signIn: resolve(container, Tokens.passkeySignIn),
  };
}

type Booted = ReturnType<typeof boot>;

async function signUp(env: Booted, authenticator: SoftwareAuthenticator, username = "alice") {
  const start = await env.registration.startForNewUser({ username, displayName: `${username} Example` });
  if (!start.ok) throw new Error(start.error);
  const finish = await env.registration.finish(start.value.sessionId, authenticator.createCredential(start.value.options, { origin: ORIGIN }));
  if (!finish.ok) throw new Error(finish.error);
  return finish.value;
}

async function signIn(env: Booted, authenticator: SoftwareAuthenticator, userId: string) {
  const start = await env.signIn.start(userId);
  if (!start.ok) throw new Error(start.error);
  const finished = await env.signIn.finish(start.value.session, userId, authenticator.getAssertion(start.value.credentialRequestOptions, { origin: ORIGIN }));
  // The provider's part of a sign-in is its tokens; the signals beside them are the domain's.
  return finished.ok ? { ok: true as const, value: finished.value.tokens } : finished;
}

describe("LocalIdentityProvider's users", () => {
  it("are those of its directory: a provider started again over the same storage signs them in as the same subject", async () => {
    const directory = new InMemoryIdentityUserDirectory();
    const credentials = new InMemoryCredentialStore();
    const authenticator = new SoftwareAuthenticator();
    const first = boot(directory, credentials);
    const user = await signUp(first, authenticator);
    const before = await signIn(first, authenticator, user.userHandle);
    if (!before.ok) throw new Error(before.error);
    expect(await directory.find(user.identityUserId)).toMatchObject({ username: user.identityUserId, attributes: { preferred_username: "alice", name: "alice Example" } });

    const second = boot(directory, credentials);
    const after = await signIn(second, authenticator, user.userHandle);
    if (!after.ok) throw new Error(after.error);

    expect(decodeJwt(after.value.idToken).payload).toMatchObject({ "cognito:username": user.identityUserId, sub: decodeJwt(before.value.idToken).payload.sub, preferred_username: "alice" });
    // What the first provider held itself is gone with it, and on memory storage its refresh grants too.
    expect(await second.idp.verifyIdToken(before.value.idToken)).toEqual({ ok: false, error: "token_signature_invalid" });
    expect(await second.idp.refreshTokens(before.value.refreshToken)).toEqual({ ok: false, error: "refresh_token_invalid" });
  });

  it("refuses a username its directory already has, whichever provider created it", async () => {
    const directory = new InMemoryIdentityUserDirectory();
    await boot(directory, new InMemoryCredentialStore()).idp.createUser({ username: "handle-1", preferredUsername: "a", name: "A" });
    const again = await boot(directory, new InMemoryCredentialStore()).idp.createUser({ username: "handle-1", preferredUsername: "b", name: "B" });
    expect(again).toEqual({ ok: false, error: "user_already_exists" });
    expect((await directory.find("handle-1"))?.attributes).toEqual({ preferred_username: "a", name: "A" });
  });

  it("keeps the subject of a user created with tokens when it is signed in that way again", async () => {
    const env = boot(new InMemoryIdentityUserDirectory(), new InMemoryCredentialStore());
    const first = await env.idp.createUserWithTokens("carol@example.com", { name: "Carol" });
    const second = await env.idp.createUserWithTokens("carol@example.com", { name: "Someone else" });
    expect(decodeJwt(second.idToken).payload).toMatchObject({ sub: decodeJwt(first.idToken).payload.sub, name: "Carol" });
  });

  it("deletes a user from its directory, and the user's refresh tokens with it", async () => {
    const directory = new InMemoryIdentityUserDirectory();
    const env = boot(directory, new InMemoryCredentialStore());
    const tokens = await env.idp.createUserWithTokens("dave@example.com");
    await env.idp.deleteUser("dave@example.com");
    expect(await directory.find("dave@example.com")).toBeNull();
    expect(await env.idp.refreshTokens(tokens.refreshToken)).toEqual({ ok: false, error: "refresh_token_invalid" });
    await expect(env.idp.deleteUser("dave@example.com")).resolves.toBeUndefined();
  });

  it("ends a refresh under way when the user is deleted", async () => {
    const env = boot(new InMemoryIdentityUserDirectory(), new InMemoryCredentialStore());
    const tokens = await env.idp.createUserWithTokens("dave@example.com");
    // The refresh has spent its token and awaits the directory, which still has the user, when the delete runs.
    const refreshing = env.idp.refreshTokens(tokens.refreshToken);
    await env.idp.deleteUser("dave@example.com");
    expect(await refreshing).toEqual({ ok: false, error: "refresh_token_invalid" });
  });

  it("writes a profile update to its directory, keeping the user's other attributes", async () => {
    const directory = new InMemoryIdentityUserDirectory();
    const env = boot(directory, new InMemoryCredentialStore());
    await env.idp.createUserWithTokens("grace@example.com", { preferred_username: "grace", name: "Grace", email: "grace@example.com" });
    expect(await env.idp.updateUser("grace@example.com", { preferredUsername: "Grace H", name: "Grace Hopper" })).toEqual({ ok: true, value: undefined });
    expect((await directory.find("grace@example.com"))?.attributes).toEqual({ preferred_username: "Grace H", name: "Grace Hopper", email: "grace@example.com" });
  });

  it("answers identity_provider_unavailable to a profile update of a user it does not have, and creates none", async () => {
    const directory = new InMemoryIdentityUserDirectory();
    const env = boot(directory, new InMemoryCredentialStore());
    expect(await env.idp.updateUser("nobody", { preferredUsername: "nobody", name: "Nobody" })).toEqual({ ok: false, error: "identity_provider_unavailable" });
    expect(await directory.find("nobody")).toBeNull();
  });

  it("leaves preferred_username's uniqueness to keyport's credential store: its directory has no index to check it by", async () => {
    const directory = new InMemoryIdentityUserDirectory();
    const env = boot(directory, new InMemoryCredentialStore());
    await env.idp.createUser({ username: "handle-a", preferredUsername: "alice", name: "Alice" });
    await env.idp.createUser({ username: "handle-b", preferredUsername: "bob", name: "Bob" });
    expect(await env.idp.updateUser("handle-b", { preferredUsername: "ALICE", name: "Bob" })).toEqual({ ok: true, value: undefined });
    expect((await directory.find("handle-b"))?.attributes.preferred_username).toBe("ALICE");
  });
});

describe("LocalIdentityProvider on a directory that is out of reach", () => {
  it("answers identity_provider_unavailable to createUser, updateUser, startSignIn and answerChallenge", async () => {
    const directory = new SwitchableDirectory();
    const authenticator = new SoftwareAuthenticator();
    const env = boot(directory, new InMemoryCredentialStore());
    const user = await signUp(env, authenticator);
    const start = await env.signIn.start(user.userHandle);
    if (!start.ok) throw new Error(start.error);
    const assertion = authenticator.getAssertion(start.value.credentialRequestOptions, { origin: ORIGIN });

    directory.fault = outage();

    expect(await env.idp.createUser({ username: "new-handle", preferredUsername: "bob", name: "Bob" })).toEqual({ ok: false, error: "identity_provider_unavailable" });
    expect(await env.idp.updateUser(user.identityUserId, { preferredUsername: "alicia", name: "Alicia" })).toEqual({ ok: false, error: "identity_provider_unavailable" });
    expect(await env.idp.startSignIn(user.identityUserId)).toEqual({ ok: false, error: "identity_provider_unavailable" });
    expect(await env.signIn.finish(start.value.session, user.userHandle, assertion)).toEqual({ ok: false, error: "identity_provider_unavailable" });
    await expect(env.idp.deleteUser(user.identityUserId)).rejects.toThrow(StorageUnavailableError);

    directory.fault = null;
    expect((await signIn(env, authenticator, user.userHandle)).ok).toBe(true);
    expect((await directory.find(user.identityUserId))?.attributes.preferred_username).toBe("alice");
  });

  it("signs out without its directory: sign-outs touch only what the provider holds", async () => {
    const directory = new SwitchableDirectory();
    const env = boot(directory, new InMemoryCredentialStore());
    const [first, second] = [await env.idp.createUserWithTokens("erin@example.com"), await env.idp.createUserWithTokens("erin@example.com")];
    directory.fault = outage();
    expect(await env.idp.revokeRefreshToken(first.refreshToken)).toEqual({ ok: true, value: undefined });
    expect(await env.idp.signOutEverywhere("erin@example.com")).toEqual({ ok: true, value: undefined });
    directory.fault = null;
    expect(await env.idp.refreshTokens(second.refreshToken)).toEqual({ ok: false, error: "refresh_token_invalid" });
  });

  it("does not give back a token whose refresh failed on the directory when a sign-out came meanwhile", async () => {
    const directory = new SwitchableDirectory();
    const env = boot(directory, new InMemoryCredentialStore());
    const tokens = await env.idp.createUserWithTokens("erin@example.com");
    directory.fault = outage();
    const refreshing = env.idp.refreshTokens(tokens.refreshToken);
    await env.idp.revokeRefreshToken(tokens.refreshToken);
    expect(await refreshing).toEqual({ ok: false, error: "identity_provider_unavailable" });
    directory.fault = null;
    expect(await env.idp.refreshTokens(tokens.refreshToken)).toEqual({ ok: false, error: "refresh_token_invalid" });
  });

  it("does not spend a refresh token it could not look the user up for", async () => {
    const directory = new SwitchableDirectory();
    const env = boot(directory, new InMemoryCredentialStore());
    const tokens = await env.idp.createUserWithTokens("erin@example.com");

    directory.fault = outage();
    expect(await env.idp.refreshTokens(tokens.refreshToken)).toEqual({ ok: false, error: "identity_provider_unavailable" });

    directory.fault = null;
    expect((await env.idp.refreshTokens(tokens.refreshToken)).ok).toBe(true);
    expect(await env.idp.refreshTokens(tokens.refreshToken)).toEqual({ ok: false, error: "refresh_token_invalid" });
  });

  it("lets a fault that is not the store's (a bug) through as it is", async () => {
    const directory = new SwitchableDirectory();
    const env = boot(directory, new InMemoryCredentialStore());
    directory.fault = new TypeError("a bug");
    await expect(env.idp.startSignIn("anyone")).rejects.toThrow("a bug");
    await expect(env.idp.createUser({ username: "h", preferredUsername: "p", name: "n" })).rejects.toThrow("a bug");
    await expect(env.idp.updateUser("h", { preferredUsername: "p", name: "n" })).rejects.toThrow("a bug");
  });
});

describe("the local provider's directory in the composition", () => {
  it("is on the storage STORAGE names: memory, or the credential table on the stores' DynamoDB client", () => {
    const memory = parseConfig({});
    expect(composeServices(memory, withConfiguredIdentityProvider(memory, { apiServices })).identityUserDirectory).toBeInstanceOf(InMemoryIdentityUserDirectory);

    const dynamoDb = parseConfig({ STORAGE: "dynamodb", DYNAMODB_ENDPOINT: "http://localhost:8000", CREDENTIAL_TABLE: "my-credentials" });
    const services = composeServices(dynamoDb, withConfiguredIdentityProvider(dynamoDb));
    const directory = services.identityUserDirectory;
    expect(directory).toBeInstanceOf(DynamoDbIdentityUserDirectory);
    const field = (store: object, name: string): unknown => (store as Record<string, unknown>)[name];
    expect(field(directory, "tableName")).toBe("my-credentials");
    expect(field(directory, "client")).toBe(field(services.credentialStore, "client"));
    expect(services.identityUserDirectory).toBe(directory);
  });

  it("is the one the local provider keeps its users in", async () => {
    const config = parseConfig({});
    // The custom challenge records sign-ins, naming passkeys from the catalog: a composition that signs in has one.
    const services = composeServices(config, withConfiguredIdentityProvider(config, { apiServices, authenticatorCatalog }));
    await services.identityProvider.createUser({ username: "handle-2", preferredUsername: "frank", name: "Frank" });
    expect(await services.identityUserDirectory.find("handle-2")).toMatchObject({ username: "handle-2", attributes: { preferred_username: "frank", name: "Frank" } });
  });

  it("is missing from a composition not given its factory (a Lambda function's), which says so when it is first read", () => {
    const config = parseConfig({ IDENTITY_PROVIDER: "cognito", AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "eu-west-1_Example", COGNITO_CLIENT_ID: "exampleclientid" });
    const services = composeServices(config, { apiServices, identityProvider: cognitoIdentityProvider(config), authenticatorCatalog });
    expect(services.passkeySignIn).toBeDefined();
    expect(() => services.identityUserDirectory).toThrow(ConfigError);
    expect(() => services.identityUserDirectory).toThrow(/^IDENTITY_PROVIDER: local has no user directory in this composition$/);
  });
});
