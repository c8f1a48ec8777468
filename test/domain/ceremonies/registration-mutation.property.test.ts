/**
 * Properties of the real RegistrationCeremony (on the in-memory stores) fed mutated bytes: a genuine
 * registration with its COSE key, or its whole authenticator data, changed by a few byte flips,
 * insertions and deletions. With "none" attestation nothing signs these bytes, so every mutation
 * reaches the checks. Whatever happens:
 * - finish never throws, and a refusal is a registration error code;
 * - every credential that was stored has a key that passes the domain's validation (the one
 *   registration and sign-in share) and an independent one: node:crypto imports it, and the
 *   arithmetic in ../encoding/weak-keys.ts finds no weak RSA exponent or small-order Ed25519 point.
 */
import { createPublicKey } from "node:crypto";
import { decodeCBORToNativeValueNoLeftoverBytes } from "@oslojs/cbor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REGISTRATION_ERRORS } from "../../../src/domain/ceremonies/errors.js";
import { isValidPublicKeyJwk, parsePublicKey } from "../../../src/domain/encoding/cose.js";
import type { RegistrationResponseJSON } from "../../../src/domain/encoding/webauthn-json.js";
import type { StoredCredential } from "../../../src/domain/model.js";
import { buildDomain, ORIGIN } from "../../support/domain-harness.js";
import type { Domain } from "../../support/domain-harness.js";
import { b64url, coseKeyFor, encodeCbor, fromB64url, generateTestKeyPair, SoftwareAuthenticator } from "../../support/software-authenticator.js";
import type { TestAlgorithm } from "../../support/software-authenticator.js";
import { decodePoint, ED25519_P, fromLittleEndian, smallOrder } from "../encoding/weak-keys.js";

const RUNS = 150;
const ALGORITHMS: readonly TestAlgorithm[] = ["ES256", "EdDSA", "RS256"];
/** One RSA key for all the RSA runs: generating a 2048-bit key per run would dominate the test. */
const RSA_KEY = coseKeyFor("RS256", generateTestKeyPair("RS256").publicKey);

type Mutation =
  | { readonly kind: "flip"; readonly at: number; readonly xor: number }
  | { readonly kind: "set"; readonly at: number; readonly byte: number }
  | { readonly kind: "insert"; readonly at: number; readonly byte: number }
  | { readonly kind: "delete"; readonly at: number };

const byte = fc.integer({ min: 0, max: 255 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), byte }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), byte }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
);
const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

/**
 * Applies the mutations in turn. `from` and `to` bound where they land (positions are taken modulo the
 * span), so that a test can aim at one part of the bytes.
 */
function mutate(bytes: Uint8Array, changes: readonly Mutation[], from = 0, to = bytes.length): Uint8Array {
  let out = [...bytes];
  let end = to;
  for (const change of changes) {
    const span = Math.max(1, end - from);
    const at = from + (change.at % span);
    if (change.kind === "flip" && at < out.length) out[at] = out[at]! ^ change.xor;
    if (change.kind === "set" && at < out.length) out[at] = change.byte;
    if (change.kind === "insert") {
      out = [...out.slice(0, at), change.byte, ...out.slice(at)];
      end++;
    }
    if (change.kind === "delete" && at < out.length && end > from) {
      out = [...out.slice(0, at), ...out.slice(at + 1)];
      end--;
    }
  }
  return Uint8Array.from(out);
}

/** The domain's own judgement of a stored key: the one sign-in and the verifiers apply. */
function passesValidation(credential: StoredCredential): boolean {
  const jwk = parsePublicKey(credential.publicKey);
  return jwk !== null && isValidPublicKeyJwk(jwk);
}

/** Independent of src/ but for the COSE reading: would this stored key be a sound public key? */
function independentlySound(credential: StoredCredential): boolean {
  const jwk = parsePublicKey(credential.publicKey);
  if (jwk === null) return false;
  const { alg, ...importable } = jwk;
  try {
    createPublicKey({ key: importable, format: "jwk" });
  } catch {
    return false;
  }
  if (alg === -257 && jwk.kty === "RSA") {
    const n = BigInt(`0x${Buffer.from(fromB64url(jwk.n)).toString("hex")}`);
    const e = BigInt(`0x${Buffer.from(fromB64url(jwk.e)).toString("hex")}`);
    return n.toString(2).length >= 2048 && n % 2n === 1n && e % 2n === 1n && e > 2n ** 16n && e < 2n ** 256n;
  }
  if (alg === -8 && jwk.kty === "OKP") {
    const x = fromB64url(jwk.x);
    const y = fromLittleEndian(Uint8Array.from([...x.subarray(0, 31), x[31]! & 0x7f]));
    return x.length === 32 && y < ED25519_P && decodePoint(x) !== null && smallOrder(x) === null;
  }
  // ES256: node:crypto refuses a point off the curve on import (above).
  return alg === -7;
}

async function everyStoredCredential(domain: Domain, userHandles: readonly string[]): Promise<StoredCredential[]> {
  const lists = await Promise.all(userHandles.map((handle) => domain.credentials.listCredentials(handle)));
  return lists.flat();
}

function withAttestationObject(response: RegistrationResponseJSON, authData: Uint8Array): RegistrationResponseJSON {
  const decoded = decodeCBORToNativeValueNoLeftoverBytes(fromB64url(response.response.attestationObject), 8) as Record<string, unknown>; // as: the authenticator's own object, read back
  return {
    ...response,
    response: { ...response.response, attestationObject: b64url(encodeCbor({ ...decoded, authData })), authenticatorData: b64url(authData) },
  };
}

function attestedAuthData(response: RegistrationResponseJSON): Uint8Array {
  const authData = response.response.authenticatorData;
  if (authData === undefined) throw new Error("the authenticator reports its authenticator data");
  return fromB64url(authData);
}

describe.each(ALGORITHMS)("registration with mutated bytes (%s)", (algorithm) => {
  /** A domain, and one registration at a time on it answered by `respond`; the outcomes are tallied. */
  function run(respond: (options: Parameters<SoftwareAuthenticator["createCredential"]>[0]) => RegistrationResponseJSON) {
    const domain = buildDomain();
    const handles: string[] = [];
    const outcomes = new Map<string, number>();
    return {
      domain,
      outcomes,
      async once(): Promise<boolean> {
        // A username of its own per sign-up: usernames are unique (ADR 0017).
        const started = await domain.registration.startForNewUser({ username: `alice${handles.length}`, displayName: "Alice" });
        if (!started.ok) throw new Error(started.error);
        handles.push(started.value.options.user.id);
        const result = await domain.registration.finish(started.value.sessionId, respond(started.value.options));
        const outcome = result.ok ? "stored" : result.error;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (!result.ok) return (REGISTRATION_ERRORS as readonly string[]).includes(result.error);
        return true;
      },
      stored: () => everyStoredCredential(domain, handles),
    };
  }

  it("never throws and never stores an unsound key when the COSE key's bytes are mutated", async () => {
    const authenticator = new SoftwareAuthenticator();
    let changes: readonly Mutation[] = [];
    const harness = run((options) => {
      const key = algorithm === "RS256" ? RSA_KEY : coseKeyFor(algorithm, generateTestKeyPair(algorithm).publicKey);
      return authenticator.createCredential(options, { origin: ORIGIN, tamper: { coseKeyOverride: mutate(key, changes) } });
    });
    // Always tried as well: the key's last byte changed (y for ES256, x for EdDSA, e's parity for RS256).
    const lastByte = (algorithm === "RS256" ? RSA_KEY : coseKeyFor(algorithm, generateTestKeyPair(algorithm).publicKey)).length - 1;
    await fc.assert(
      fc.asyncProperty(mutations, async (drawn) => {
        changes = drawn;
        expect(await harness.once()).toBe(true);
      }),
      { numRuns: RUNS, examples: [[[{ kind: "flip", at: lastByte, xor: 1 }]]] },
    );
    const stored = await harness.stored();
    for (const credential of stored) {
      const hex = Buffer.from(credential.publicKey).toString("hex");
      expect(passesValidation(credential), hex).toBe(true);
      expect(independentlySound(credential), hex).toBe(true);
    }
    // The property reached the key checks: some mutations were refused as invalid keys.
    expect(harness.outcomes.get("public_key_invalid") ?? 0).toBeGreaterThan(0);
  });

  it("never throws and never stores an unsound key when the authenticator data's bytes are mutated", async () => {
    const authenticator = new SoftwareAuthenticator();
    let changes: readonly Mutation[] = [];
    let aimAtKey = false;
    const harness = run((options) => {
      // With "none" attestation nothing is signed, so the authenticator's own key pair does not matter;
      // an RSA key is put in by hand, as a fresh 2048-bit pair per run would take too long.
      const tamper = algorithm === "RS256" ? { coseKeyOverride: RSA_KEY } : {};
      const response = authenticator.createCredential(options, { origin: ORIGIN, algorithm: algorithm === "RS256" ? "ES256" : algorithm, tamper });
      const authData = attestedAuthData(response);
      // The COSE key starts after rpIdHash, flags, counter, AAGUID, the id's length and the 16-byte id.
      const keyStart = 37 + 16 + 2 + 16;
      return withAttestationObject(response, aimAtKey ? mutate(authData, changes, keyStart) : mutate(authData, changes));
    });
    await fc.assert(
      fc.asyncProperty(mutations, fc.boolean(), async (drawn, aim) => {
        changes = drawn;
        aimAtKey = aim;
        expect(await harness.once()).toBe(true);
      }),
      // Always tried as well: a byte of the AAGUID changed, which nothing judges.
      { numRuns: RUNS, examples: [[[{ kind: "flip", at: 40, xor: 1 }], false]] },
    );
    const stored = await harness.stored();
    for (const credential of stored) {
      const hex = Buffer.from(credential.publicKey).toString("hex");
      expect(passesValidation(credential), hex).toBe(true);
      expect(independentlySound(credential), hex).toBe(true);
    }
    // Mutations land everywhere: some are harmless (the AAGUID, the counter) and are stored, others are refused.
    expect(harness.outcomes.get("stored") ?? 0).toBeGreaterThan(0);
    expect(harness.outcomes.size).toBeGreaterThan(2);
  });
});
