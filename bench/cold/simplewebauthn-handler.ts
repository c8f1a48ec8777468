/**
 * The yardstick of `npm run bench:cold`: a Lambda handler that does the passkey part of keyport's
 * Create and Verify triggers with @simplewebauthn/server instead of keyport's domain. It is bundled
 * exactly like keyport's entry points; only its import cost is measured, so the credential comes in
 * with the event rather than from a store.
 */
import { generateAuthenticationOptions, verifyAuthenticationResponse, type AuthenticationResponseJSON } from "@simplewebauthn/server";

interface ComparisonEvent {
  readonly rpId: string;
  readonly origin: string;
  /** Absent: issue a challenge. Present: verify this answer. */
  readonly answer?: { readonly response: AuthenticationResponseJSON; readonly challenge: string };
  readonly credential: { readonly id: string; readonly publicKey: string; readonly counter: number };
}

export async function handler(event: ComparisonEvent): Promise<unknown> {
  if (event.answer === undefined) {
    return generateAuthenticationOptions({ rpID: event.rpId, allowCredentials: [{ id: event.credential.id }], userVerification: "required" });
  }
  const verified = await verifyAuthenticationResponse({
    response: event.answer.response,
    expectedChallenge: event.answer.challenge,
    expectedOrigin: event.origin,
    expectedRPID: event.rpId,
    credential: { id: event.credential.id, publicKey: Buffer.from(event.credential.publicKey, "base64url"), counter: event.credential.counter },
  });
  return { answerCorrect: verified.verified };
}
