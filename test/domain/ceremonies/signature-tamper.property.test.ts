/**
 * Property: a valid assertion with any single byte altered, in the authenticator data, the client
 * data JSON or the signature, is refused. Never accepted, never thrown. Every run signs a fresh
 * assertion for a fresh session, so a refusal is never just a consumed challenge from an earlier run.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AuthenticationResponseJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { buildDomain, ORIGIN } from "../../support/domain-harness.js";
import type { Domain } from "../../support/domain-harness.js";
import { b64url, fromB64url, SoftwareAuthenticator } from "../../support/software-authenticator.js";
import type { TestAlgorithm } from "../../support/software-authenticator.js";

const RUNS_PER_ALGORITHM = 500;
const FIELDS = ["authenticatorData", "clientDataJSON", "signature"] as const;
type Field = (typeof FIELDS)[number];

async function setUp(algorithm: TestAlgorithm) {
  const domain = buildDomain();
  const authenticator = new SoftwareAuthenticator();
  const started = await domain.registration.startForNewUser({ username: "alice", displayName: "Alice" });
  if (!started.ok) throw new Error(started.error);
  const response = authenticator.createCredential(started.value.options, { origin: ORIGIN, algorithm });
  const registered = await domain.registration.finish(started.value.sessionId, response);
  if (!registered.ok) throw new Error(registered.error);
  return { domain, authenticator, user: registered.value };
}

async function freshAssertion(domain: Domain, authenticator: SoftwareAuthenticator, userHandle: string, discoverable: boolean) {
  const options = discoverable ? await domain.authentication.startDiscoverable() : await domain.authentication.startForUser(userHandle);
  return authenticator.getAssertion(options, { origin: ORIGIN });
}

function alterByte(assertion: AuthenticationResponseJSON, field: Field, index: number, xor: number): AuthenticationResponseJSON {
  const bytes = fromB64url(assertion.response[field]);
  const at = index % bytes.length;
  bytes[at] = bytes[at]! ^ xor;
  return { ...assertion, response: { ...assertion.response, [field]: b64url(bytes) } };
}

describe("any single altered byte makes a valid assertion fail", () => {
  for (const algorithm of ["ES256", "RS256", "EdDSA"] as const) {
    it(`refuses every ${algorithm} assertion with one byte of authenticatorData, clientDataJSON or signature altered`, async () => {
      const { domain, authenticator, user } = await setUp(algorithm);

      // Control: the same setup, untouched, signs in; so the refusals below are the alteration's doing.
      const control = await domain.authentication.finish(await freshAssertion(domain, authenticator, user.userHandle, false));
      expect(control.ok).toBe(true);

      const errors = new Map<Field, Set<string>>(FIELDS.map((f) => [f, new Set<string>()]));
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...FIELDS),
          fc.nat(),
          fc.integer({ min: 1, max: 255 }),
          fc.boolean(),
          async (field, index, xor, discoverable) => {
            const assertion = await freshAssertion(domain, authenticator, user.userHandle, discoverable);
            const result = await domain.authentication.finish(alterByte(assertion, field, index, xor));
            if (result.ok) return false;
            errors.get(field)!.add(result.error);
            return true;
          },
        ),
        { numRuns: RUNS_PER_ALGORITHM },
      );

      // The property reaches the signature check, not only the parsers in front of it.
      expect(errors.get("signature")).toEqual(new Set(["signature_invalid"]));
      expect(errors.get("clientDataJSON")!.size).toBeGreaterThan(0);
      expect(errors.get("authenticatorData")).toContain("signature_invalid");
      // Nothing that failed moved the counter: only the control sign-in was recorded.
      expect((await domain.credentials.findCredential(user.credentialId))?.counter).toBe(1);
    });
  }
});
