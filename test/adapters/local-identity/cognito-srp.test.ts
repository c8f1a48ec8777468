/**
 * The server's half of Cognito's SRP, checked against the clients that speak it to Cognito itself:
 * amazon-cognito-identity-js's AuthenticationHelper and Amplify v6's SRP helpers compute the client's
 * half here, and the server must reach the same key and accept the claim they sign. Nothing here
 * re-implements the client.
 */
import { createHmac, randomBytes } from "node:crypto";
import { AuthenticationHelper, DateHelper } from "amazon-cognito-identity-js";
// Declares the two helpers the library exports without types.
import type {} from "./identity-js-client.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  claimMatches,
  formatSrpTimestamp,
  isSrpTimestamp,
  padHex,
  parseClientPublic,
  passwordAuthenticationKey,
  passwordClaim,
  poolNameOf,
  serverPublic,
  SRP_K,
  SRP_N,
  srpSaltFrom,
  srpVerifier,
} from "../../../src/adapters/local-identity/cognito-srp.js";

const POOL_NAME = poolNameOf("us-east-1_keyportlocal");

/** The jsbn BigInteger both clients use, as far as these tests need it. */
interface ClientBigInteger {
  toString(radix: number): string;
}
type ClientBigIntegerClass = new (hex: string, radix: number) => ClientBigInteger;

/** amazon-cognito-identity-js's helper: its callback API as promises. */
interface IdentityJsHelper {
  readonly k: ClientBigInteger;
  readonly N: ClientBigInteger & { constructor: ClientBigIntegerClass };
  padHex(value: ClientBigInteger): string;
  getLargeAValue(callback: (error: unknown, a: ClientBigInteger) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    b: ClientBigInteger,
    salt: ClientBigInteger,
    callback: (error: unknown, key: Uint8Array) => void,
  ): void;
}

async function identityJsClient() {
  const helper = new AuthenticationHelper(POOL_NAME) as unknown as IdentityJsHelper;
  const BigInteger = helper.N.constructor;
  const a = await new Promise<ClientBigInteger>((resolve, reject) => helper.getLargeAValue((error, value) => (error ? reject(error) : resolve(value))));
  return {
    helper,
    BigInteger,
    aHex: a.toString(16),
    key: (username: string, password: string, bHex: string, saltHex: string) =>
      new Promise<Uint8Array>((resolve, reject) =>
        helper.getPasswordAuthenticationKey(username, password, new BigInteger(bHex, 16), new BigInteger(saltHex, 16), (error, key) => (error ? reject(error) : resolve(key))),
      ),
  };
}

/** The claim as CognitoUser.authenticateUser signs it: HMAC-SHA256 with the key over pool, user, secret block and time. */
function identityJsClaim(key: Uint8Array, username: string, secretBlock: string, timestamp: string): string {
  return createHmac("sha256", key)
    .update(Buffer.concat([Buffer.from(POOL_NAME), Buffer.from(username), Buffer.from(secretBlock, "base64"), Buffer.from(timestamp)]))
    .digest("base64");
}

/** Amplify v6's SRP helpers: internal to @aws-amplify/auth (not in its exports), so loaded from their files. */
interface AmplifySrp {
  getAuthenticationHelper(userPoolName: string): Promise<{
    A: ClientBigInteger;
    getPasswordAuthenticationKey(input: { username: string; password: string; serverBValue: ClientBigInteger; salt: ClientBigInteger }): Promise<Uint8Array>;
  }>;
  getSignatureString(input: { userPoolName: string; username: string; challengeParameters: Record<string, string>; dateNow: string; hkdf: Uint8Array }): string;
  getNowString(): string;
}

async function amplifySrp(): Promise<AmplifySrp & { BigInteger: ClientBigIntegerClass }> {
  const base = new URL("../../../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/", import.meta.url);
  const srp = (await import(new URL("index.mjs", base).href)) as AmplifySrp;
  const { BigInteger } = (await import(new URL("BigInteger/index.mjs", base).href)) as { BigInteger: ClientBigIntegerClass };
  return { ...srp, BigInteger };
}

/** One SRP exchange's server side for a user with `password`: what the server keeps and sends. */
function server(username: string, password: string, saltBytes = randomBytes(16)) {
  const salt = srpSaltFrom(saltBytes);
  const verifier = BigInt(`0x${srpVerifier(POOL_NAME, username, password, salt)}`);
  const b = BigInt(`0x${randomBytes(32).toString("hex")}`);
  const bPublic = serverPublic(verifier, b);
  return { salt, verifier, b, bPublic, keyFor: (aHex: string) => passwordAuthenticationKey({ a: BigInt(`0x${aHex}`), b, bPublic, verifier }) };
}

const hex = (bytes: Uint8Array | null): string => Buffer.from(bytes ?? []).toString("hex");

afterEach(() => {
  vi.useRealTimers();
});

describe("Cognito's SRP, server side", () => {
  it("uses the group and multiplier amazon-cognito-identity-js uses", () => {
    const { helper } = { helper: new AuthenticationHelper(POOL_NAME) as unknown as IdentityJsHelper };
    expect(BigInt(`0x${helper.N.toString(16)}`)).toBe(SRP_N);
    expect(BigInt(`0x${helper.k.toString(16)}`)).toBe(SRP_K);
  });

  it("writes numbers as the clients hash them (Java's BigInteger.toByteArray() in hex)", async () => {
    const { helper, BigInteger } = await identityJsClient();
    for (const value of [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x100n, 0xabcn, SRP_N, SRP_N - 1n, BigInt(`0x${randomBytes(47).toString("hex")}`)]) {
      expect(padHex(value)).toBe(helper.padHex(new BigInteger(value.toString(16), 16)).toLowerCase());
    }
  });

  it("derives the key amazon-cognito-identity-js derives from the right password, and another from a wrong one", async () => {
    // Salts with the top bit set and with leading zero bytes: the forms a client re-encodes.
    for (const [username, saltBytes] of [
      ["alice", Buffer.from("80".padEnd(32, "1"), "hex")],
      ["bob@example.com", Buffer.from("00".padEnd(32, "7"), "hex")],
      ["Zoë Ünïcode ✓", randomBytes(16)],
    ] as const) {
      const client = await identityJsClient();
      const exchange = server(username, "Correct-Horse-9", saltBytes);
      const right = await client.key(username, "Correct-Horse-9", exchange.bPublic.toString(16), exchange.salt);
      expect(hex(exchange.keyFor(client.aHex))).toBe(hex(right));
      expect(right).toHaveLength(16);
      const wrong = await client.key(username, "Correct-Horse-8", exchange.bPublic.toString(16), exchange.salt);
      expect(hex(exchange.keyFor(client.aHex))).not.toBe(hex(wrong));
    }
  });

  it("accepts the claim amazon-cognito-identity-js signs, and only that one", async () => {
    const client = await identityJsClient();
    const exchange = server("alice", "Correct-Horse-9");
    const clientKey = await client.key("alice", "Correct-Horse-9", exchange.bPublic.toString(16), exchange.salt);
    const secretBlock = randomBytes(64).toString("base64");
    const timestamp = new DateHelper().getNowString();
    const serverKey = exchange.keyFor(client.aHex);
    if (serverKey === null) throw new Error("no key");
    const expected = passwordClaim(serverKey, POOL_NAME, "alice", Buffer.from(secretBlock, "base64"), timestamp);
    expect(claimMatches(identityJsClaim(clientKey, "alice", secretBlock, timestamp), expected)).toBe(true);
    // Another time, another secret block, another user: another claim.
    expect(claimMatches(identityJsClaim(clientKey, "alice", secretBlock, formatSrpTimestamp(Date.now() + 1000)), expected)).toBe(false);
    expect(claimMatches(identityJsClaim(clientKey, "alice", randomBytes(64).toString("base64"), timestamp), expected)).toBe(false);
    expect(claimMatches(identityJsClaim(clientKey, "alicia", secretBlock, timestamp), expected)).toBe(false);
    expect(claimMatches("not base64!", expected)).toBe(false);
    expect(claimMatches("", expected)).toBe(false);
  });

  it("derives the key Amplify v6's helper derives, and accepts the claim Amplify signs", async () => {
    const amplify = await amplifySrp();
    const helper = await amplify.getAuthenticationHelper(POOL_NAME);
    const exchange = server("carol", "Another-Secret-7");
    const hkdf = await helper.getPasswordAuthenticationKey({
      username: "carol",
      password: "Another-Secret-7",
      serverBValue: new amplify.BigInteger(exchange.bPublic.toString(16), 16),
      salt: new amplify.BigInteger(exchange.salt, 16),
    });
    const serverKey = exchange.keyFor(helper.A.toString(16));
    expect(hex(serverKey)).toBe(hex(hkdf));
    const challengeParameters = { SECRET_BLOCK: randomBytes(64).toString("base64"), USER_ID_FOR_SRP: "carol" };
    const dateNow = amplify.getNowString();
    const signature = amplify.getSignatureString({ userPoolName: POOL_NAME, username: "carol", challengeParameters, dateNow, hkdf });
    if (serverKey === null) throw new Error("no key");
    expect(claimMatches(signature, passwordClaim(serverKey, POOL_NAME, "carol", Buffer.from(challengeParameters.SECRET_BLOCK, "base64"), dateNow))).toBe(true);
  });

  it("refuses a client value A that is 0 mod N, or no hex number", () => {
    for (const a of ["0", "00", SRP_N.toString(16), (2n * SRP_N).toString(16), "", "xyz", "-5", "1".repeat(4096)]) expect(parseClientPublic(a)).toBeNull();
    expect(parseClientPublic("2")).toBe(2n);
    expect(parseClientPublic((SRP_N + 2n).toString(16))).toBe(SRP_N + 2n);
  });

  it("keeps salts in the form the client hashes them by, whatever the random bytes", () => {
    expect(srpSaltFrom(Buffer.from("00000000000000000000000000000001", "hex"))).toBe("01");
    expect(srpSaltFrom(Buffer.from("ff".repeat(16), "hex"))).toBe(`00${"ff".repeat(16)}`);
    expect(poolNameOf("eu-west-1_AbC123")).toBe("AbC123");
  });

  describe("TIMESTAMP", () => {
    it("is written as Cognito's clients write it, the day of the month not padded", () => {
      expect(formatSrpTimestamp(Date.UTC(2026, 11, 1, 9, 5, 9))).toBe("Tue Dec 1 09:05:09 UTC 2026");
      expect(formatSrpTimestamp(Date.UTC(2027, 0, 31, 23, 59, 0))).toBe("Sun Jan 31 23:59:00 UTC 2027");
      for (const at of [Date.UTC(2026, 11, 1, 9, 5, 9), Date.UTC(2028, 1, 29, 0, 0, 0), Date.UTC(2026, 6, 14, 12, 30, 45)]) {
        vi.useFakeTimers({ now: at, toFake: ["Date"] });
        expect(formatSrpTimestamp(at)).toBe(new DateHelper().getNowString());
        vi.useRealTimers();
      }
    });

    it("is read in Cognito's format only", async () => {
      const amplify = await amplifySrp();
      expect(isSrpTimestamp(amplify.getNowString())).toBe(true);
      expect(isSrpTimestamp(new DateHelper().getNowString())).toBe(true);
      expect(isSrpTimestamp("Tue Dec 01 09:05:09 UTC 2026")).toBe(true);
      for (const bad of ["", "2026-12-01T09:05:09Z", "Tue Dec 1 9:05:09 UTC 2026", "Tue Dec 1 09:05:09 GMT 2026", "tue dec 1 09:05:09 UTC 2026", "Tue Dec 32 09:05:09 UTC 2026", "Tue Dec 1 24:05:09 UTC 2026"]) {
        expect(isSrpTimestamp(bad)).toBe(false);
      }
    });
  });
});
