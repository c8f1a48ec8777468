/**
 * The SignatureVerifier contract (src/ports/signature-verifier.ts), as a suite any adapter can run:
 *
 *   describeSignatureVerifierContract("WebCryptoSignatureVerifier", async () => ({ verifier }));
 *
 * Keys come from node:crypto and reach the verifier the way keyport stores them: as COSE keys,
 * parsed by the domain into JWKs. ES256 signatures are DER, as authenticators send them.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, verify as nodeVerify } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parsePublicKey, type PublicKeyJwk } from "../../src/domain/encoding/cose.js";
import type { SignatureVerifier } from "../../src/ports/signature-verifier.js";
import { b64url, coseKeyFor, flipBit, signWith, type TestAlgorithm, type TestKeyPair } from "../support/software-authenticator.js";
import { ED25519_IDENTITY, ED25519_IDENTITY_FORGERY, forgedRs256SignatureForExponentOne, smallOrderEncodings } from "../domain/encoding/weak-keys.js";
import { derSignature, integerContent, P256_ORDER, parseDerSignature, p1363Signature, tlv } from "./ecdsa-signatures.js";
import { useFixture } from "./fixture.js";

export interface SignatureVerifierFixture {
  readonly verifier: SignatureVerifier;
  readonly cleanup?: () => Promise<void>;
}

export type SignatureVerifierFactory = () => Promise<SignatureVerifierFixture>;

const ALGORITHMS: readonly TestAlgorithm[] = ["ES256", "RS256", "EdDSA"];

interface Signer {
  readonly algorithm: TestAlgorithm;
  readonly pair: TestKeyPair;
  readonly jwk: PublicKeyJwk;
  sign(data: Uint8Array): Uint8Array;
}

function keyPair(algorithm: TestAlgorithm): TestKeyPair {
  switch (algorithm) {
    case "ES256":
      return generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    case "RS256":
      return generateKeyPairSync("rsa", { modulusLength: 2048 });
    case "EdDSA":
      return generateKeyPairSync("ed25519");
  }
}

function signer(algorithm: TestAlgorithm): Signer {
  const pair = keyPair(algorithm);
  const jwk = parsePublicKey(coseKeyFor(algorithm, pair.publicKey));
  if (jwk === null) throw new Error(`the domain cannot parse a ${algorithm} COSE key`);
  return { algorithm, pair, jwk, sign: (data) => signWith(algorithm, pair.privateKey, data) };
}

const MESSAGE = new TextEncoder().encode("authenticatorData ‖ SHA-256(clientDataJSON)");

export function describeSignatureVerifierContract(name: string, factory: SignatureVerifierFactory): void {
  describe(`SignatureVerifier contract: ${name}`, () => {
    const fixture = useFixture(factory);
    const signers = new Map<TestAlgorithm, Signer>();
    const others = new Map<TestAlgorithm, Signer>();
    const signerFor = (algorithm: TestAlgorithm): Signer => signers.get(algorithm)!;
    const otherFor = (algorithm: TestAlgorithm): Signer => others.get(algorithm)!;

    beforeAll(() => {
      for (const algorithm of ALGORITHMS) {
        signers.set(algorithm, signer(algorithm));
        others.set(algorithm, signer(algorithm));
      }
    });

    /** Every call must resolve: a signature that cannot be decoded is false, never a throw. */
    async function verify(key: PublicKeyJwk, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
      const verdict = await fixture().verifier.verify(key, signature, data);
      expect(typeof verdict).toBe("boolean");
      return verdict;
    }

    describe.each(ALGORITHMS)("%s", (algorithm) => {
      it("accepts a valid signature", async () => {
        const { jwk, sign } = signerFor(algorithm);
        expect(await verify(jwk, sign(MESSAGE), MESSAGE)).toBe(true);
      });

      it("accepts valid signatures over any data, empty included", async () => {
        const { jwk, sign } = signerFor(algorithm);
        await fc.assert(
          fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (data) => {
            expect(await verify(jwk, sign(data), data)).toBe(true);
          }),
          { numRuns: 15 },
        );
      });

      it("refuses a signature over other data", async () => {
        const { jwk, sign } = signerFor(algorithm);
        const signature = sign(MESSAGE);
        expect(await verify(jwk, signature, flipBit(MESSAGE))).toBe(false);
        expect(await verify(jwk, signature, MESSAGE.subarray(1))).toBe(false);
        expect(await verify(jwk, signature, new Uint8Array(0))).toBe(false);
      });

      it("refuses a signature made with another key", async () => {
        const { jwk } = signerFor(algorithm);
        expect(await verify(jwk, otherFor(algorithm).sign(MESSAGE), MESSAGE)).toBe(false);
      });

      it("refuses a signature with a flipped bit", async () => {
        const { jwk, sign } = signerFor(algorithm);
        expect(await verify(jwk, flipBit(sign(MESSAGE)), MESSAGE)).toBe(false);
      });

      it("answers false, without throwing, for truncated, extended or empty signatures", async () => {
        const { jwk, sign } = signerFor(algorithm);
        const signature = sign(MESSAGE);
        for (const mangled of [
          signature.subarray(0, signature.length - 1),
          signature.subarray(0, Math.floor(signature.length / 2)),
          signature.subarray(1),
          Uint8Array.from([...signature, 0]),
          new Uint8Array(0),
          Uint8Array.of(0),
        ]) {
          expect(await verify(jwk, mangled, MESSAGE)).toBe(false);
        }
      });

      it("answers false, without throwing, for any garbage signature", async () => {
        const { jwk, sign } = signerFor(algorithm);
        const length = sign(MESSAGE).length;
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(fc.uint8Array({ maxLength: 600 }), fc.uint8Array({ minLength: length, maxLength: length })),
            async (garbage) => {
              expect(await verify(jwk, garbage, MESSAGE)).toBe(false);
            },
          ),
          { numRuns: 40 },
        );
      });

      it("refuses a signature of another algorithm's key", async () => {
        const { jwk } = signerFor(algorithm);
        for (const other of ALGORITHMS.filter((a) => a !== algorithm)) {
          expect(await verify(jwk, signerFor(other).sign(MESSAGE), MESSAGE)).toBe(false);
        }
      });
    });

    describe("ES256 DER strictness", () => {
      const valid = (): { der: Uint8Array; r: bigint; s: bigint; rContent: Uint8Array; sContent: Uint8Array } => {
        const der = signerFor("ES256").sign(MESSAGE);
        return { der, ...parseDerSignature(der) };
      };
      const jwk = (): PublicKeyJwk => signerFor("ES256").jwk;
      const sequence = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, Uint8Array.from(parts.flatMap((p) => [...p])));

      it("accepts the signature re-encoded by an independent DER encoder", async () => {
        const { r, s } = valid();
        expect(await verify(jwk(), derSignature(r, s), MESSAGE)).toBe(true);
      });

      it("refuses an s with its top bit set but no 0x00 pad (a negative INTEGER)", async () => {
        const { r, s } = valid();
        // Of s and n - s (both verify as ECDSA), take the one whose top bit is set, and drop its pad.
        const high = s >= 1n << 255n ? s : P256_ORDER - s;
        expect(high >= 1n << 255n).toBe(true);
        const unpadded = integerContent(high).subarray(1);
        expect(await verify(jwk(), sequence(tlv(0x02, integerContent(r)), tlv(0x02, unpadded)), MESSAGE)).toBe(false);
      });

      it("refuses an s at or above the group order", async () => {
        const { r, s } = valid();
        expect(await verify(jwk(), derSignature(r, s + P256_ORDER), MESSAGE)).toBe(false);
        expect(await verify(jwk(), derSignature(r, P256_ORDER), MESSAGE)).toBe(false);
      });

      it("refuses an r or s with a redundant leading zero byte", async () => {
        const { rContent, sContent } = valid();
        const padded = (content: Uint8Array): Uint8Array => tlv(0x02, Uint8Array.from([0, ...content]));
        expect(await verify(jwk(), sequence(padded(rContent), tlv(0x02, sContent)), MESSAGE)).toBe(false);
        expect(await verify(jwk(), sequence(tlv(0x02, rContent), padded(sContent)), MESSAGE)).toBe(false);
      });

      it("refuses an extra byte after the sequence or inside it", async () => {
        const { der, rContent, sContent } = valid();
        expect(await verify(jwk(), Uint8Array.from([...der, 0]), MESSAGE)).toBe(false);
        expect(await verify(jwk(), sequence(tlv(0x02, rContent), tlv(0x02, sContent), Uint8Array.of(0)), MESSAGE)).toBe(false);
      });

      it("refuses wrong lengths, a long-form length and wrong tags", async () => {
        const { der } = valid();
        const withByte = (index: number, value: number): Uint8Array => {
          const copy = Uint8Array.from(der);
          copy[index] = value;
          return copy;
        };
        expect(await verify(jwk(), withByte(1, der[1]! + 1), MESSAGE)).toBe(false);
        expect(await verify(jwk(), withByte(1, der[1]! - 1), MESSAGE)).toBe(false);
        expect(await verify(jwk(), withByte(3, der[3]! + 1), MESSAGE)).toBe(false);
        expect(await verify(jwk(), withByte(0, 0x31), MESSAGE)).toBe(false);
        expect(await verify(jwk(), withByte(2, 0x03), MESSAGE)).toBe(false);
        expect(await verify(jwk(), Uint8Array.from([0x30, 0x81, der[1]!, ...der.subarray(2)]), MESSAGE)).toBe(false);
      });

      it("refuses the same signature in IEEE P1363 form", async () => {
        const { r, s } = valid();
        expect(await verify(jwk(), p1363Signature(r, s), MESSAGE)).toBe(false);
      });

      it("answers a malleated (r, n - s) signature without throwing", async () => {
        // ECDSA accepts both s and n - s; WebAuthn does not ask for low-S, so either verdict is allowed.
        const { r, s } = valid();
        await verify(jwk(), derSignature(r, P256_ORDER - s), MESSAGE);
      });
    });

    describe("keys that cannot verify anything", () => {
      it("answers false, without throwing, for an EC point that is not on P-256", async () => {
        const offCurve: PublicKeyJwk = { alg: -7, kty: "EC", crv: "P-256", x: b64url(randomBytes(32)), y: b64url(randomBytes(32)) };
        expect(await verify(offCurve, signerFor("ES256").sign(MESSAGE), MESSAGE)).toBe(false);
      });

      it("answers false, without throwing, for a truncated Ed25519 key", async () => {
        const { jwk, sign } = signerFor("EdDSA");
        if (jwk.kty !== "OKP") throw new Error("not an OKP key");
        const truncated: PublicKeyJwk = { ...jwk, x: b64url(Buffer.from(jwk.x, "base64url").subarray(1)) };
        expect(await verify(truncated, sign(MESSAGE), MESSAGE)).toBe(false);
      });

      it("answers false, without throwing, for an RSA key with a broken modulus", async () => {
        const { jwk, sign } = signerFor("RS256");
        if (jwk.kty !== "RSA") throw new Error("not an RSA key");
        const broken: PublicKeyJwk = { ...jwk, n: b64url(Uint8Array.of(0)) };
        expect(await verify(broken, sign(MESSAGE), MESSAGE)).toBe(false);
      });
    });

    /**
     * A verifier refuses every key registration refuses (the domain's isValidPublicKeyJwk), so that a
     * weak key already stored, or handed over by other code, verifies nothing. The forgeries below are
     * real: node:crypto on its own accepts them.
     */
    describe("keys registration refuses verify nothing, even a signature that would pass under them", () => {
      const rsaWithExponentOne = (): PublicKeyJwk => {
        const { jwk } = signerFor("RS256");
        if (jwk.kty !== "RSA") throw new Error("not an RSA key");
        return { ...jwk, e: b64url(Uint8Array.of(1)) };
      };
      const ed25519Identity: PublicKeyJwk = { alg: -8, kty: "OKP", crv: "Ed25519", x: b64url(ED25519_IDENTITY) };
      const nodeAccepts = (key: PublicKeyJwk, signature: Uint8Array): boolean => {
        const { alg, ...jwk } = key;
        return nodeVerify(alg === -8 ? null : "sha256", MESSAGE, createPublicKey({ key: jwk, format: "jwk" }), signature);
      };

      it("refuses an RS256 signature forged for a key with e = 1 (it is the padded hash itself)", async () => {
        const key = rsaWithExponentOne();
        const forged = forgedRs256SignatureForExponentOne(256, MESSAGE);
        expect(nodeAccepts(key, forged)).toBe(true);
        expect(await verify(key, forged, MESSAGE)).toBe(false);
      });

      it("refuses an Ed25519 signature (R = identity, S = 0) forged for the identity point as the key", async () => {
        expect(nodeAccepts(ed25519Identity, ED25519_IDENTITY_FORGERY)).toBe(true);
        expect(await verify(ed25519Identity, ED25519_IDENTITY_FORGERY, MESSAGE)).toBe(false);
      });

      it("refuses every small-order Ed25519 key, whatever the signature", async () => {
        for (const x of smallOrderEncodings()) {
          expect(await verify({ alg: -8, kty: "OKP", crv: "Ed25519", x: b64url(x) }, ED25519_IDENTITY_FORGERY, MESSAGE)).toBe(false);
        }
      });

      it("refuses a genuine RS256 signature when the key's exponent is out of bounds (3)", async () => {
        const { jwk, sign } = signerFor("RS256");
        if (jwk.kty !== "RSA") throw new Error("not an RSA key");
        expect(await verify({ ...jwk, e: b64url(Uint8Array.of(3)) }, sign(MESSAGE), MESSAGE)).toBe(false);
      });

      it("still accepts the genuine key's signatures (control)", async () => {
        for (const algorithm of ALGORITHMS) {
          const { jwk, sign } = signerFor(algorithm);
          expect(await verify(jwk, sign(MESSAGE), MESSAGE)).toBe(true);
        }
      });
    });
  });
}
