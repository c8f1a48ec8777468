/**
 * The signals are data a response carries and the demo hands, as parsed from JSON, to `sendSignal()` of
 * @simplewebauthn/browser 14. Each shape is checked against that library twice: its types (at compile
 * time) and its code (at run time, with the browser's Signal API stubbed to record what it is called with).
 */
import {
  sendSignal,
  type SendSignalAllAcceptedCredentialsOpts,
  type SendSignalCurrentUserDetailsOpts,
  type SendSignalUnknownCredentialOpts,
} from "@simplewebauthn/browser";
import { afterEach, describe, expect, it, vi } from "vitest";
import { allAcceptedCredentials, currentUserDetails, unknownCredential, type Signal } from "../../../src/domain/management/signals.js";
import { aStoredCredentialFor, aUserAccount } from "../../support/kit.js";

type BrowserSignal = SendSignalAllAcceptedCredentialsOpts | SendSignalCurrentUserDetailsOpts | SendSignalUnknownCredentialOpts;

/** Every signal is a valid argument of sendSignal, by its types: this function compiles only if so. */
function asBrowserSignal(signal: Signal): BrowserSignal {
  switch (signal.signalName) {
    case "allAcceptedCredentials":
      return signal satisfies SendSignalAllAcceptedCredentialsOpts;
    case "currentUserDetails":
      return signal satisfies SendSignalCurrentUserDetailsOpts;
    case "unknownCredential":
      return signal satisfies SendSignalUnknownCredentialOpts;
  }
}

/** The browser's Signal API, recording each call. */
function stubSignalApi() {
  const calls: { method: string; options: unknown }[] = [];
  const record = (method: string) => async (options: unknown) => {
    calls.push({ method, options });
  };
  vi.stubGlobal("PublicKeyCredential", {
    signalAllAcceptedCredentials: record("signalAllAcceptedCredentials"),
    signalCurrentUserDetails: record("signalCurrentUserDetails"),
    signalUnknownCredential: record("signalUnknownCredential"),
  });
  return calls;
}

/** What the client receives: the signal through JSON, as in an HTTP response. */
const overTheWire = (signal: Signal): BrowserSignal => JSON.parse(JSON.stringify(asBrowserSignal(signal)));

const account = aUserAccount({ username: "erin", displayName: "Erin Example" });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("allAcceptedCredentials", () => {
  it("lists the enabled credentials only, in the order given", () => {
    const first = aStoredCredentialFor(account);
    const disabled = aStoredCredentialFor(account, { enabled: false });
    const last = aStoredCredentialFor(account);
    expect(allAcceptedCredentials("example.com", account.userHandle, [first, disabled, last])).toEqual({
      signalName: "allAcceptedCredentials",
      rpID: "example.com",
      userID: account.userHandle,
      allAcceptedCredentialIDs: [first.credentialId, last.credentialId],
    });
    expect(allAcceptedCredentials("example.com", account.userHandle, [])).toMatchObject({ allAcceptedCredentialIDs: [] });
  });

  it("reaches PublicKeyCredential.signalAllAcceptedCredentials through sendSignal, as the WebAuthn API names the fields", async () => {
    const calls = stubSignalApi();
    const credential = aStoredCredentialFor(account);
    await sendSignal(overTheWire(allAcceptedCredentials("example.com", account.userHandle, [credential])));
    expect(calls).toEqual([
      { method: "signalAllAcceptedCredentials", options: { rpId: "example.com", userId: account.userHandle, allAcceptedCredentialIds: [credential.credentialId] } },
    ]);
  });
});

describe("currentUserDetails", () => {
  it("names the user by handle, username and display name", async () => {
    const signal = currentUserDetails("example.com", account);
    expect(signal).toEqual({
      signalName: "currentUserDetails",
      rpID: "example.com",
      userID: account.userHandle,
      userName: "erin",
      userDisplayName: "Erin Example",
    });
    const calls = stubSignalApi();
    await sendSignal(overTheWire(signal));
    expect(calls).toEqual([
      { method: "signalCurrentUserDetails", options: { rpId: "example.com", userId: account.userHandle, name: "erin", displayName: "Erin Example" } },
    ]);
  });
});

describe("unknownCredential", () => {
  it("names the credential the relying party does not have", async () => {
    const signal = unknownCredential("example.com", "AAECAw");
    expect(signal).toEqual({ signalName: "unknownCredential", rpID: "example.com", credentialID: "AAECAw" });
    const calls = stubSignalApi();
    await sendSignal(overTheWire(signal));
    expect(calls).toEqual([{ method: "signalUnknownCredential", options: { rpId: "example.com", credentialId: "AAECAw" } }]);
  });
});
