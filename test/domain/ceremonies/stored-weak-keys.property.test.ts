/**
 * Defence in depth for keys already stored: a credential whose key registration would now refuse
 * (written straight into the in-memory CredentialStore, as an older keyport or a restored backup
 * might have left it) cannot be used to sign in, even with a "signature" that the weak key really
 * accepts. The sign-in is refused with public_key_invalid, on either signature verifier, and nothing
 * is recorded.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NodeCryptoSignatureVerifier } from "../../../src/adapters/node-crypto/node-crypto-signature-verifier.js";
import { WebCryptoSignatureVerifier } from "../../../src/adapters/webcrypto/web-crypto-signature-verifier.js";
import type { AuthenticationResponseJSON } from "../../../src/domain/encoding/webauthn-json.js";
import type { SignatureVerifier } from "../../../src/ports/signature-verifier.js";
import { buildDomain, ORIGIN, RP_ID } from "../../support/domain-harness.js";
import { aStoredCredentialFor, aUserAccount } from "../../support/kit.js";
import {
  b64url,
  buildAuthenticatorData,
  coseKeyFor,
  concatBytes,
  ec2CoseKey,
  COSE_CRV_P256,
  fromB64url,
  okpCoseKey,
  rsaCoseKey,
  sha256,
  signWith,
} from "../../support/software-authenticator.js";
import { ED25519_IDENTITY, ED25519_IDENTITY_FORGERY, forgedRs256SignatureForExponentOne, smallOrderEncodings } from "../encoding/weak-keys.js";

const VERIFIERS: readonly (readonly [string, () => SignatureVerifier])[] = [
  ["WebCrypto", () => new WebCryptoSignatureVerifier()],
  ["node:crypto", () => new NodeCryptoSignatureVerifier()],
];

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const modulus = fromB64url(rsa.publicKey.export({ format: "jwk" }).n ?? "");
const es256 = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const es256Jwk = es256.publicKey.export({ format: "jwk" });

interface StoredKey {
  readonly label: string;
  readonly algorithm: -7 | -8 | -257;
  readonly cose: Uint8Array;
  /** What an attacker would send: a forgery where the weak key allows one, else anything. */
  readonly sign: (data: Uint8Array) => Uint8Array;
}

const offCurveY = (() => {
  const y = fromB64url(es256Jwk.y ?? "");
  y[31] = y[31]! ^ 1;
  return y;
})();

const WEAK_KEYS: readonly StoredKey[] = [
  { label: "RSA with e = 1 (forged: the padded hash)", algorithm: -257, cose: rsaCoseKey(modulus, Uint8Array.of(1)), sign: (data) => forgedRs256SignatureForExponentOne(256, data) },
  { label: "Ed25519 identity point (forged: R = identity, S = 0)", algorithm: -8, cose: okpCoseKey(ED25519_IDENTITY), sign: () => ED25519_IDENTITY_FORGERY },
  ...smallOrderEncodings().map(
    (x, i): StoredKey => ({ label: `Ed25519 small-order point #${i}`, algorithm: -8, cose: okpCoseKey(x), sign: () => ED25519_IDENTITY_FORGERY }),
  ),
  { label: "RSA with e = 3", algorithm: -257, cose: rsaCoseKey(modulus, Uint8Array.of(3)), sign: () => new Uint8Array(randomBytes(256)) },
  { label: "RSA with an even exponent", algorithm: -257, cose: rsaCoseKey(modulus, Uint8Array.of(1, 0, 0)), sign: () => new Uint8Array(randomBytes(256)) },
  {
    label: "P-256 point off the curve",
    algorithm: -7,
    cose: ec2CoseKey(COSE_CRV_P256, -7, fromB64url(es256Jwk.x ?? ""), offCurveY),
    sign: (data) => signWith("ES256", es256.privateKey, data),
  },
];

async function signIn(verifier: SignatureVerifier, key: StoredKey, discoverable: boolean) {
  const domain = buildDomain({ verifier });
  const user = aUserAccount();
  const credential = aStoredCredentialFor(user, { publicKey: key.cose, algorithm: key.algorithm });
  expect(await domain.credentials.add(credential, user)).toBe("added");
  const options = discoverable ? await domain.authentication.startDiscoverable() : await domain.authentication.startForUser(user.userHandle);
  const clientDataJSON = new TextEncoder().encode(JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin: ORIGIN, crossOrigin: false }));
  const authenticatorData = buildAuthenticatorData({ rpId: RP_ID, flags: { up: true, uv: true, be: false, bs: false, at: false, ed: false }, counter: 1 });
  const response: AuthenticationResponseJSON = {
    id: credential.credentialId,
    rawId: credential.credentialId,
    type: "public-key",
    response: {
      clientDataJSON: b64url(clientDataJSON),
      authenticatorData: b64url(authenticatorData),
      signature: b64url(key.sign(concatBytes(authenticatorData, sha256(clientDataJSON)))),
      userHandle: user.userHandle,
    },
    clientExtensionResults: {},
  };
  const result = await domain.authentication.finish(response);
  return { result, after: await domain.credentials.findCredential(credential.credentialId) };
}

describe.each(VERIFIERS)("a stored key registration would refuse (%s verifier)", (_name, verifier) => {
  it("signs in with a sound stored key and a genuine signature (control: the harness reaches the signature)", async () => {
    const sound: StoredKey = { label: "ES256", algorithm: -7, cose: coseKeyFor("ES256", es256.publicKey), sign: (data) => signWith("ES256", es256.privateKey, data) };
    const { result, after } = await signIn(verifier(), sound, false);
    expect(result.ok).toBe(true);
    expect(after?.counter).toBe(1);
  });

  it("refuses every sign-in with public_key_invalid, forged signature or not, and records nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...WEAK_KEYS), fc.boolean(), async (key, discoverable) => {
        const { result, after } = await signIn(verifier(), key, discoverable);
        expect(result, key.label).toEqual({ ok: false, error: "public_key_invalid" });
        expect(after?.counter).toBe(0);
        expect(after?.lastUsedAt).toBeNull();
      }),
      { numRuns: 60 },
    );
  });

  it.each([
    ["RSA e = 1", 0],
    ["the Ed25519 identity point", 1],
  ])("refuses the forgery against %s (each run once, by name)", async (_label, index) => {
    const key = WEAK_KEYS[index]!;
    for (const discoverable of [false, true]) {
      expect((await signIn(verifier(), key, discoverable)).result).toEqual({ ok: false, error: "public_key_invalid" });
    }
  });
});
