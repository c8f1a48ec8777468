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
  hasOnlyPublicKeyLabels,
  isValidPublicKeyJwk,
  parsePublicKey,
  readCoseKey,
  type CoseKey,
  type PublicKeyJwk,
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
import { b64url } from "../../support/software-authenticator.js";
import { ED25519_IDENTITY, ED25519_P, littleEndian, smallOrderEncodings } from "./weak-keys.js";

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
      key: {
        kty: COSE_KTY_EC2,
        alg: COSE_ALG_ES256,
        crv: COSE_CRV_P256,
        x: field(jwk, "x"),
        y: field(jwk, "y"),
        n: null,
        e: null,
        labels: [1n, 3n, -1n, -2n, -3n],
      },
    });
  });

  it("reads an EdDSA key's fields", () => {
    const jwk = jwkOf(eddsa.publicKey);
    const bytes = coseKeyFor("EdDSA", eddsa.publicKey);
    expect(readCoseKey(bytes)).toEqual({
      size: bytes.length,
      key: { kty: COSE_KTY_OKP, alg: COSE_ALG_EDDSA, crv: COSE_CRV_ED25519, x: field(jwk, "x"), y: null, n: null, e: null, labels: [1n, 3n, -1n, -2n] },
    });
  });

  it("reads an RS256 key's modulus and exponent from labels -1 and -2", () => {
    const jwk = jwkOf(rs256.publicKey);
    const bytes = coseKeyFor("RS256", rs256.publicKey);
    expect(readCoseKey(bytes)).toEqual({
      size: bytes.length,
      key: { kty: COSE_KTY_RSA, alg: COSE_ALG_RS256, crv: null, x: null, y: null, n: field(jwk, "n"), e: field(jwk, "e"), labels: [1n, 3n, -1n, -2n] },
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

/**
 * COSE_Key bytes written out by hand, entry by entry, so that each test can spell one entry in a way
 * a canonical encoder never would. A COSE_Key uses integer labels (RFC 9052 §7) and WebAuthn sends it
 * in the CTAP2 canonical CBOR encoding form (§6.5.1): shortest heads, definite lengths.
 */
describe("readCoseKey: integer labels and canonical CBOR only", () => {
  const es256Jwk = jwkOf(es256.publicKey);
  const X = [...field(es256Jwk, "x")];
  const Y = [...field(es256Jwk, "y")];
  const KTY = [0x01, 0x02];
  const ALG = [0x03, 0x26];
  const CRV = [0x20, 0x01];
  const XE = [0x21, 0x58, 0x20, ...X];
  const YE = [0x22, 0x58, 0x20, ...Y];
  const map = (...entries: number[][]): Uint8Array => Uint8Array.from([0xa0 | entries.length, ...entries.flat()]);

  it("reads the hand-written canonical key as the encoder's (control)", () => {
    const bytes = map(KTY, ALG, CRV, XE, YE);
    expect(bytes).toEqual(coseKeyFor("ES256", es256.publicKey));
    expect(readCoseKey(bytes)?.size).toBe(bytes.length);
  });

  it("reads a key whose labels come in another order (the order is not judged)", () => {
    expect(readCoseKey(map(YE, XE, CRV, ALG, KTY))?.key).toEqual({ ...readKey(map(KTY, ALG, CRV, XE, YE)), labels: [-3n, -2n, -1n, 3n, 1n] });
  });

  it.each([
    ['kty under the text label "1"', map([0x61, 0x31, 0x02], ALG, CRV, XE, YE)],
    ['alg under the text label "3"', map(KTY, [0x61, 0x33, 0x26], CRV, XE, YE)],
    ['x under the text label "-2"', map(KTY, ALG, CRV, [0x62, 0x2d, 0x32, 0x58, 0x20, ...X], YE)],
    ["a byte-string label", map(KTY, ALG, CRV, XE, [0x41, 0x22, 0x58, 0x20, ...Y])],
    ["kty 2 in a one-byte argument (0x18 0x02)", map([0x01, 0x18, 0x02], ALG, CRV, XE, YE)],
    ["alg -7 in a two-byte argument (0x39 0x00 0x06)", map(KTY, [0x03, 0x39, 0x00, 0x06], CRV, XE, YE)],
    ["crv 1 in a four-byte argument", map(KTY, ALG, [0x20, 0x1a, 0, 0, 0, 1], XE, YE)],
    ["the label 1 in a one-byte argument (0x18 0x01)", map([0x18, 0x01, 0x02], ALG, CRV, XE, YE)],
    ["the label -2 in a one-byte argument (0x38 0x01)", map(KTY, ALG, CRV, [0x38, 0x01, 0x58, 0x20, ...X], YE)],
    ["x's length 32 in a two-byte argument", map(KTY, ALG, CRV, [0x21, 0x59, 0x00, 0x20, ...X], YE)],
    ["the map's five entries counted in a one-byte argument (0xb8 0x05)", Uint8Array.from([0xb8, 0x05, ...KTY, ...ALG, ...CRV, ...XE, ...YE])],
    ["an indefinite-length map", Uint8Array.from([0xbf, ...KTY, ...ALG, ...CRV, ...XE, ...YE, 0xff])],
    ["an indefinite-length byte string for x", map(KTY, ALG, CRV, [0x21, 0x5f, 0x58, 0x20, ...X, 0xff], YE)],
    ["alg as the half-precision float -7.0", map(KTY, [0x03, 0xf9, 0xc7, 0x00], CRV, XE, YE)],
    ["kty as the double-precision float 2.0", map([0x01, 0xfb, 0x40, 0, 0, 0, 0, 0, 0, 0], ALG, CRV, XE, YE)],
    ["crv as the single-precision float 1.0", map(KTY, ALG, [0x20, 0xfa, 0x3f, 0x80, 0x00, 0x00], XE, YE)],
    ["crv wrapped in a tag", map(KTY, ALG, [0x20, 0xc1, 0x01], XE, YE)],
    ["y as true (the compressed form)", map(KTY, ALG, CRV, XE, [0x22, 0xf5])],
    ["an array value (key_ops)", map(KTY, ALG, CRV, XE, YE, [0x04, 0x81, 0x02])],
    ["a map value", map(KTY, ALG, CRV, XE, YE, [0x05, 0xa0])],
    ["a label repeated", map(KTY, ALG, CRV, XE, YE, YE)],
    ["kty repeated with another value", map(KTY, ALG, CRV, XE, YE, [0x01, 0x01])],
    ["a text value that is not UTF-8", map(KTY, ALG, CRV, XE, YE, [0x02, 0x61, 0xff])],
  ])("returns null for %s", (_label, bytes) => {
    expect(readCoseKey(bytes)).toBeNull();
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

describe("hasOnlyPublicKeyLabels", () => {
  const key = (kty: number, labels: bigint[]): CoseKey => ({ kty, alg: -7, crv: null, x: null, y: null, n: null, e: null, labels });

  it("allows kty, alg and each key type's public parameters, in any order", () => {
    expect(hasOnlyPublicKeyLabels(key(COSE_KTY_EC2, [1n, 3n, -1n, -2n, -3n]))).toBe(true);
    expect(hasOnlyPublicKeyLabels(key(COSE_KTY_EC2, [-3n, -2n, -1n, 3n, 1n]))).toBe(true);
    expect(hasOnlyPublicKeyLabels(key(COSE_KTY_OKP, [1n, 3n, -1n, -2n]))).toBe(true);
    expect(hasOnlyPublicKeyLabels(key(COSE_KTY_RSA, [1n, 3n, -1n, -2n]))).toBe(true);
  });

  it("refuses the private key and any other label", () => {
    expect(hasOnlyPublicKeyLabels(key(COSE_KTY_EC2, [1n, 3n, -1n, -2n, -3n, -4n]))).toBe(false);
    expect(hasOnlyPublicKeyLabels(key(COSE_KTY_OKP, [1n, 3n, -1n, -2n, -4n]))).toBe(false);
    expect(hasOnlyPublicKeyLabels(key(COSE_KTY_OKP, [1n, 3n, -1n, -2n, -3n]))).toBe(false);
    expect(hasOnlyPublicKeyLabels(key(COSE_KTY_RSA, [1n, 3n, -1n, -2n, -3n]))).toBe(false);
    expect(hasOnlyPublicKeyLabels(key(COSE_KTY_EC2, [1n, 2n, 3n, -1n, -2n, -3n]))).toBe(false);
  });

  it("allows only kty and alg for a key type keyport does not know", () => {
    expect(hasOnlyPublicKeyLabels(key(4, [1n, 3n]))).toBe(true);
    expect(hasOnlyPublicKeyLabels(key(4, [1n, 3n, -1n]))).toBe(false);
  });
});

describe("coseKeyToJwk: the key type's parameters and alg, nothing else (WebAuthn §6.5.1)", () => {
  const with_ = (bytes: Uint8Array, label: number, value: unknown): Uint8Array => {
    const entries = new Map<number, unknown>();
    const key = readKey(bytes);
    for (const [name, lbl] of [["kty", 1], ["alg", 3]] as const) entries.set(lbl, key[name]);
    if (key.kty === COSE_KTY_RSA) {
      entries.set(-1, key.n).set(-2, key.e);
    } else {
      entries.set(-1, key.crv).set(-2, key.x);
      if (key.y !== null) entries.set(-3, key.y);
    }
    return encodeCbor(entries.set(label, value));
  };

  it.each<[string, TestAlgorithm, number, unknown]>([
    ["a kid (label 2)", "ES256", 2, new Uint8Array(8)],
    ["a Base IV (label 5)", "ES256", 5, new Uint8Array(8)],
    ["an EC2 private key d (label -4)", "ES256", -4, new Uint8Array(32).fill(1)],
    ["an OKP private key d (label -4)", "EdDSA", -4, new Uint8Array(32).fill(1)],
    ["an OKP y (label -3, which OKP keys do not have)", "EdDSA", -3, new Uint8Array(32).fill(1)],
    ["an RSA private exponent d (label -3)", "RS256", -3, new Uint8Array(256).fill(1)],
    ["an RSA prime p (label -4)", "RS256", -4, new Uint8Array(128).fill(1)],
    ["an unregistered label", "ES256", -70000, 0],
  ])("rejects a %s key carrying %s", (_label, algorithm, label, value) => {
    const bytes = with_(coseKeyFor(algorithm, pairs[algorithm]), label, value);
    expect(readCoseKey(bytes)).not.toBeNull();
    expect(coseKeyToJwk(readKey(bytes))).toBeNull();
  });

  it.each<TestAlgorithm>(["ES256", "EdDSA", "RS256"])("accepts a %s key rebuilt with its own labels (control)", (algorithm) => {
    const bytes = coseKeyFor(algorithm, pairs[algorithm]);
    const key = readKey(bytes);
    const label = key.kty === COSE_KTY_RSA ? -1 : -2;
    const value = key.kty === COSE_KTY_RSA ? key.n : key.x;
    expect(coseKeyToJwk(readKey(with_(bytes, label, value)))).not.toBeNull();
  });
});

describe("coseKeyToJwk: the key itself is valid", () => {
  it("rejects an ES256 point that is not on P-256", () => {
    const key = readKey(coseKeyFor("ES256", es256.publicKey));
    const y = Uint8Array.from(key.y!);
    y[31] = y[31]! ^ 1;
    expect(coseKeyToJwk({ ...key, y })).toBeNull();
  });

  it("rejects the ES256 key (0, 0)", () => {
    expect(coseKeyToJwk(readKey(ec2CoseKey(COSE_CRV_P256, COSE_ALG_ES256, new Uint8Array(32), new Uint8Array(32))))).toBeNull();
  });

  it.each([
    ["1", [1]],
    ["3", [3]],
    ["65535", [0xff, 0xff]],
    ["65536 (even)", [1, 0, 0]],
    ["65538 (even)", [1, 0, 2]],
    ["2^256 + 1", [1, ...new Array<number>(31).fill(0), 1]],
  ])("rejects an RSA key with exponent %s", (_label, e) => {
    const key = readKey(coseKeyFor("RS256", rs256.publicKey));
    expect(coseKeyToJwk({ ...key, e: Uint8Array.from(e) })).toBeNull();
  });

  it("rejects an RSA key with an even modulus", () => {
    const key = readKey(coseKeyFor("RS256", rs256.publicKey));
    const n = Uint8Array.from(key.n!);
    n[n.length - 1] = n[n.length - 1]! & 0xfe;
    expect(coseKeyToJwk({ ...key, n })).toBeNull();
  });

  it("rejects the Ed25519 identity point and every other small-order point", () => {
    expect(coseKeyToJwk(readKey(okpCoseKey(ED25519_IDENTITY)))).toBeNull();
    for (const x of smallOrderEncodings()) expect(coseKeyToJwk(readKey(okpCoseKey(x)))).toBeNull();
  });

  it("rejects an Ed25519 key whose y is not below p (non-canonical)", () => {
    expect(coseKeyToJwk(readKey(okpCoseKey(littleEndian(ED25519_P + 5n))))).toBeNull();
    expect(coseKeyToJwk(readKey(okpCoseKey(new Uint8Array(32).fill(0xff))))).toBeNull();
  });
});

describe("isValidPublicKeyJwk (what the signature verifiers ask before they verify)", () => {
  const jwkFor = (algorithm: TestAlgorithm): PublicKeyJwk => {
    const jwk = parsePublicKey(coseKeyFor(algorithm, pairs[algorithm]));
    if (jwk === null) throw new Error(`no ${algorithm} JWK`);
    return jwk;
  };

  it.each<TestAlgorithm>(["ES256", "EdDSA", "RS256"])("accepts the JWK of a valid %s key", (algorithm) => {
    expect(isValidPublicKeyJwk(jwkFor(algorithm))).toBe(true);
  });

  it("keeps a JWK it judged unchangeable, so remembering the judgement opens no way round it", () => {
    const jwk = jwkFor("EdDSA");
    expect(Object.isFrozen(jwk)).toBe(true);
    expect(() => Object.assign(jwk, { x: b64url(ED25519_IDENTITY) })).toThrow(TypeError);
    expect(isValidPublicKeyJwk(jwk)).toBe(true);
    // A copy is a new object, judged afresh.
    if (jwk.kty !== "OKP") throw new Error("not OKP");
    expect(isValidPublicKeyJwk({ ...jwk, x: b64url(ED25519_IDENTITY) })).toBe(false);
  });

  it("refuses an EC point off P-256", () => {
    const jwk = jwkFor("ES256");
    if (jwk.kty !== "EC") throw new Error("not EC");
    const y = fromB64url(jwk.y);
    y[31] = y[31]! ^ 1;
    expect(isValidPublicKeyJwk({ ...jwk, y: b64url(y) })).toBe(false);
  });

  it("refuses an RSA key with e = 1", () => {
    const jwk = jwkFor("RS256");
    expect(isValidPublicKeyJwk({ ...jwk, e: b64url(Uint8Array.of(1)) } as PublicKeyJwk)).toBe(false);
  });

  it("refuses the Ed25519 identity point", () => {
    expect(isValidPublicKeyJwk({ alg: COSE_ALG_EDDSA, kty: "OKP", crv: "Ed25519", x: b64url(ED25519_IDENTITY) })).toBe(false);
  });

  it("refuses a member that is not canonical base64url", () => {
    const jwk = jwkFor("EdDSA");
    if (jwk.kty !== "OKP") throw new Error("not OKP");
    expect(isValidPublicKeyJwk({ ...jwk, x: `${jwk.x}=` })).toBe(false);
    expect(isValidPublicKeyJwk({ ...jwk, x: Buffer.from(fromB64url(jwk.x)).toString("base64").replace(/=+$/, "").replaceAll("_", "/") + "+" })).toBe(false);
  });

  it("refuses, at run time, a JWK whose kty or crv does not go with its alg", () => {
    // Casts: the type forbids these combinations; a JWK that reached a verifier from untyped code could still carry them.
    const ec = jwkFor("ES256");
    expect(isValidPublicKeyJwk({ ...ec, crv: "P-384" } as unknown as PublicKeyJwk)).toBe(false);
    expect(isValidPublicKeyJwk({ ...ec, alg: COSE_ALG_RS256 } as unknown as PublicKeyJwk)).toBe(false);
    expect(isValidPublicKeyJwk({ ...jwkFor("EdDSA"), alg: COSE_ALG_ES256 } as unknown as PublicKeyJwk)).toBe(false);
    expect(isValidPublicKeyJwk({ ...jwkFor("RS256"), alg: -37 } as unknown as PublicKeyJwk)).toBe(false);
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

  it("judges a stored key as registration does: an RSA key with e = 1 is refused (defence in depth)", () => {
    const n = field(jwkOf(rs256.publicKey), "n");
    expect(parsePublicKey(rsaCoseKey(n, Uint8Array.of(1)))).toBeNull();
  });

  it("judges a stored key as registration does: the Ed25519 identity point is refused", () => {
    expect(parsePublicKey(okpCoseKey(ED25519_IDENTITY))).toBeNull();
  });

  it("judges a stored key as registration does: a key in non-canonical CBOR is refused", () => {
    const bytes = coseKeyFor("EdDSA", eddsa.publicKey);
    // 0x01 0x01 (kty 1) respelled 0x01 0x18 0x01.
    expect(bytes.subarray(1, 3)).toEqual(Uint8Array.of(0x01, 0x01));
    expect(parsePublicKey(Uint8Array.from([bytes[0]!, 0x01, 0x18, 0x01, ...bytes.subarray(3)]))).toBeNull();
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
