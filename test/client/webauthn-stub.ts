/**
 * A stand-in for @simplewebauthn/browser in the client's unit tests (`vi.mock("@simplewebauthn/browser",
 * () => import("./webauthn-stub.js"))`): every function the client uses, as a mock a test can steer.
 * `resetWebAuthnStub()` restores the defaults: WebAuthn and autofill supported, no ceremony answered.
 */
import { vi } from "vitest";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/browser";

export const startRegistration = vi.fn<(options: { optionsJSON: unknown }) => Promise<RegistrationResponseJSON>>();
export const startAuthentication = vi.fn<(options: { optionsJSON: unknown; useBrowserAutofill?: boolean }) => Promise<AuthenticationResponseJSON>>();
export const sendSignal = vi.fn<(signal: unknown) => Promise<undefined>>();
export const browserSupportsWebAuthn = vi.fn<() => boolean>();
export const browserSupportsWebAuthnAutofill = vi.fn<() => Promise<boolean>>();
export const WebAuthnAbortService = { cancelCeremony: vi.fn<() => void>(), createNewAbortSignal: vi.fn() };

export function resetWebAuthnStub(): void {
  for (const mock of [startRegistration, startAuthentication, sendSignal, browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, WebAuthnAbortService.cancelCeremony]) {
    mock.mockReset();
  }
  browserSupportsWebAuthn.mockReturnValue(true);
  browserSupportsWebAuthnAutofill.mockResolvedValue(true);
  sendSignal.mockResolvedValue(undefined);
  startRegistration.mockRejectedValue(new Error("startRegistration: not expected in this test"));
  startAuthentication.mockRejectedValue(new Error("startAuthentication: not expected in this test"));
}

/** A WebAuthn failure as @simplewebauthn/browser throws it: a WebAuthnError carrying the DOMException's name. */
export function webAuthnError(name: string, code = "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY"): Error {
  const cause = new Error(`${name} from the browser`);
  cause.name = name;
  const error = new Error(cause.message, { cause }) as Error & { code: string };
  error.name = name;
  error.code = code;
  return error;
}

/** What startRegistration resolves with (the client passes it on untouched). */
export function attestation(id = "new-credential"): RegistrationResponseJSON {
  return {
    id,
    rawId: id,
    response: { clientDataJSON: "cd", attestationObject: "ao", transports: ["internal"] },
    clientExtensionResults: {},
    type: "public-key",
  };
}

/** What startAuthentication resolves with; `userHandle` undefined for a passkey that does not name its user. */
export function assertion(userHandle: string | undefined, id = "credential-1"): AuthenticationResponseJSON {
  return {
    id,
    rawId: id,
    response: { clientDataJSON: "cd", authenticatorData: "ad", signature: "sig", ...(userHandle === undefined ? {} : { userHandle }) },
    clientExtensionResults: {},
    type: "public-key",
  };
}
