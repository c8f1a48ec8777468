/**
 * Checks that the software authenticator's output is well-formed and genuinely signed, by
 * decoding it with an independent parser (@oslojs/webauthn) and verifying signatures with
 * node:crypto against the public key *as decoded from the COSE key in authData*.
 */
import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { decodeCBORToNativeValueNoLeftoverBytes } from "@oslojs/cbor";
import {
  AttestationStatementFormat,
  ClientDataType,
  COSEKeyType,
  createAssertionSignatureMessage,
  parseAttestationObject,
  parseAuthenticatorData,
  parseClientDataJSON,
} from "@oslojs/webauthn";
import type { COSEPublicKey } from "@oslojs/webauthn";
import { describe, expect, it } from "vitest";
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from "../../src/domain/encoding/webauthn-json.js";
import {
  b64url,
  COSE_ALGORITHM,
  COSE_CRV_P384,
  coseKeyFor,
  ec2CoseKey,
  encodeCbor,
  flipBit,
  fromB64url,
  rsaCoseKey,
  sha256,
  SoftwareAuthenticator,
} from "./software-authenticator.js";
import type { TestAlgorithm } from "./software-authenticator.js";

const RP_ID = "example.com";
const ORIGIN = "https://example.com";
const ALGORITHMS: TestAlgorithm[] = ["ES256", "RS256", "EdDSA"];

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function creationOptions(overrides: Partial<PublicKeyCredentialCreationOptionsJSON> = {}): PublicKeyCredentialCreationOptionsJSON {
  return {
    rp: { id: RP_ID, name: "Example" },
    user: { id: b64url(new TextEncoder().encode("user-1")), name: "alice", displayName: "Alice" },
    challenge: b64url(new TextEncoder().encode("registration-challenge-0123456789")),
    pubKeyCredParams: [
      { type: "public-key", alg: -8 },
      { type: "public-key", alg: -7 },
      { type: "public-key", alg: -257 },
    ],
    timeout: 60_000,
    excludeCredentials: [],
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
    attestation: "none",
    extensions: { credProps: true },
    ...overrides,
  };
}

function requestOptions(overrides: Partial<PublicKeyCredentialRequestOptionsJSON> = {}): PublicKeyCredentialRequestOptionsJSON {
  return {
    challenge: b64url(new TextEncoder().encode("authentication-challenge-987654")),
    timeout: 60_000,
    rpId: RP_ID,
    allowCredentials: [],
    userVerification: "required",
    ...overrides,
  };
}

function bigintToBytes(n: bigint, length?: number): Uint8Array {
  let h = n.toString(16);
  if (h.length % 2 === 1) h = `0${h}`;
  const bytes = Buffer.from(h, "hex");
  if (length === undefined || bytes.length === length) return new Uint8Array(bytes);
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
}

/** Rebuilds a node KeyObject from the COSE key the RP would read out of authData. */
function keyObjectFromCose(cose: COSEPublicKey): KeyObject {
  switch (cose.type()) {
    case COSEKeyType.EC2: {
      const { x, y } = cose.ec2();
      return createPublicKey({
        key: { kty: "EC", crv: "P-256", x: b64url(bigintToBytes(x, 32)), y: b64url(bigintToBytes(y, 32)) },
        format: "jwk",
      });
    }
    case COSEKeyType.RSA: {
      const { n, e } = cose.rsa();
      return createPublicKey({ key: { kty: "RSA", n: b64url(bigintToBytes(n)), e: b64url(bigintToBytes(e)) }, format: "jwk" });
    }
    case COSEKeyType.OKP:
      return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: b64url(cose.okp().x) }, format: "jwk" });
    default:
      throw new Error("unexpected COSE key type");
  }
}

function verifyWith(algorithm: TestAlgorithm, key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  return verify(algorithm === "EdDSA" ? null : "sha256", message, key, signature);
}

/** Registers one credential and returns the authenticator plus the public key the RP would store. */
function register(algorithm: TestAlgorithm, authenticator = new SoftwareAuthenticator()) {
  const reg = authenticator.createCredential(creationOptions(), { origin: ORIGIN, algorithm });
  const attestation = parseAttestationObject(fromB64url(reg.response.attestationObject));
  const credential = attestation.authenticatorData.credential;
  if (credential === null) throw new Error("no attested credential data");
  return { authenticator, reg, attestation, publicKey: keyObjectFromCose(credential.publicKey) };
}

describe("encodeCbor", () => {
  it.each<[unknown, string]>([
    [0, "00"],
    [23, "17"],
    [24, "1818"],
    [100, "1864"],
    [1000, "1903e8"],
    [1_000_000, "1a000f4240"],
    [2 ** 32, "1b0000000100000000"],
    [-1, "20"],
    [-10, "29"],
    [-100, "3863"],
    [-1000, "3903e7"],
    [-257, "390100"],
    [false, "f4"],
    [true, "f5"],
    [null, "f6"],
    ["", "60"],
    ["IETF", "6449455446"],
    ["ü", "62c3bc"],
    [new Uint8Array([1, 2, 3, 4]), "4401020304"],
    [[], "80"],
    [[1, [2, 3], [4, 5]], "8301820203820405"],
    [{}, "a0"],
    [{ a: 1, b: [2, 3] }, "a26161016162820203"],
  ])("encodes %o as RFC 8949 does", (value, expected) => {
    expect(hex(encodeCbor(value))).toBe(expected);
  });

  it("sorts map keys canonically (shorter encoding first, then bytewise)", () => {
    const cose = new Map<number, unknown>([[-3, 0], [-1, 0], [3, 0], [-2, 0], [1, 0]]);
    expect(hex(encodeCbor(cose))).toBe("a5" + "0100" + "0300" + "2000" + "2100" + "2200");
    const att = encodeCbor({ authData: new Uint8Array(0), fmt: "none", attStmt: {} });
    expect(decodeCBORToNativeValueNoLeftoverBytes(att, 4)).toEqual({ fmt: "none", attStmt: {}, authData: new Uint8Array(0) });
    expect(hex(att).startsWith("a3" + "63666d74")).toBe(true); // "fmt" comes first
  });

  it("encodes long byte strings with a 2-byte length and skips undefined properties", () => {
    const bytes = new Uint8Array(1024);
    expect(hex(encodeCbor(bytes).slice(0, 3))).toBe("590400");
    expect(hex(encodeCbor({ a: undefined, b: 1 }))).toBe("a1616201");
  });

  it("rejects what it cannot encode", () => {
    expect(() => encodeCbor(1.5)).toThrow();
    expect(() => encodeCbor(undefined)).toThrow();
  });
});

describe("COSE key helpers", () => {
  it("coseKeyFor round-trips through the oslo COSE parser for every algorithm", () => {
    for (const algorithm of ALGORITHMS) {
      const { publicKey } = algorithm === "ES256"
        ? generateKeyPairSync("ec", { namedCurve: "prime256v1" })
        : algorithm === "EdDSA"
          ? generateKeyPairSync("ed25519")
          : generateKeyPairSync("rsa", { modulusLength: 2048 });
      const authData = parseAuthenticatorData(
        new Uint8Array([...sha256(RP_ID), 0x45, 0, 0, 0, 0, ...new Uint8Array(16), 0, 1, 7, ...coseKeyFor(algorithm, publicKey)]),
      );
      const cose = authData.credential?.publicKey;
      expect(cose?.algorithm()).toBe(COSE_ALGORITHM[algorithm]);
      expect(keyObjectFromCose(cose as COSEPublicKey).export({ format: "jwk" })).toEqual(publicKey.export({ format: "jwk" }));
    }
  });

  it("ec2CoseKey and rsaCoseKey can craft keys a verifier must refuse", () => {
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey.export({ format: "jwk" });
    const ec = decodeCBORToNativeValueNoLeftoverBytes(
      ec2CoseKey(COSE_CRV_P384, -7, fromB64url(p384.x as string), fromB64url(p384.y as string)),
      4,
    ) as Record<string, unknown>;
    expect(ec["1"]).toBe(2);
    expect(ec["3"]).toBe(-7);
    expect(ec["-1"]).toBe(2);
    expect((ec["-2"] as Uint8Array).byteLength).toBe(48);

    const rsa1024 = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
    const rsa = decodeCBORToNativeValueNoLeftoverBytes(
      rsaCoseKey(fromB64url(rsa1024.n as string), fromB64url(rsa1024.e as string)),
      4,
    ) as Record<string, unknown>;
    expect(rsa["1"]).toBe(3);
    expect(rsa["3"]).toBe(-257);
    expect((rsa["-1"] as Uint8Array).byteLength).toBe(128);
  });
});

describe("SoftwareAuthenticator registration", () => {
  it.each(ALGORITHMS)("produces a well-formed 'none' registration for %s", (algorithm) => {
    const options = creationOptions();
    const { reg, attestation, publicKey, authenticator } = register(algorithm);

    expect(reg.id).toBe(reg.rawId);
    expect(fromB64url(reg.id).byteLength).toBe(16);
    expect(reg.type).toBe("public-key");
    expect(reg.authenticatorAttachment).toBe("platform");
    expect(reg.clientExtensionResults).toEqual({ credProps: { rk: true } });
    expect(reg.response.transports).toEqual(["internal"]);
    expect(reg.response.publicKeyAlgorithm).toBe(COSE_ALGORITHM[algorithm]);

    expect(attestation.attestationStatement.format).toBe(AttestationStatementFormat.None);
    const raw = decodeCBORToNativeValueNoLeftoverBytes(fromB64url(reg.response.attestationObject), 4) as Record<string, unknown>;
    expect(raw.attStmt).toEqual({});
    expect(raw.authData).toEqual(fromB64url(reg.response.authenticatorData as string));

    const authData = attestation.authenticatorData;
    expect(authData.verifyRelyingPartyIdHash(RP_ID)).toBe(true);
    expect(authData.userPresent).toBe(true);
    expect(authData.userVerified).toBe(true);
    expect(authData.signatureCounter).toBe(0);
    expect((raw.authData as Uint8Array)[32]).toBe(0x01 | 0x04 | 0x40);
    expect(authData.credential?.id).toEqual(fromB64url(reg.id));
    expect(authData.credential?.authenticatorAAGUID).toEqual(new Uint8Array(16));
    expect(authData.credential?.publicKey.algorithm()).toBe(COSE_ALGORITHM[algorithm]);

    const stored = authenticator.credentials()[0];
    expect(publicKey.export({ format: "jwk" })).toEqual(stored?.publicKey.export({ format: "jwk" }));
    expect(createPublicKey({ key: Buffer.from(fromB64url(reg.response.publicKey as string)), format: "der", type: "spki" })
      .export({ format: "jwk" })).toEqual(publicKey.export({ format: "jwk" }));

    const clientData = parseClientDataJSON(fromB64url(reg.response.clientDataJSON));
    expect(clientData.type).toBe(ClientDataType.Create);
    expect(b64url(clientData.challenge)).toBe(options.challenge);
    expect(clientData.origin).toBe(ORIGIN);
    expect(clientData.crossOrigin).toBe(false);
    expect(JSON.parse(new TextDecoder().decode(fromB64url(reg.response.clientDataJSON)))).toEqual({
      type: "webauthn.create",
      challenge: options.challenge,
      origin: ORIGIN,
      crossOrigin: false,
    });

    expect(stored).toMatchObject({ id: reg.id, userHandle: options.user.id, rpId: RP_ID, algorithm, counter: 0 });
  });

  it.each(ALGORITHMS)("produces a packed self-attestation whose signature verifies for %s", (algorithm) => {
    const authenticator = new SoftwareAuthenticator({ attestation: "packed" });
    const { reg, attestation, publicKey } = register(algorithm, authenticator);
    expect(attestation.attestationStatement.format).toBe(AttestationStatementFormat.Packed);
    const packed = attestation.attestationStatement.packed();
    expect(packed.algorithm).toBe(COSE_ALGORITHM[algorithm]);
    expect(packed.certificates).toBeNull();
    const authData = fromB64url(reg.response.authenticatorData as string);
    const message = createAssertionSignatureMessage(authData, fromB64url(reg.response.clientDataJSON));
    expect(verifyWith(algorithm, publicKey, message, packed.signature)).toBe(true);

    const bad = authenticator.createCredential(creationOptions(), { origin: ORIGIN, algorithm, tamper: { badAttestationSignature: true } });
    const badAtt = parseAttestationObject(fromB64url(bad.response.attestationObject));
    const badKey = keyObjectFromCose(badAtt.authenticatorData.credential?.publicKey as COSEPublicKey);
    const badMessage = createAssertionSignatureMessage(fromB64url(bad.response.authenticatorData as string), fromB64url(bad.response.clientDataJSON));
    expect(verifyWith(algorithm, badKey, badMessage, badAtt.attestationStatement.packed().signature)).toBe(false);
  });

  it("honours authenticator options (aaguid, BE/BS, no UV, transports)", () => {
    const aaguid = new Uint8Array(16).fill(0xab);
    const authenticator = new SoftwareAuthenticator({ aaguid, backupEligible: true, backupState: true, userVerification: false, transports: ["hybrid", "internal"] });
    const reg = authenticator.createCredential(creationOptions(), { origin: ORIGIN });
    const authData = fromB64url(reg.response.authenticatorData as string);
    expect(authData[32]).toBe(0x01 | 0x08 | 0x10 | 0x40);
    expect(parseAuthenticatorData(authData).credential?.authenticatorAAGUID).toEqual(aaguid);
    expect(reg.response.transports).toEqual(["hybrid", "internal"]);
  });

  it("applies every registration tamper knob", () => {
    const authenticator = new SoftwareAuthenticator();
    const options = creationOptions();
    const make = (tamper: Parameters<SoftwareAuthenticator["createCredential"]>[1]["tamper"]) =>
      authenticator.createCredential(options, { origin: ORIGIN, tamper });
    const clientDataOf = (r: ReturnType<typeof make>) => JSON.parse(new TextDecoder().decode(fromB64url(r.response.clientDataJSON)));
    const authDataOf = (r: ReturnType<typeof make>) => parseAttestationObject(fromB64url(r.response.attestationObject)).authenticatorData;

    expect(clientDataOf(make({ clientData: { type: "webauthn.get", crossOrigin: undefined, topOrigin: "x" } }))).toEqual({
      type: "webauthn.get", challenge: options.challenge, origin: ORIGIN, topOrigin: "x",
    });
    const raw = new TextEncoder().encode("not json");
    expect(fromB64url(make({ rawClientDataJSON: raw }).response.clientDataJSON)).toEqual(raw);
    expect(authDataOf(make({ rpId: "evil.com" })).verifyRelyingPartyIdHash("evil.com")).toBe(true);

    const flagged = make({ flags: { up: false, uv: false, be: false, bs: true } });
    expect(fromB64url(flagged.response.authenticatorData as string)[32]).toBe(0x10 | 0x40);

    const counted = make({ counter: 41 });
    expect(authDataOf(counted).signatureCounter).toBe(41);
    expect(authenticator.credentials().find((c) => c.id === counted.id)?.counter).toBe(41);

    const longId = new Uint8Array(1024).fill(7);
    const long = make({ credentialId: longId });
    expect(long.id).toBe(b64url(longId));
    expect(authDataOf(long).credential?.id).toEqual(longId);

    const renamed = make({ id: "abc", rawId: "def", type: "secret-key" });
    expect([renamed.id, renamed.rawId, renamed.type]).toEqual(["abc", "def", "secret-key"]);

    const u2f = parseAttestationObject(fromB64url(make({ format: "fido-u2f" }).response.attestationObject));
    expect(u2f.attestationStatement.format).toBe(AttestationStatementFormat.FIDOU2F);
    const tpm = decodeCBORToNativeValueNoLeftoverBytes(fromB64url(make({ format: "tpm", attStmt: { ver: "2.0" } }).response.attestationObject), 4);
    expect(tpm).toMatchObject({ fmt: "tpm", attStmt: { ver: "2.0" } });
    const packed = parseAttestationObject(fromB64url(make({ format: "packed" }).response.attestationObject));
    expect(packed.attestationStatement.packed().algorithm).toBe(-7);

    const omitted = make({ omitAttestedCredentialData: true });
    const omittedBytes = fromB64url(omitted.response.authenticatorData as string);
    expect(omittedBytes.byteLength).toBe(37);
    expect(omittedBytes[32]).toBe(0x01 | 0x04);
    expect(authDataOf(omitted).credential).toBeNull();

    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey.export({ format: "jwk" });
    const p384Key = ec2CoseKey(COSE_CRV_P384, -7, fromB64url(p384.x as string), fromB64url(p384.y as string));
    const overridden = make({ coseKeyOverride: p384Key });
    const overriddenData = fromB64url(overridden.response.authenticatorData as string);
    expect(hex(overriddenData.slice(37 + 16 + 2 + 16))).toBe(hex(p384Key));
    expect(overridden.response.publicKey).toBeUndefined();

    const ext = encodeCbor({ credProtect: 1 });
    const withExt = fromB64url(make({ extensions: ext, omitAttestedCredentialData: true }).response.authenticatorData as string);
    expect(withExt[32]).toBe(0x01 | 0x04 | 0x80);
    expect(hex(withExt.slice(37))).toBe(hex(ext));

    const rawAuthData = new Uint8Array(10);
    expect(fromB64url(make({ rawAuthenticatorData: rawAuthData }).response.authenticatorData as string)).toEqual(rawAuthData);
  });

  it("replaces a stored credential when the same credential id is created again", () => {
    const authenticator = new SoftwareAuthenticator();
    const id = new Uint8Array(16).fill(1);
    authenticator.createCredential(creationOptions(), { origin: ORIGIN, tamper: { credentialId: id } });
    authenticator.createCredential(creationOptions(), { origin: ORIGIN, algorithm: "EdDSA", tamper: { credentialId: id } });
    expect(authenticator.credentials().map((c) => c.algorithm)).toEqual(["EdDSA"]);
  });

  it("never reuses an RSA key for two credentials of one authenticator", () => {
    const authenticator = new SoftwareAuthenticator();
    const a = register("RS256", authenticator).publicKey.export({ format: "jwk" });
    const b = register("RS256", authenticator).publicKey.export({ format: "jwk" });
    expect(a.n).not.toBe(b.n);
  });
});

describe("SoftwareAuthenticator assertions", () => {
  it.each(ALGORITHMS)("produces a well-formed assertion whose signature verifies for %s", (algorithm) => {
    const { authenticator, reg, publicKey } = register(algorithm);
    const options = requestOptions();
    for (const expectedCounter of [1, 2]) {
      const assertion = authenticator.getAssertion(options, { origin: ORIGIN });
      expect(assertion.id).toBe(reg.id);
      expect(assertion.rawId).toBe(reg.id);
      expect(assertion.type).toBe("public-key");
      expect(assertion.response.userHandle).toBe(creationOptions().user.id);

      const authDataBytes = fromB64url(assertion.response.authenticatorData);
      const authData = parseAuthenticatorData(authDataBytes);
      expect(authDataBytes.byteLength).toBe(37);
      expect(authData.verifyRelyingPartyIdHash(RP_ID)).toBe(true);
      expect(authData.userPresent && authData.userVerified).toBe(true);
      expect(authData.credential).toBeNull();
      expect(authData.signatureCounter).toBe(expectedCounter);

      const clientDataBytes = fromB64url(assertion.response.clientDataJSON);
      const clientData = parseClientDataJSON(clientDataBytes);
      expect(clientData.type).toBe(ClientDataType.Get);
      expect(b64url(clientData.challenge)).toBe(options.challenge);
      expect(clientData.origin).toBe(ORIGIN);

      const message = createAssertionSignatureMessage(authDataBytes, clientDataBytes);
      expect(verifyWith(algorithm, publicKey, message, fromB64url(assertion.response.signature))).toBe(true);
    }
    expect(authenticator.credentials()[0]?.counter).toBe(2);

    const forged = authenticator.getAssertion(options, { origin: ORIGIN, tamper: { signWithOtherKey: true } });
    const forgedMessage = createAssertionSignatureMessage(fromB64url(forged.response.authenticatorData), fromB64url(forged.response.clientDataJSON));
    expect(verifyWith(algorithm, publicKey, forgedMessage, fromB64url(forged.response.signature))).toBe(false);
  });

  it("keeps an always-zero counter when counterStep is 0", () => {
    const { authenticator } = register("ES256", new SoftwareAuthenticator({ counterStep: 0 }));
    for (let i = 0; i < 3; i++) {
      const a = authenticator.getAssertion(requestOptions(), { origin: ORIGIN });
      expect(parseAuthenticatorData(fromB64url(a.response.authenticatorData)).signatureCounter).toBe(0);
    }
  });

  it("selects credentials by credentialId, allowCredentials, or most recent for the rpId", () => {
    const authenticator = new SoftwareAuthenticator();
    const first = authenticator.createCredential(creationOptions(), { origin: ORIGIN });
    const second = authenticator.createCredential(creationOptions({ user: { id: b64url(new Uint8Array([2])), name: "bob", displayName: "Bob" } }), { origin: ORIGIN });
    const other = authenticator.createCredential(creationOptions({ rp: { id: "other.example", name: "Other" } }), { origin: "https://other.example" });

    expect(authenticator.getAssertion(requestOptions(), { origin: ORIGIN }).id).toBe(second.id);
    expect(authenticator.getAssertion(requestOptions({ rpId: "other.example" }), { origin: ORIGIN }).id).toBe(other.id);
    const allow = (ids: string[]) => requestOptions({ allowCredentials: ids.map((id) => ({ type: "public-key" as const, id })) });
    expect(authenticator.getAssertion(allow(["AAAA", second.id, first.id]), { origin: ORIGIN }).id).toBe(first.id);
    expect(authenticator.getAssertion(allow([second.id]), { origin: ORIGIN }).response.userHandle).toBe(b64url(new Uint8Array([2])));
    expect(authenticator.getAssertion(allow([second.id]), { origin: ORIGIN, credentialId: first.id }).id).toBe(first.id);

    expect(() => authenticator.getAssertion(allow(["AAAA"]), { origin: ORIGIN })).toThrow();
    expect(() => authenticator.getAssertion(requestOptions({ rpId: "nobody.example" }), { origin: ORIGIN })).toThrow();
    expect(() => authenticator.getAssertion(requestOptions(), { origin: ORIGIN, credentialId: "AAAA" })).toThrow();
  });

  it("applies every assertion tamper knob", () => {
    const { authenticator, publicKey } = register("ES256");
    const options = requestOptions();
    const get = (tamper: Parameters<SoftwareAuthenticator["getAssertion"]>[1]["tamper"]) =>
      authenticator.getAssertion(options, { origin: ORIGIN, tamper });
    const authDataOf = (a: ReturnType<typeof get>) => fromB64url(a.response.authenticatorData);
    const verifies = (a: ReturnType<typeof get>) =>
      verifyWith("ES256", publicKey, createAssertionSignatureMessage(authDataOf(a), fromB64url(a.response.clientDataJSON)), fromB64url(a.response.signature));

    const cd = get({ clientData: { origin: "https://evil.com", challenge: undefined } });
    expect(JSON.parse(new TextDecoder().decode(fromB64url(cd.response.clientDataJSON)))).toEqual({ type: "webauthn.get", origin: "https://evil.com", crossOrigin: false });
    expect(verifies(cd)).toBe(true); // tampered fields are still signed correctly

    const raw = new TextEncoder().encode("{}");
    const rawCd = get({ rawClientDataJSON: raw });
    expect(fromB64url(rawCd.response.clientDataJSON)).toEqual(raw);
    expect(verifies(rawCd)).toBe(true);

    expect(parseAuthenticatorData(authDataOf(get({ rpId: "evil.com" }))).verifyRelyingPartyIdHash("evil.com")).toBe(true);
    expect(authDataOf(get({ flags: { up: false, uv: false, at: true, be: true } }))[32]).toBe(0x40 | 0x08);

    const before = authenticator.credentials()[0]?.counter;
    expect(parseAuthenticatorData(authDataOf(get({ counter: 0 }))).signatureCounter).toBe(0);
    expect(authenticator.credentials()[0]?.counter).toBe(before);

    expect(get({ userHandle: null }).response.userHandle).toBeNull();
    expect(get({ userHandle: "AAAA" }).response.userHandle).toBe("AAAA");

    const renamed = get({ id: "abc", rawId: "def", type: "secret-key" });
    expect([renamed.id, renamed.rawId, renamed.type]).toEqual(["abc", "def", "secret-key"]);

    const sig = new Uint8Array([1, 2, 3]);
    expect(fromB64url(get({ signature: sig }).response.signature)).toEqual(sig);

    const ext = encodeCbor({ example: true });
    const withExt = get({ extensions: ext });
    expect(authDataOf(withExt)[32]).toBe(0x01 | 0x04 | 0x80);
    expect(verifies(withExt)).toBe(true);

    const short = get({ rawAuthenticatorData: new Uint8Array(20) });
    expect(authDataOf(short).byteLength).toBe(20);
    expect(verifies(short)).toBe(true);
  });

  it("flipBit keeps a DER signature parseable but invalid", () => {
    const { authenticator, publicKey } = register("ES256");
    const a = authenticator.getAssertion(requestOptions(), { origin: ORIGIN });
    const message = createAssertionSignatureMessage(fromB64url(a.response.authenticatorData), fromB64url(a.response.clientDataJSON));
    const flipped = flipBit(fromB64url(a.response.signature));
    expect(flipped.slice(0, 4)).toEqual(fromB64url(a.response.signature).slice(0, 4));
    expect(verifyWith("ES256", publicKey, message, flipped)).toBe(false);
  });
});
