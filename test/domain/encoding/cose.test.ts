import { createPublicKey, generateKeyPairSync } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  bitLength,
  COSE_ALG_EDDSA,
  COSE_ALG_ES256,
  COSE_ALG_RS256,
  COSE_CRV_ED25519,
  COSE_CRV_P256,
  COSE_KTY_EC2,
  COSE_KTY_OKP,
  COSE_KTY_RSA,
  coseKeyToJwk,
  parsePublicKey,
  readCoseKey,
  type CoseKey,
} from "../../../src/domain/encoding/cose.js";
import {
  COSE_CRV_P384,
  coseKeyFor,
  ec2CoseKey,
  encodeCbor,
  fromB64url,
  generateTestKeyPair,
  okpCoseKey,
  rsaCoseKey,
} from "../../support/software-authenticator.js";
import type { TestAlgorithm } from "../../support/software-authenticator.js";

const COSE_CRV_ED448 = 7;

function jwkOf(key: KeyObject): Record<string, string> {
  return key.export({ format: "jwk" }) as Record<string, string>;
}

function field(jwk: Record<string, string>, name: string): Uint8Array {
  const value = jwk[name];
  if (value === undefined) throw new Error(`no ${name} in JWK`);
  return fromB64url(value);
}

function spki(key: KeyObject): string {
  return key.export({ format: "der", type: "spki" }).toString("hex");
}

function readKey(bytes: Uint8Array): CoseKey {
  const read = readCoseKey(bytes);
  if (read === null) throw new Error("expected a COSE key");
  return read.key;
}

/** A fresh EC key on another curve, encoded with the given COSE curve and alg. */
function ecKeyOnCurve(namedCurve: string, coseCurve: number, alg: number): Uint8Array {
  const jwk = jwkOf(generateKeyPairSync("ec", { namedCurve }).publicKey);
  return ec2CoseKey(coseCurve, alg, field(jwk, "x"), field(jwk, "y"));
}

const rs256 = generateTestKeyPair("RS256");
const es256 = generateTestKeyPair("ES256");
const eddsa = generateTestKeyPair("EdDSA");
const pairs: Record<TestAlgorithm, KeyObject> = { ES256: es256.publicKey, EdDSA: eddsa.publicKey, RS256: rs256.publicKey };

describe("readCoseKey", () => {
  it("reads an ES256 key's fields", () => {
    const jwk = jwkOf(es256.publicKey);
    const bytes = coseKeyFor("ES256", es256.publicKey);
    expect(readCoseKey(bytes)).toEqual({
      size: bytes.length,
      key: { kty: COSE_KTY_EC2, alg: COSE_ALG_ES256, crv: COSE_CRV_P256, x: field(jwk, "x"), y: field(jwk, "y"), n: null, e: null },
    });
  });

  it("reads an EdDSA key's fields", () => {
    const jwk = jwkOf(eddsa.publicKey);
    const bytes = coseKeyFor("EdDSA", eddsa.publicKey);
    expect(readCoseKey(bytes)).toEqual({
      size: bytes.length,
      key: { kty: COSE_KTY_OKP, alg: COSE_ALG_EDDSA, crv: COSE_CRV_ED25519, x: field(jwk, "x"), y: null, n: null, e: null },
    });
  });

  it("reads an RS256 key's modulus and exponent from labels -1 and -2", () => {
    const jwk = jwkOf(rs256.publicKey);
    const bytes = coseKeyFor("RS256", rs256.publicKey);
    expect(readCoseKey(bytes)).toEqual({
      size: bytes.length,
      key: { kty: COSE_KTY_RSA, alg: COSE_ALG_RS256, crv: null, x: null, y: null, n: field(jwk, "n"), e: field(jwk, "e") },
    });
  });

  it("reports the size of the key alone when bytes follow it", () => {
    const key = coseKeyFor("ES256", es256.publicKey);
    const extensions = encodeCbor({ credProtect: 2 });
    const withTrailer = new Uint8Array([...key, ...extensions]);
    const read = readCoseKey(withTrailer);
    expect(read?.size).toBe(key.length);
    expect(read?.key).toEqual(readCoseKey(key)?.key);
  });

  it.each([
    ["a CBOR array", encodeCbor([1, 2, -7])],
    ["a CBOR byte string", encodeCbor(new Uint8Array(32))],
    ["a CBOR text string", encodeCbor("kty")],
    ["a CBOR integer", encodeCbor(2)],
    ["CBOR null", encodeCbor(null)],
    ["CBOR true", encodeCbor(true)],
  ])("returns null for %s", (_label, bytes) => {
    expect(readCoseKey(bytes)).toBeNull();
  });

  it.each([
    ["empty input", new Uint8Array(0)],
    ["a lone break byte", Uint8Array.of(0xff)],
    ["a map that announces more entries than it has", Uint8Array.of(0xa5, 0x01, 0x02)],
    ["a byte string longer than the input", Uint8Array.of(0x58, 0xff, 0x00)],
    ["text that is not CBOR", new TextEncoder().encode("not a cose key")],
  ])("returns null for garbage: %s", (_label, bytes) => {
    expect(readCoseKey(bytes)).toBeNull();
  });

  it("returns null for a map without kty", () => {
    expect(readCoseKey(encodeCbor(new Map<number, unknown>([[3, COSE_ALG_ES256], [-1, 1]])))).toBeNull();
  });

  it("returns null for a map without alg", () => {
    expect(readCoseKey(encodeCbor(new Map<number, unknown>([[1, COSE_KTY_EC2], [-1, 1]])))).toBeNull();
  });

  it("returns null when kty is not an integer", () => {
    expect(readCoseKey(encodeCbor(new Map<number, unknown>([[1, "EC2"], [3, COSE_ALG_ES256]])))).toBeNull();
  });

  it("returns null when alg is a floating-point number", () => {
    // {1: 2, 3: -7.5} with the alg as a CBOR float64.
    const float = new Uint8Array(8);
    new DataView(float.buffer).setFloat64(0, -7.5);
    expect(readCoseKey(Uint8Array.of(0xa2, 0x01, 0x02, 0x03, 0xfb, ...float))).toBeNull();
  });

  it("returns null when alg cannot be represented exactly as a JavaScript number", () => {
    expect(readCoseKey(encodeCbor(new Map<number, unknown>([[1, COSE_KTY_EC2], [3, -(2n ** 63n) - 1n]])))).toBeNull();
  });

  it("reads a coordinate that is not a byte string as null", () => {
    const key = readKey(encodeCbor(new Map<number, unknown>([[1, COSE_KTY_EC2], [3, COSE_ALG_ES256], [-1, COSE_CRV_P256], [-2, "x"], [-3, 5]])));
    expect(key.x).toBeNull();
    expect(key.y).toBeNull();
  });
});

describe("coseKeyToJwk", () => {
  it.each<TestAlgorithm>(["ES256", "EdDSA", "RS256"])("turns a %s key into a JWK that imports as the same public key", (algorithm) => {
    const publicKey = pairs[algorithm];
    const jwk = coseKeyToJwk(readKey(coseKeyFor(algorithm, publicKey)));
    expect(jwk).not.toBeNull();
    const { alg: _alg, ...importable } = jwk!;
    expect(spki(createPublicKey({ key: importable, format: "jwk" }))).toBe(spki(publicKey));
  });

  it("labels the JWKs with the COSE algorithm and JOSE key type", () => {
    expect(coseKeyToJwk(readKey(coseKeyFor("ES256", es256.publicKey)))).toMatchObject({ alg: COSE_ALG_ES256, kty: "EC", crv: "P-256" });
    expect(coseKeyToJwk(readKey(coseKeyFor("EdDSA", eddsa.publicKey)))).toMatchObject({ alg: COSE_ALG_EDDSA, kty: "OKP", crv: "Ed25519" });
    expect(coseKeyToJwk(readKey(coseKeyFor("RS256", rs256.publicKey)))).toMatchObject({ alg: COSE_ALG_RS256, kty: "RSA" });
  });

  it("rejects a P-384 key that claims ES256", () => {
    expect(coseKeyToJwk(readKey(ecKeyOnCurve("secp384r1", COSE_CRV_P384, COSE_ALG_ES256)))).toBeNull();
  });

  it("rejects a key with 32-byte coordinates on a curve other than P-256", () => {
    const key = readKey(coseKeyFor("ES256", es256.publicKey));
    expect(coseKeyToJwk({ ...key, crv: COSE_CRV_P384 })).toBeNull();
  });

  it("rejects an ES256 key whose x is 31 bytes", () => {
    const key = readKey(coseKeyFor("ES256", es256.publicKey));
    expect(coseKeyToJwk({ ...key, x: key.x!.subarray(1) })).toBeNull();
  });

  it("rejects an ES256 key whose y is 33 bytes", () => {
    const key = readKey(coseKeyFor("ES256", es256.publicKey));
    expect(coseKeyToJwk({ ...key, y: new Uint8Array([0, ...key.y!]) })).toBeNull();
  });

  it("rejects an ES256 key without y", () => {
    const key = readKey(coseKeyFor("ES256", es256.publicKey));
    expect(coseKeyToJwk({ ...key, y: null })).toBeNull();
  });

  it("rejects an Ed448 key", () => {
    const jwk = jwkOf(generateKeyPairSync("ed448").publicKey);
    expect(coseKeyToJwk(readKey(okpCoseKey(field(jwk, "x"), COSE_CRV_ED448)))).toBeNull();
  });

  it("rejects an OKP key with a 32-byte x on the Ed448 curve", () => {
    expect(coseKeyToJwk(readKey(okpCoseKey(field(jwkOf(eddsa.publicKey), "x"), COSE_CRV_ED448)))).toBeNull();
  });

  it("rejects an Ed25519 key whose x is 31 bytes", () => {
    expect(coseKeyToJwk(readKey(okpCoseKey(new Uint8Array(31).fill(1))))).toBeNull();
  });

  it("rejects an RSA key of 1024 bits", () => {
    const jwk = jwkOf(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey);
    expect(coseKeyToJwk(readKey(rsaCoseKey(field(jwk, "n"), field(jwk, "e"))))).toBeNull();
  });

  it("accepts an RSA key of exactly 2048 bits", () => {
    const key = readKey(coseKeyFor("RS256", rs256.publicKey));
    expect(bitLength(key.n!)).toBe(2048);
    expect(coseKeyToJwk(key)).not.toBeNull();
  });

  it("accepts a 2048-bit modulus sent with a leading zero byte", () => {
    const key = readKey(coseKeyFor("RS256", rs256.publicKey));
    expect(coseKeyToJwk({ ...key, n: new Uint8Array([0, ...key.n!]) })).not.toBeNull();
  });

  it("rejects a 2047-bit modulus", () => {
    const key = readKey(coseKeyFor("RS256", rs256.publicKey));
    const n = new Uint8Array(key.n!);
    n[0] = 0x7f;
    expect(coseKeyToJwk({ ...key, n })).toBeNull();
  });

  it("rejects an RSA key with a zero exponent", () => {
    const key = readKey(coseKeyFor("RS256", rs256.publicKey));
    expect(coseKeyToJwk({ ...key, e: new Uint8Array([0, 0, 0]) })).toBeNull();
  });

  it("rejects an RSA key without an exponent", () => {
    const key = readKey(coseKeyFor("RS256", rs256.publicKey));
    expect(coseKeyToJwk({ ...key, e: null })).toBeNull();
  });

  it("rejects an EC2 key that claims EdDSA", () => {
    const key = readKey(coseKeyFor("ES256", es256.publicKey));
    expect(coseKeyToJwk({ ...key, alg: COSE_ALG_EDDSA })).toBeNull();
  });

  it("rejects an OKP key that claims ES256", () => {
    const x = field(jwkOf(eddsa.publicKey), "x");
    expect(coseKeyToJwk(readKey(okpCoseKey(x, COSE_CRV_P256, COSE_ALG_ES256)))).toBeNull();
  });

  it("rejects an EC2 key that claims RS256", () => {
    const key = readKey(coseKeyFor("ES256", es256.publicKey));
    expect(coseKeyToJwk({ ...key, alg: COSE_ALG_RS256 })).toBeNull();
  });

  it("rejects an RSA key that claims ES256", () => {
    const jwk = jwkOf(rs256.publicKey);
    expect(coseKeyToJwk(readKey(rsaCoseKey(field(jwk, "n"), field(jwk, "e"), COSE_ALG_ES256)))).toBeNull();
  });

  it("rejects an algorithm keyport does not support (ES384)", () => {
    expect(coseKeyToJwk(readKey(ecKeyOnCurve("secp384r1", COSE_CRV_P384, -35)))).toBeNull();
  });
});

describe("parsePublicKey", () => {
  it.each<TestAlgorithm>(["ES256", "EdDSA", "RS256"])("parses stored %s COSE bytes to the same JWK as the two steps", (algorithm) => {
    const bytes = coseKeyFor(algorithm, pairs[algorithm]);
    const jwk = parsePublicKey(bytes);
    expect(jwk).not.toBeNull();
    expect(jwk).toEqual(coseKeyToJwk(readKey(bytes)));
  });

  it("returns null for garbage bytes", () => {
    expect(parsePublicKey(Uint8Array.of(0xde, 0xad, 0xbe, 0xef))).toBeNull();
  });

  it("returns null for empty bytes", () => {
    expect(parsePublicKey(new Uint8Array(0))).toBeNull();
  });

  it("returns null for CBOR that is not a map", () => {
    expect(parsePublicKey(encodeCbor([COSE_KTY_EC2, COSE_ALG_ES256]))).toBeNull();
  });

  it("returns null for a well-formed COSE key of an unsupported kind (P-384)", () => {
    expect(parsePublicKey(ecKeyOnCurve("secp384r1", COSE_CRV_P384, COSE_ALG_ES256))).toBeNull();
  });
});

describe("bitLength", () => {
  it.each([
    [[], 0],
    [[0], 0],
    [[0, 0, 0], 0],
    [[1], 1],
    [[0x7f], 7],
    [[0x80], 8],
    [[0xff], 8],
    [[0, 0x80], 8],
    [[1, 0], 9],
    [[0xff, 0xff], 16],
    [[0, 0, 1, 0, 0], 17],
  ])("counts %j as %i bits", (value, bits) => {
    expect(bitLength(Uint8Array.from(value))).toBe(bits);
  });

  it("counts the exponent 65537 as 17 bits", () => {
    expect(bitLength(Uint8Array.of(0x01, 0x00, 0x01))).toBe(17);
  });
});
