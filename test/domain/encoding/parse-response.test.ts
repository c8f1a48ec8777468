import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { AUTHENTICATION_ERRORS, REGISTRATION_ERRORS } from "../../../src/domain/ceremonies/errors.js";
import {
  extensionsWellFormed,
  parseAssertionAuthData,
  parseAttestationObject,
  parseAuthData,
  parseAuthenticationResponse,
  parseClientData,
  parseRegistrationResponse,
} from "../../../src/domain/encoding/parse-response.js";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "../../../src/domain/encoding/webauthn-json.js";
import {
  b64url,
  buildAuthenticatorData,
  coseKeyFor,
  encodeCbor,
  FLAG_AT,
  FLAG_BE,
  FLAG_BS,
  FLAG_ED,
  FLAG_UP,
  FLAG_UV,
  fromB64url,
  generateTestKeyPair,
  sha256,
  SoftwareAuthenticator,
} from "../../support/software-authenticator.js";
import type { AssertionTamper, RegistrationTamper, SoftwareAuthenticatorOptions, TestAlgorithm } from "../../support/software-authenticator.js";

const RP_ID = "example.com";
const ORIGIN = "https://example.com";
const RUNS = { numRuns: 500 };
/** 16 bytes whose standard base64 has `+`, `/` and padding, and whose base64url has `-` and `_`. */
const CREDENTIAL_ID = Uint8Array.of(0xfb, 0xff, 0xbf, 0xfe, ...new Uint8Array(12).fill(0x42));
const USER_HANDLE = b64url(new TextEncoder().encode("user-handle-0001"));
const REGISTRATION_CHALLENGE = b64url(new TextEncoder().encode("registration-challenge-012345678"));
const AUTHENTICATION_CHALLENGE = b64url(new TextEncoder().encode("authentication-challenge-0123456"));

const REGISTRATION_PARSE_ERRORS = [
  "malformed_response",
  "malformed_client_data",
  "malformed_attestation_object",
  "malformed_authenticator_data",
  "attested_credential_data_missing",
];
const AUTHENTICATION_PARSE_ERRORS = ["malformed_response", "malformed_client_data", "malformed_authenticator_data"];

type Json = Record<string, unknown>;

function creationOptions(): PublicKeyCredentialCreationOptionsJSON {
  return {
    rp: { id: RP_ID, name: "Example" },
    user: { id: USER_HANDLE, name: "alice", displayName: "Alice" },
    challenge: REGISTRATION_CHALLENGE,
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
  };
}

function requestOptions(): PublicKeyCredentialRequestOptionsJSON {
  return { challenge: AUTHENTICATION_CHALLENGE, timeout: 60_000, rpId: RP_ID, allowCredentials: [], userVerification: "required" };
}

function register(
  tamper: RegistrationTamper = {},
  algorithm: TestAlgorithm = "ES256",
  options: SoftwareAuthenticatorOptions = {},
): { authenticator: SoftwareAuthenticator; response: RegistrationResponseJSON } {
  const authenticator = new SoftwareAuthenticator(options);
  const response = authenticator.createCredential(creationOptions(), { origin: ORIGIN, algorithm, tamper: { credentialId: CREDENTIAL_ID, ...tamper } });
  return { authenticator, response };
}

function assertion(tamper: AssertionTamper = {}, algorithm: TestAlgorithm = "ES256"): AuthenticationResponseJSON {
  const { authenticator } = register({}, algorithm);
  return authenticator.getAssertion(requestOptions(), { origin: ORIGIN, tamper });
}

/** A deep copy of a response, as plain JSON, with `patch` applied to the top level and `responsePatch` to `response`. */
function edited(json: RegistrationResponseJSON | AuthenticationResponseJSON, patch: Json = {}, responsePatch: Json = {}): Json {
  const copy = JSON.parse(JSON.stringify(json)) as Json;
  const response = copy.response as Json;
  for (const [key, value] of Object.entries(responsePatch)) {
    if (value === undefined) delete response[key];
    else response[key] = value;
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  }
  return copy;
}

/** The same bytes in standard base64 with padding: what a lenient server would accept. */
function standardBase64(text: string): string {
  const standard = Buffer.from(fromB64url(text)).toString("base64");
  if (!standard.endsWith("=")) throw new Error(`fixture ${text} needs no padding`);
  return standard;
}

/** Same length, one character swapped for a standard-base64-only character. */
const withChar = (text: string, char: "+" | "/"): string => char + text.slice(1);

const clientDataBytes = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const rpIdHash = sha256(RP_ID);

function authData(flags: number, counter = 0, ...rest: Uint8Array[]): Uint8Array {
  const counterBytes = new Uint8Array(4);
  new DataView(counterBytes.buffer).setUint32(0, counter);
  return Uint8Array.from([...rpIdHash, flags, ...counterBytes, ...rest.flatMap((part) => [...part])]);
}

function attestedCredentialData(credentialId: Uint8Array, coseKey: Uint8Array): Uint8Array {
  const aaguid = new Uint8Array(16).fill(0xaa);
  return Uint8Array.from([...aaguid, credentialId.length >> 8, credentialId.length & 0xff, ...credentialId, ...coseKey]);
}

const es256CoseKey = coseKeyFor("ES256", generateTestKeyPair("ES256").publicKey);
const eddsaCoseKey = coseKeyFor("EdDSA", generateTestKeyPair("EdDSA").publicKey);

// -------------------------------------------------------------------------------------------------
// Happy paths
// -------------------------------------------------------------------------------------------------

describe("parseRegistrationResponse on genuine responses", () => {
  it.each<TestAlgorithm>(["ES256", "EdDSA", "RS256"])("parses a %s registration into typed values", (algorithm) => {
    const { authenticator, response } = register({}, algorithm);
    const parsed = parseRegistrationResponse(response);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const value = parsed.value;
    expect(value.id).toBe(b64url(CREDENTIAL_ID));
    expect(value.rawIdText).toBe(response.rawId);
    expect(value.rawId).toEqual(CREDENTIAL_ID);
    expect(value.type).toBe("public-key");
    expect(value.clientDataJSON).toEqual(fromB64url(response.response.clientDataJSON));
    expect(value.clientData).toEqual({ type: "webauthn.create", challenge: REGISTRATION_CHALLENGE, origin: ORIGIN, crossOrigin: false });
    expect(value.transports).toEqual(["internal"]);
    expect(value.attestation.format).toBe("none");
    expect(value.attestation.statement).toEqual({});
    const data = value.attestation.authenticatorData;
    expect(data.bytes).toEqual(fromB64url(response.response.authenticatorData!));
    expect(data.rpIdHash).toEqual(rpIdHash);
    expect([data.userPresent, data.userVerified, data.backupEligible, data.backupState]).toEqual([true, true, false, false]);
    expect(data.counter).toBe(0);
    const credential = data.attestedCredential;
    expect(credential?.aaguid).toEqual(new Uint8Array(16));
    expect(credential?.credentialId).toEqual(CREDENTIAL_ID);
    expect(credential?.publicKeyBytes).toEqual(coseKeyFor(algorithm, authenticator.credentials()[0]!.publicKey));
    expect(credential?.publicKey.alg).toBe({ ES256: -7, EdDSA: -8, RS256: -257 }[algorithm]);
  });

  it("parses a packed self attestation statement", () => {
    const { response } = register({}, "ES256", { attestation: "packed" });
    const parsed = parseRegistrationResponse(response);
    expect(parsed.ok && parsed.value.attestation.format).toBe("packed");
    const statement = parsed.ok ? parsed.value.attestation.statement : {};
    expect(statement.alg).toBe(-7);
    expect(statement.sig).toBeInstanceOf(Uint8Array);
  });

  it("reads the backup flags and counter from the authenticator data", () => {
    const { response } = register({ counter: 7 }, "ES256", { backupEligible: true, backupState: true, userVerification: false });
    const parsed = parseRegistrationResponse(response);
    const data = parsed.ok ? parsed.value.attestation.authenticatorData : null;
    expect(data).toMatchObject({ userPresent: true, userVerified: false, backupEligible: true, backupState: true, counter: 7 });
  });

  it("refuses a registration whose authenticator data has no attested credential data (no AT flag)", () => {
    const { response } = register({ omitAttestedCredentialData: true });
    expect(parseRegistrationResponse(response)).toEqual({ ok: false, error: "attested_credential_data_missing" });
  });

  it("accepts extensions after the credential public key when the ED flag is set", () => {
    const extensions = encodeCbor({ credProtect: 2 });
    const { response } = register({ extensions });
    const parsed = parseRegistrationResponse(response);
    expect(parsed.ok).toBe(true);
    const credential = parsed.ok ? parsed.value.attestation.authenticatorData.attestedCredential : null;
    expect(credential?.credentialId).toEqual(CREDENTIAL_ID);
    // The stored key is the COSE key alone, without the extensions that follow it.
    expect(credential?.publicKeyBytes.length).toBe(77);
  });

  it("keeps only the transports WebAuthn defines (§5.8.4), typed as such", () => {
    const { response } = register();
    const transports = ["usb", 5, "", "x".repeat(33), "nfc", null, "USB", "bluetooth", ...Array.from({ length: 10 }, (_, i) => `t${i}`), "hybrid"];
    const parsed = parseRegistrationResponse(edited(response, {}, { transports }));
    expect(parsed.ok && parsed.value.transports).toEqual(["usb", "nfc", "hybrid"]);
  });

  it("keeps at most eight transport hints", () => {
    const { response } = register();
    const parsed = parseRegistrationResponse(edited(response, {}, { transports: Array.from({ length: 12 }, () => "internal") }));
    expect(parsed.ok && parsed.value.transports).toHaveLength(8);
  });

  it("treats absent or non-array transports as none", () => {
    const { response } = register();
    const absent = parseRegistrationResponse(edited(response, {}, { transports: undefined }));
    const notArray = parseRegistrationResponse(edited(response, {}, { transports: "usb" }));
    expect(absent.ok && absent.value.transports).toEqual([]);
    expect(notArray.ok && notArray.value.transports).toEqual([]);
  });

  it("leaves the envelope checks to the checks: a mismatched id and an odd type still parse", () => {
    const { response } = register({ id: "c29tZXRoaW5nLWVsc2U", type: "password" });
    const parsed = parseRegistrationResponse(response);
    expect(parsed.ok && [parsed.value.id, parsed.value.type]).toEqual(["c29tZXRoaW5nLWVsc2U", "password"]);
  });
});

describe("parseAuthenticationResponse on genuine responses", () => {
  it.each<TestAlgorithm>(["ES256", "EdDSA", "RS256"])("parses a %s assertion into typed values", (algorithm) => {
    const response = assertion({}, algorithm);
    const parsed = parseAuthenticationResponse(response);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const value = parsed.value;
    expect(value.rawId).toEqual(CREDENTIAL_ID);
    expect(value.rawIdText).toBe(b64url(CREDENTIAL_ID));
    expect(value.clientData).toEqual({ type: "webauthn.get", challenge: AUTHENTICATION_CHALLENGE, origin: ORIGIN, crossOrigin: false });
    expect(value.signature).toEqual(fromB64url(response.response.signature));
    expect(value.userHandle).toBe(USER_HANDLE);
    expect(value.authenticatorData.bytes).toEqual(fromB64url(response.response.authenticatorData));
    expect(value.authenticatorData).toMatchObject({ userPresent: true, userVerified: true, counter: 1, attestedCredential: null });
  });

  it("reports crossOrigin true when the client says so", () => {
    const parsed = parseAuthenticationResponse(assertion({ clientData: { crossOrigin: true } }));
    expect(parsed.ok && parsed.value.clientData.crossOrigin).toBe(true);
  });

  it("treats a null userHandle as absent", () => {
    const parsed = parseAuthenticationResponse(assertion({ userHandle: null }));
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.value.userHandle).toBeNull();
  });

  it("treats a missing userHandle as absent", () => {
    const parsed = parseAuthenticationResponse(edited(assertion(), {}, { userHandle: undefined }));
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.value.userHandle).toBeNull();
  });

  it('treats userHandle "" as absent', () => {
    const parsed = parseAuthenticationResponse(assertion({ userHandle: "" }));
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.value.userHandle).toBeNull();
  });

  it("reads an assertion counter of 2^31 as a positive number", () => {
    const parsed = parseAuthenticationResponse(assertion({ counter: 0x80000000 }));
    expect(parsed.ok && parsed.value.authenticatorData.counter).toBe(0x80000000);
  });

  it("accepts extensions after the header when the ED flag is set", () => {
    const parsed = parseAuthenticationResponse(assertion({ extensions: encodeCbor({ largeBlob: { written: true } }) }));
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.value.authenticatorData.counter).toBe(1);
  });
});

// -------------------------------------------------------------------------------------------------
// Malformed envelopes: the same for both ceremonies
// -------------------------------------------------------------------------------------------------

const ceremonies = [
  { name: "registration", parse: parseRegistrationResponse as (json: unknown) => { ok: boolean; error?: string }, valid: () => register().response },
  { name: "authentication", parse: parseAuthenticationResponse as (json: unknown) => { ok: boolean; error?: string }, valid: () => assertion() },
] as const;

describe.each(ceremonies)("the $name response envelope", ({ parse, valid }) => {
  const errorOf = (json: unknown): string | undefined => {
    const result = parse(json);
    expect(result.ok).toBe(false);
    return result.error;
  };

  it("parses the untampered response (control)", () => {
    expect(parse(valid()).ok).toBe(true);
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["a string", "{}"],
    ["a number", 42],
    ["an array", []],
  ])("refuses %s as the response JSON", (_label, json) => {
    expect(errorOf(json)).toBe("malformed_response");
  });

  it.each([
    ["missing", undefined],
    ["a number", 12],
    ["an array", ["AAAA"]],
  ])("refuses an id that is %s", (_label, id) => {
    expect(errorOf(edited(valid(), { id }))).toBe("malformed_response");
  });

  it("refuses a missing rawId", () => {
    expect(errorOf(edited(valid(), { rawId: undefined }))).toBe("malformed_response");
  });

  it("refuses a rawId that is not a string", () => {
    expect(errorOf(edited(valid(), { rawId: Array.from(CREDENTIAL_ID) }))).toBe("malformed_response");
  });

  it("refuses a rawId that is not base64url", () => {
    expect(errorOf(edited(valid(), { rawId: "not base64url!" }))).toBe("malformed_response");
  });

  it("refuses a rawId in padded standard base64", () => {
    const response = valid();
    expect(standardBase64(response.rawId)).toMatch(/[+/].*=$/);
    expect(errorOf(edited(response, { rawId: standardBase64(response.rawId) }))).toBe("malformed_response");
  });

  it("refuses a rawId with base64url padding", () => {
    const response = valid();
    expect(errorOf(edited(response, { rawId: `${response.rawId}==` }))).toBe("malformed_response");
  });

  it.each(["+", "/"] as const)("refuses a rawId containing %s", (char) => {
    const response = valid();
    expect(errorOf(edited(response, { rawId: withChar(response.rawId, char) }))).toBe("malformed_response");
  });

  it("refuses an empty rawId", () => {
    expect(errorOf(edited(valid(), { id: "", rawId: "" }))).toBe("malformed_response");
  });

  it.each([
    ["missing", undefined],
    ["a number", 1],
  ])("refuses a type that is %s", (_label, type) => {
    expect(errorOf(edited(valid(), { type }))).toBe("malformed_response");
  });

  it.each([
    ["missing", undefined],
    ["null", null],
    ["a string", "response"],
    ["an array", []],
  ])("refuses a response member that is %s", (_label, response) => {
    expect(errorOf(edited(valid(), { response }))).toBe("malformed_response");
  });

  it("refuses a missing clientDataJSON", () => {
    expect(errorOf(edited(valid(), {}, { clientDataJSON: undefined }))).toBe("malformed_response");
  });

  it("refuses a clientDataJSON that is not base64url", () => {
    expect(errorOf(edited(valid(), {}, { clientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0=" }))).toBe("malformed_response");
  });

  it.each(["+", "/"] as const)("refuses a clientDataJSON containing %s", (char) => {
    const response = valid();
    expect(errorOf(edited(response, {}, { clientDataJSON: withChar(response.response.clientDataJSON, char) }))).toBe("malformed_response");
  });

  it("refuses a clientDataJSON that decodes to something other than JSON", () => {
    expect(errorOf(edited(valid(), {}, { clientDataJSON: b64url(new TextEncoder().encode("not json {")) }))).toBe("malformed_client_data");
  });

  it("refuses a clientDataJSON that is JSON but not client data", () => {
    expect(errorOf(edited(valid(), {}, { clientDataJSON: b64url(clientDataBytes({ hello: "world" })) }))).toBe("malformed_client_data");
  });

  it("refuses an empty clientDataJSON", () => {
    expect(errorOf(edited(valid(), {}, { clientDataJSON: "" }))).toBe("malformed_client_data");
  });
});

// -------------------------------------------------------------------------------------------------
// Malformed registration and authentication specifics
// -------------------------------------------------------------------------------------------------

describe("parseRegistrationResponse on malformed attestation", () => {
  const errorOf = (json: unknown): string | null => {
    const result = parseRegistrationResponse(json);
    return result.ok ? null : result.error;
  };

  it("refuses a missing attestationObject", () => {
    expect(errorOf(edited(register().response, {}, { attestationObject: undefined }))).toBe("malformed_response");
  });

  it("refuses an attestationObject that is not base64url", () => {
    const { response } = register();
    expect(errorOf(edited(response, {}, { attestationObject: withChar(response.response.attestationObject, "/") }))).toBe("malformed_response");
  });

  it("refuses an attestationObject that is not CBOR", () => {
    expect(errorOf(edited(register().response, {}, { attestationObject: b64url(Uint8Array.of(0xff, 0xff, 0xff)) }))).toBe(
      "malformed_attestation_object",
    );
  });

  it("refuses an attestation object without fmt", () => {
    const { response } = register();
    const attestationObject = b64url(encodeCbor({ attStmt: {}, authData: fromB64url(response.response.authenticatorData!) }));
    expect(errorOf(edited(response, {}, { attestationObject }))).toBe("malformed_attestation_object");
  });

  it("refuses authenticator data shorter than its 37-byte header", () => {
    expect(errorOf(register({ rawAuthenticatorData: new Uint8Array(36) }).response)).toBe("malformed_authenticator_data");
  });

  it("refuses trailing bytes after the credential public key without the ED flag", () => {
    const { response } = register({ extensions: encodeCbor({ credProtect: 2 }), flags: { ed: false } });
    expect(errorOf(response)).toBe("malformed_authenticator_data");
  });

  it("refuses the ED flag without any extensions", () => {
    expect(errorOf(register({ flags: { ed: true } }).response)).toBe("malformed_authenticator_data");
  });

  it("refuses a credential public key that is not a COSE key", () => {
    expect(errorOf(register({ coseKeyOverride: encodeCbor([1, 2, 3]) }).response)).toBe("malformed_authenticator_data");
  });

  it("refuses a COSE key whose labels are text (a text \"1\" is not the label 1, RFC 9052 §7)", () => {
    const coseKeyOverride = encodeCbor({ 1: 1, 3: -8, "-1": 6, "-2": new Uint8Array(32).fill(9) });
    expect(errorOf(register({ coseKeyOverride }, "EdDSA").response)).toBe("malformed_authenticator_data");
  });

  it("refuses a COSE key in non-canonical CBOR (alg -8 as 0x38 0x07)", () => {
    const key = coseKeyFor("EdDSA", generateTestKeyPair("EdDSA").publicKey);
    expect(key.subarray(3, 5)).toEqual(Uint8Array.of(0x03, 0x27));
    const coseKeyOverride = Uint8Array.from([...key.subarray(0, 4), 0x38, 0x07, ...key.subarray(5)]);
    expect(errorOf(register({ coseKeyOverride }, "EdDSA").response)).toBe("malformed_authenticator_data");
  });

  it("refuses extensions followed by a stray byte", () => {
    expect(errorOf(register({ extensions: Uint8Array.from([...encodeCbor({ credProtect: 2 }), 0xf6]) }).response)).toBe("malformed_authenticator_data");
  });

  it("parses a well-formed COSE key of an unsupported kind, leaving the judgement to checkPublicKey", () => {
    const parsed = parseRegistrationResponse(register({ coseKeyOverride: encodeCbor(new Map([[1, 2], [3, -35]])) }).response);
    expect(parsed.ok && parsed.value.attestation.authenticatorData.attestedCredential?.publicKey.alg).toBe(-35);
  });
});

describe("parseAuthenticationResponse on malformed assertions", () => {
  const errorOf = (json: unknown): string | null => {
    const result = parseAuthenticationResponse(json);
    return result.ok ? null : result.error;
  };

  it("refuses a missing authenticatorData", () => {
    expect(errorOf(edited(assertion(), {}, { authenticatorData: undefined }))).toBe("malformed_response");
  });

  it("refuses authenticatorData in padded standard base64", () => {
    const response = assertion();
    expect(errorOf(edited(response, {}, { authenticatorData: standardBase64(response.response.authenticatorData) }))).toBe("malformed_response");
  });

  it("refuses a missing signature", () => {
    expect(errorOf(edited(assertion(), {}, { signature: undefined }))).toBe("malformed_response");
  });

  it("refuses an empty signature", () => {
    expect(errorOf(assertion({ signature: new Uint8Array(0) }))).toBe("malformed_response");
  });

  it("refuses a signature that is not base64url", () => {
    expect(errorOf(edited(assertion(), {}, { signature: "c2ln+bmF0dXJl" }))).toBe("malformed_response");
  });

  it.each([
    ["not base64url", "user handle"],
    ["in padded standard base64", standardBase64(USER_HANDLE)],
    ["containing +", withChar(USER_HANDLE, "+")],
    ["containing /", withChar(USER_HANDLE, "/")],
  ])("refuses a userHandle %s", (_label, userHandle) => {
    expect(errorOf(assertion({ userHandle }))).toBe("malformed_response");
  });

  it.each([
    ["a number", 7],
    ["an object", { id: USER_HANDLE }],
    ["false", false],
  ])("refuses a userHandle that is %s", (_label, userHandle) => {
    expect(errorOf(edited(assertion(), {}, { userHandle }))).toBe("malformed_response");
  });

  it("refuses authenticator data shorter than its 37-byte header", () => {
    expect(errorOf(assertion({ rawAuthenticatorData: new Uint8Array(36) }))).toBe("malformed_authenticator_data");
  });

  it("refuses trailing bytes after the header without the ED flag", () => {
    expect(errorOf(assertion({ extensions: encodeCbor({ largeBlob: {} }), flags: { ed: false } }))).toBe("malformed_authenticator_data");
  });

  it("refuses the ED flag without any extensions", () => {
    expect(errorOf(assertion({ flags: { ed: true } }))).toBe("malformed_authenticator_data");
  });

  it("refuses extensions that are not one CBOR map", () => {
    expect(errorOf(assertion({ extensions: encodeCbor([1, 2]) }))).toBe("malformed_authenticator_data");
    expect(errorOf(assertion({ extensions: Uint8Array.from([...encodeCbor({ largeBlob: {} }), 0]) }))).toBe("malformed_authenticator_data");
  });

  it("refuses an assertion whose authenticator data carries attested credential data (AT is for registrations, §6.1)", () => {
    const key = coseKeyFor("ES256", generateTestKeyPair("ES256").publicKey);
    const rawAuthenticatorData = buildAuthenticatorData({
      rpId: RP_ID,
      flags: { up: true, uv: true, be: false, bs: false, at: true, ed: false },
      counter: 1,
      attestedCredentialData: attestedCredentialData(CREDENTIAL_ID, key),
    });
    expect(parseAuthData(rawAuthenticatorData).ok).toBe(true);
    expect(errorOf(assertion({ rawAuthenticatorData }))).toBe("malformed_authenticator_data");
  });

  it("parses an assertion with the reserved flag bits set", () => {
    const rawAuthenticatorData = buildAuthenticatorData({ rpId: RP_ID, flags: { up: true, uv: true, be: false, bs: false, at: false, ed: false }, counter: 1 });
    rawAuthenticatorData[32] = rawAuthenticatorData[32]! | 0x22;
    expect(errorOf(assertion({ rawAuthenticatorData }))).toBeNull();
  });
});

// -------------------------------------------------------------------------------------------------
// The component parsers
// -------------------------------------------------------------------------------------------------

describe("parseClientData", () => {
  const base = { type: "webauthn.get", challenge: AUTHENTICATION_CHALLENGE, origin: ORIGIN };

  it("parses webauthn.get client data", () => {
    expect(parseClientData(clientDataBytes(base))).toEqual({
      ok: true,
      value: { type: "webauthn.get", challenge: AUTHENTICATION_CHALLENGE, origin: ORIGIN, crossOrigin: false },
    });
  });

  it("parses webauthn.create client data", () => {
    const parsed = parseClientData(clientDataBytes({ ...base, type: "webauthn.create" }));
    expect(parsed.ok && parsed.value.type).toBe("webauthn.create");
  });

  it("keeps the origin exactly as sent", () => {
    const parsed = parseClientData(clientDataBytes({ ...base, origin: "HTTPS://Example.com:443/" }));
    expect(parsed.ok && parsed.value.origin).toBe("HTTPS://Example.com:443/");
  });

  // §7.1 step 8 / §7.2 step 12 compare the challenge as text with the base64url the RP issued; the parser
  // keeps the text as written, so that no other spelling of the same bytes can pass for it.
  it.each([
    ["padded", "AAE="],
    ["in standard base64", "+/8"],
    ["with non-canonical trailing bits (AAF decodes as AAE does)", "AAF"],
    ["not base64 at all", "not base64!"],
    ["empty", ""],
  ])("keeps a challenge %s exactly as written, for the challenge check to judge", (_label, challenge) => {
    const parsed = parseClientData(clientDataBytes({ ...base, challenge }));
    expect(parsed.ok && parsed.value.challenge).toBe(challenge);
  });

  it("reads the members of client data spelled with escapes", () => {
    const text = `{"type":"webauthn.get","challenge":"${AUTHENTICATION_CHALLENGE}","\\u006frigin":"${ORIGIN}"}`;
    const parsed = parseClientData(new TextEncoder().encode(text));
    expect(parsed.ok && parsed.value.origin).toBe(ORIGIN);
  });

  it.each([
    ["challenge", `{"type":"webauthn.get","challenge":"${AUTHENTICATION_CHALLENGE}","challenge":"AAAA","origin":"${ORIGIN}"}`],
    ["type", `{"type":"webauthn.create","challenge":"${AUTHENTICATION_CHALLENGE}","origin":"${ORIGIN}","type":"webauthn.get"}`],
    ["origin", `{"type":"webauthn.get","challenge":"${AUTHENTICATION_CHALLENGE}","origin":"https://evil.example","origin":"${ORIGIN}"}`],
    ["crossOrigin", `{"type":"webauthn.get","challenge":"${AUTHENTICATION_CHALLENGE}","origin":"${ORIGIN}","crossOrigin":true,"crossOrigin":false}`],
    ["type, once spelled with an escape", `{"type":"webauthn.create","challenge":"${AUTHENTICATION_CHALLENGE}","origin":"${ORIGIN}","t\\u0079pe":"webauthn.get"}`],
    ["member of a nested object", `{"type":"webauthn.get","challenge":"${AUTHENTICATION_CHALLENGE}","origin":"${ORIGIN}","other":{"a":1,"a":2}}`],
    ["unknown member", `{"type":"webauthn.get","challenge":"${AUTHENTICATION_CHALLENGE}","origin":"${ORIGIN}","x":1,"x":1}`],
  ])("refuses client data with a duplicated %s (JSON.parse would keep the last)", (_label, text) => {
    expect(parseClientData(new TextEncoder().encode(text))).toEqual({ ok: false, error: "malformed_client_data" });
  });

  it("reads topOrigin as no reason to refuse, and crossOrigin true as what it says (the check refuses it)", () => {
    const parsed = parseClientData(clientDataBytes({ ...base, crossOrigin: true, topOrigin: "https://top.example" }));
    expect(parsed.ok && parsed.value.crossOrigin).toBe(true);
  });

  it("ignores members it does not know", () => {
    const parsed = parseClientData(clientDataBytes({ ...base, topOrigin: "https://other.example", other_keys_can_be_added_here: "x" }));
    expect(parsed.ok).toBe(true);
  });

  it.each([
    ["invalid JSON", new TextEncoder().encode("{")],
    ["empty bytes", new Uint8Array(0)],
    ["a JSON string", clientDataBytes("webauthn.get")],
    ["JSON null", clientDataBytes(null)],
    ["a missing type", clientDataBytes({ challenge: base.challenge, origin: ORIGIN })],
    ["an unknown type", clientDataBytes({ ...base, type: "payment.get" })],
    ["a missing challenge", clientDataBytes({ type: base.type, origin: ORIGIN })],
    ["a challenge that is not a string", clientDataBytes({ ...base, challenge: 5 })],
    ["a challenge that is null", clientDataBytes({ ...base, challenge: null })],
    ["a missing origin", clientDataBytes({ type: base.type, challenge: base.challenge })],
    ["an origin that is not a string", clientDataBytes({ ...base, origin: ["https://example.com"] })],
    ["a crossOrigin that is not a boolean", clientDataBytes({ ...base, crossOrigin: "false" })],
    ["a crossOrigin that is null", clientDataBytes({ ...base, crossOrigin: null })],
    ["a type in another letter case", clientDataBytes({ ...base, type: "WebAuthn.get" })],
  ])("refuses client data with %s", (_label, bytes) => {
    expect(parseClientData(bytes)).toEqual({ ok: false, error: "malformed_client_data" });
  });
});

describe("parseAuthData", () => {
  it("parses a bare 37-byte header", () => {
    const bytes = authData(FLAG_UP | FLAG_UV, 0x01020304);
    expect(parseAuthData(bytes)).toEqual({
      ok: true,
      value: {
        bytes,
        rpIdHash,
        userPresent: true,
        userVerified: true,
        backupEligible: false,
        backupState: false,
        counter: 0x01020304,
        attestedCredential: null,
      },
    });
  });

  it.each([
    [FLAG_UP, "userPresent"],
    [FLAG_UV, "userVerified"],
    [FLAG_BE, "backupEligible"],
    [FLAG_BS, "backupState"],
  ] as const)("reads flag bit 0x%s as %s and nothing else", (flag, name) => {
    const parsed = parseAuthData(authData(flag));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const flags = { userPresent: false, userVerified: false, backupEligible: false, backupState: false, [name]: true };
    expect(parsed.value).toMatchObject(flags);
  });

  it("reads the largest counter below 2^31", () => {
    const parsed = parseAuthData(authData(FLAG_UP, 0x7fffffff));
    expect(parsed.ok && parsed.value.counter).toBe(0x7fffffff);
  });

  // @oslojs/binary's bigEndian.uint32 ORs shifted bytes, so a signCount of 2^31 or more would come back
  // negative and the counter rule would stop detecting clones; the parser reads it unsigned.
  it("reads a counter of 2^31 or more as an unsigned 32-bit number", () => {
    const parsed = parseAuthData(authData(FLAG_UP, 0x80000000));
    expect(parsed.ok && parsed.value.counter).toBe(0x80000000);
  });

  it("reads the largest counter, 2^32 - 1, as such", () => {
    const parsed = parseAuthData(authData(FLAG_UP, 0xffffffff));
    expect(parsed.ok && parsed.value.counter).toBe(0xffffffff);
  });

  it("parses attested credential data", () => {
    const id = Uint8Array.of(1, 2, 3, 4);
    const parsed = parseAuthData(authData(FLAG_UP | FLAG_AT, 0, attestedCredentialData(id, eddsaCoseKey)));
    expect(parsed.ok).toBe(true);
    const credential = parsed.ok ? parsed.value.attestedCredential : null;
    expect(credential?.aaguid).toEqual(new Uint8Array(16).fill(0xaa));
    expect(credential?.credentialId).toEqual(id);
    expect(credential?.publicKeyBytes).toEqual(eddsaCoseKey);
    expect(credential?.publicKey).toMatchObject({ kty: 1, alg: -8, crv: 6 });
  });

  it("accepts an empty extensions map, and nested extension outputs", () => {
    expect(parseAuthData(authData(FLAG_UP | FLAG_ED, 0, encodeCbor({}))).ok).toBe(true);
    expect(parseAuthData(authData(FLAG_UP | FLAG_ED, 0, encodeCbor({ largeBlob: { written: true }, credBlob: new Uint8Array(4) }))).ok).toBe(true);
  });

  it.each([
    ["RFU1 (0x02)", 0x02],
    ["RFU2 (0x20)", 0x20],
    ["both", 0x22],
  ])("ignores the reserved flag bits: %s", (_label, rfu) => {
    const plain = parseAuthData(authData(FLAG_UP | FLAG_UV, 3));
    const reserved = parseAuthData(authData(FLAG_UP | FLAG_UV | rfu, 3));
    expect(reserved.ok).toBe(true);
    if (!plain.ok || !reserved.ok) return;
    expect({ ...reserved.value, bytes: null }).toEqual({ ...plain.value, bytes: null });
  });

  it("parses attested credential data followed by extensions when ED is set", () => {
    const extensions = encodeCbor({ credProtect: 2 });
    const parsed = parseAuthData(authData(FLAG_UP | FLAG_AT | FLAG_ED, 0, attestedCredentialData(CREDENTIAL_ID, es256CoseKey), extensions));
    expect(parsed.ok && parsed.value.attestedCredential?.publicKeyBytes).toEqual(es256CoseKey);
  });

  it.each([
    ["empty", new Uint8Array(0)],
    ["36 bytes", new Uint8Array(36)],
    ["AT without room for the credential data header", authData(FLAG_UP | FLAG_AT, 0, new Uint8Array(17))],
    ["AT with a credential id longer than the data", authData(FLAG_UP | FLAG_AT, 0, new Uint8Array(16), Uint8Array.of(0x04, 0x00), new Uint8Array(100))],
    ["AT with no public key", authData(FLAG_UP | FLAG_AT, 0, attestedCredentialData(CREDENTIAL_ID, new Uint8Array(0)))],
    ["AT with a public key that is not CBOR", authData(FLAG_UP | FLAG_AT, 0, attestedCredentialData(CREDENTIAL_ID, Uint8Array.of(0xff)))],
    ["AT with a public key that is a CBOR array", authData(FLAG_UP | FLAG_AT, 0, attestedCredentialData(CREDENTIAL_ID, encodeCbor([1, -7])))],
    ["AT with a COSE key lacking alg", authData(FLAG_UP | FLAG_AT, 0, attestedCredentialData(CREDENTIAL_ID, encodeCbor(new Map([[1, 2]]))))],
    ["AT and a truncated COSE key", authData(FLAG_UP | FLAG_AT, 0, attestedCredentialData(CREDENTIAL_ID, es256CoseKey.subarray(0, 70)))],
    ["bytes after the COSE key without ED", authData(FLAG_UP | FLAG_AT, 0, attestedCredentialData(CREDENTIAL_ID, es256CoseKey), Uint8Array.of(0xa0))],
    ["bytes after the header without AT or ED", authData(FLAG_UP, 0, Uint8Array.of(0xa0))],
    ["ED without extensions", authData(FLAG_UP | FLAG_ED)],
    ["AT and ED without extensions", authData(FLAG_UP | FLAG_AT | FLAG_ED, 0, attestedCredentialData(CREDENTIAL_ID, es256CoseKey))],
    ["ED and extensions that are a CBOR integer, not a map", authData(FLAG_UP | FLAG_ED, 0, encodeCbor(2))],
    ["ED and extensions that are a CBOR array", authData(FLAG_UP | FLAG_ED, 0, encodeCbor(["credProtect", 2]))],
    ["ED and extensions that are a text string", authData(FLAG_UP | FLAG_ED, 0, encodeCbor("credProtect"))],
    ["ED and a byte after the extensions map", authData(FLAG_UP | FLAG_ED, 0, encodeCbor({ credProtect: 2 }), Uint8Array.of(0x00))],
    ["ED and two extensions maps", authData(FLAG_UP | FLAG_ED, 0, encodeCbor({ credProtect: 2 }), encodeCbor({ credBlob: true }))],
    ["ED and a truncated extensions map", authData(FLAG_UP | FLAG_ED, 0, encodeCbor({ credProtect: 2 }).subarray(0, 5))],
    ["ED and an extensions map with a repeated key", authData(FLAG_UP | FLAG_ED, 0, Uint8Array.of(0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02))],
    ["ED and an extensions map keyed by an integer (identifiers are text, §9.1)", authData(FLAG_UP | FLAG_ED, 0, encodeCbor(new Map([[1, 2]])))],
    ["ED and an extension identifier that is not UTF-8", authData(FLAG_UP | FLAG_ED, 0, Uint8Array.of(0xa1, 0x61, 0xff, 0x01))],
    ["ED and arbitrary bytes after the COSE key", authData(FLAG_UP | FLAG_AT | FLAG_ED, 0, attestedCredentialData(CREDENTIAL_ID, es256CoseKey), Uint8Array.of(0xde, 0xad))],
    ["AT, ED and a byte after the extensions map", authData(FLAG_UP | FLAG_AT | FLAG_ED, 0, attestedCredentialData(CREDENTIAL_ID, es256CoseKey), encodeCbor({ credProtect: 2 }), Uint8Array.of(0xa0))],
    ["AT and a COSE key in non-canonical CBOR (kty in a one-byte argument)", authData(FLAG_UP | FLAG_AT, 0, attestedCredentialData(CREDENTIAL_ID, Uint8Array.from([0xa5, 0x01, 0x18, 0x02, ...es256CoseKey.subarray(3)])))],
    ["AT and a COSE key with text labels", authData(FLAG_UP | FLAG_AT, 0, attestedCredentialData(CREDENTIAL_ID, encodeCbor({ 1: 2, 3: -7, "-1": 1, "-2": new Uint8Array(32), "-3": new Uint8Array(32) })))],
  ])("refuses authenticator data with %s", (_label, bytes) => {
    expect(parseAuthData(bytes)).toEqual({ ok: false, error: "malformed_authenticator_data" });
  });
});

describe("extensionsWellFormed", () => {
  it("wants nothing without the ED flag, and exactly one map of text identifiers with it", () => {
    expect(extensionsWellFormed(new Uint8Array(0), false)).toBe(true);
    expect(extensionsWellFormed(encodeCbor({}), false)).toBe(false);
    expect(extensionsWellFormed(new Uint8Array(0), true)).toBe(false);
    expect(extensionsWellFormed(encodeCbor({}), true)).toBe(true);
    expect(extensionsWellFormed(encodeCbor({ credProtect: 2, largeBlob: { written: true } }), true)).toBe(true);
    expect(extensionsWellFormed(encodeCbor([{ credProtect: 2 }]), true)).toBe(false);
    expect(extensionsWellFormed(Uint8Array.from([...encodeCbor({ credProtect: 2 }), 0xa0]), true)).toBe(false);
    expect(extensionsWellFormed(encodeCbor(new Map([[1, 2]])), true)).toBe(false);
    expect(extensionsWellFormed(Uint8Array.of(0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02), true)).toBe(false);
  });

  it("reads indefinite-length maps too: only the identifiers and what follows are judged", () => {
    expect(extensionsWellFormed(Uint8Array.of(0xbf, 0x61, 0x61, 0x01, 0xff), true)).toBe(true);
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, flag) => {
        expect(typeof extensionsWellFormed(bytes, flag)).toBe("boolean");
      }),
      RUNS,
    );
  });
});

describe("parseAssertionAuthData", () => {
  it("parses authenticator data without attested credential data, typed as such", () => {
    const parsed = parseAssertionAuthData(authData(FLAG_UP | FLAG_UV, 9));
    expect(parsed.ok && parsed.value.attestedCredential).toBeNull();
    expect(parsed.ok && parsed.value.counter).toBe(9);
  });

  it("refuses authenticator data with AT set, however well-formed", () => {
    const bytes = authData(FLAG_UP | FLAG_UV | FLAG_AT, 9, attestedCredentialData(CREDENTIAL_ID, es256CoseKey));
    expect(parseAuthData(bytes).ok).toBe(true);
    expect(parseAssertionAuthData(bytes)).toEqual({ ok: false, error: "malformed_authenticator_data" });
  });

  it("passes on parseAuthData's refusals", () => {
    expect(parseAssertionAuthData(new Uint8Array(36))).toEqual({ ok: false, error: "malformed_authenticator_data" });
  });
});

describe("parseAttestationObject", () => {
  const validAuthData = authData(FLAG_UP | FLAG_UV | FLAG_AT, 0, attestedCredentialData(CREDENTIAL_ID, es256CoseKey));

  it("parses a genuine attestation object", () => {
    const { response } = register({}, "EdDSA", { attestation: "packed" });
    const parsed = parseAttestationObject(fromB64url(response.response.attestationObject));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.format).toBe("packed");
    expect(Object.keys(parsed.value.statement).sort()).toEqual(["alg", "sig"]);
    expect(parsed.value.authenticatorData.bytes).toEqual(fromB64url(response.response.authenticatorData!));
  });

  it("accepts a format name of 32 characters", () => {
    const parsed = parseAttestationObject(encodeCbor({ fmt: "f".repeat(32), attStmt: {}, authData: validAuthData }));
    expect(parsed.ok && parsed.value.format).toBe("f".repeat(32));
  });

  it.each([
    ["bytes that are not CBOR", Uint8Array.of(0x1c)],
    ["empty bytes", new Uint8Array(0)],
    ["a CBOR array", encodeCbor(["none", {}, validAuthData])],
    ["a CBOR byte string", encodeCbor(validAuthData)],
    ["a missing fmt", encodeCbor({ attStmt: {}, authData: validAuthData })],
    ["an empty fmt", encodeCbor({ fmt: "", attStmt: {}, authData: validAuthData })],
    ["a fmt of 33 characters", encodeCbor({ fmt: "f".repeat(33), attStmt: {}, authData: validAuthData })],
    ["a fmt that is not text", encodeCbor({ fmt: 1, attStmt: {}, authData: validAuthData })],
    ["a fmt with a double quote (§8.1)", encodeCbor({ fmt: 'pa"cked', attStmt: {}, authData: validAuthData })],
    ["a fmt with a backslash (§8.1)", encodeCbor({ fmt: "pa\\cked", attStmt: {}, authData: validAuthData })],
    ["a fmt with a character outside printable US-ASCII (§8.1)", encodeCbor({ fmt: "packéd", attStmt: {}, authData: validAuthData })],
    ["a fmt with a control character", encodeCbor({ fmt: "pack\ned", attStmt: {}, authData: validAuthData })],
    ["a missing attStmt", encodeCbor({ fmt: "none", authData: validAuthData })],
    ["an attStmt that is an array", encodeCbor({ fmt: "none", attStmt: [], authData: validAuthData })],
    ["an attStmt that is a byte string", encodeCbor({ fmt: "none", attStmt: new Uint8Array(2), authData: validAuthData })],
    ["a missing authData", encodeCbor({ fmt: "none", attStmt: {} })],
    ["an authData that is text", encodeCbor({ fmt: "none", attStmt: {}, authData: "authData" })],
    ["trailing bytes after the map", Uint8Array.from([...encodeCbor({ fmt: "none", attStmt: {}, authData: validAuthData }), 0x00])],
    ["a duplicated key", Uint8Array.of(0xa2, 0x63, 0x66, 0x6d, 0x74, 0x61, 0x61, 0x63, 0x66, 0x6d, 0x74, 0x61, 0x62)],
  ])("refuses an attestation object with %s", (_label, bytes) => {
    expect(parseAttestationObject(bytes)).toEqual({ ok: false, error: "malformed_attestation_object" });
  });

  it("types the attested credential data as present when it is", () => {
    const parsed = parseAttestationObject(encodeCbor({ fmt: "none", attStmt: {}, authData: validAuthData }));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.authenticatorData.attestedCredential.credentialId).toEqual(CREDENTIAL_ID);
  });

  it("refuses authenticator data without attested credential data with attested_credential_data_missing (§6.5.1: a registration carries it)", () => {
    const withoutCredential = authData(FLAG_UP | FLAG_UV, 0);
    expect(parseAttestationObject(encodeCbor({ fmt: "none", attStmt: {}, authData: withoutCredential }))).toEqual({
      ok: false,
      error: "attested_credential_data_missing",
    });
  });

  it("reports malformed authenticator data inside a well-formed attestation object as such", () => {
    expect(parseAttestationObject(encodeCbor({ fmt: "none", attStmt: {}, authData: new Uint8Array(36) }))).toEqual({
      ok: false,
      error: "malformed_authenticator_data",
    });
  });
});

// -------------------------------------------------------------------------------------------------
// Properties
// -------------------------------------------------------------------------------------------------

describe("parsing arbitrary input (properties)", () => {
  const isRegistrationError = (error: string): boolean =>
    (REGISTRATION_ERRORS as readonly string[]).includes(error) && REGISTRATION_PARSE_ERRORS.includes(error);
  const isAuthenticationError = (error: string): boolean =>
    (AUTHENTICATION_ERRORS as readonly string[]).includes(error) && AUTHENTICATION_PARSE_ERRORS.includes(error);

  it.each([
    ["fc.anything()", fc.anything()],
    ["fc.jsonValue()", fc.jsonValue()],
  ])("parseRegistrationResponse refuses %s without throwing, with a registration error code", (_label, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (json) => {
        const result = parseRegistrationResponse(json);
        expect(result.ok).toBe(false);
        expect(!result.ok && isRegistrationError(result.error)).toBe(true);
      }),
      RUNS,
    );
  });

  it.each([
    ["fc.anything()", fc.anything()],
    ["fc.jsonValue()", fc.jsonValue()],
  ])("parseAuthenticationResponse refuses %s without throwing, with an authentication error code", (_label, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (json) => {
        const result = parseAuthenticationResponse(json);
        expect(result.ok).toBe(false);
        expect(!result.ok && isAuthenticationError(result.error)).toBe(true);
      }),
      RUNS,
    );
  });

  it("never throws on response-shaped objects with arbitrary members", () => {
    const member = fc.oneof(fc.anything(), fc.base64String().map((s) => s.replace(/=+$/, "")), fc.constant("AAAA"));
    const shaped = fc.record(
      {
        id: member,
        rawId: member,
        type: fc.oneof(fc.constant("public-key"), member),
        response: fc.oneof(
          member,
          fc.record(
            { clientDataJSON: member, attestationObject: member, authenticatorData: member, signature: member, userHandle: member, transports: member },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(shaped, (json) => {
        const registration = parseRegistrationResponse(json);
        const authentication = parseAuthenticationResponse(json);
        expect(registration.ok || isRegistrationError(registration.error)).toBe(true);
        expect(authentication.ok || isAuthenticationError(authentication.error)).toBe(true);
      }),
      RUNS,
    );
  });

  describe("on a genuine response with one binary member replaced", () => {
    let registration: RegistrationResponseJSON;
    let authentication: AuthenticationResponseJSON;
    let registrationBytes: { clientDataJSON: Uint8Array; attestationObject: Uint8Array };
    let authenticationBytes: { clientDataJSON: Uint8Array; authenticatorData: Uint8Array };

    beforeAll(() => {
      registration = register({ extensions: encodeCbor({ credProtect: 2 }) }, "ES256", { attestation: "packed" }).response;
      authentication = assertion();
      registrationBytes = {
        clientDataJSON: fromB64url(registration.response.clientDataJSON),
        attestationObject: fromB64url(registration.response.attestationObject),
      };
      authenticationBytes = {
        clientDataJSON: fromB64url(authentication.response.clientDataJSON),
        authenticatorData: fromB64url(authentication.response.authenticatorData),
      };
    });

    /** Arbitrary bytes, or the genuine bytes truncated, with one byte changed, or with bytes appended. */
    const replacement = (genuine: () => Uint8Array): fc.Arbitrary<Uint8Array> =>
      fc.oneof(
        fc.uint8Array({ maxLength: 600 }),
        fc.nat().map((n) => genuine().slice(0, n % (genuine().length + 1))),
        fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([n, x]) => {
          const copy = genuine().slice();
          const index = n % copy.length;
          copy[index] = (copy[index] ?? 0) ^ x;
          return copy;
        }),
        fc.uint8Array({ minLength: 1, maxLength: 40 }).map((tail) => Uint8Array.from([...genuine(), ...tail])),
      );

    it("parseRegistrationResponse returns a typed result when clientDataJSON is replaced", () => {
      fc.assert(
        fc.property(replacement(() => registrationBytes.clientDataJSON), (bytes) => {
          const result = parseRegistrationResponse(edited(registration, {}, { clientDataJSON: b64url(bytes) }));
          if (result.ok) expect(result.value.clientDataJSON).toEqual(bytes);
          else expect(result.error).toBe("malformed_client_data");
        }),
        RUNS,
      );
    });

    it("parseRegistrationResponse returns a typed result when attestationObject is replaced", () => {
      fc.assert(
        fc.property(replacement(() => registrationBytes.attestationObject), (bytes) => {
          const result = parseRegistrationResponse(edited(registration, {}, { attestationObject: b64url(bytes) }));
          if (result.ok) expect(result.value.attestation.format.length).toBeGreaterThan(0);
          else expect(["malformed_attestation_object", "malformed_authenticator_data"]).toContain(result.error);
        }),
        RUNS,
      );
    });

    it("parseAuthenticationResponse returns a typed result when clientDataJSON is replaced", () => {
      fc.assert(
        fc.property(replacement(() => authenticationBytes.clientDataJSON), (bytes) => {
          const result = parseAuthenticationResponse(edited(authentication, {}, { clientDataJSON: b64url(bytes) }));
          if (result.ok) expect(result.value.clientDataJSON).toEqual(bytes);
          else expect(result.error).toBe("malformed_client_data");
        }),
        RUNS,
      );
    });

    it("parseAuthenticationResponse returns a typed result when authenticatorData is replaced", () => {
      fc.assert(
        fc.property(replacement(() => authenticationBytes.authenticatorData), (bytes) => {
          const result = parseAuthenticationResponse(edited(authentication, {}, { authenticatorData: b64url(bytes) }));
          if (result.ok) expect(result.value.authenticatorData.bytes).toEqual(bytes);
          else expect(result.error).toBe("malformed_authenticator_data");
        }),
        RUNS,
      );
    });
  });

  it("parseAuthData never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const result = parseAuthData(bytes);
        if (result.ok) expect(bytes.length).toBeGreaterThanOrEqual(37);
        else expect(result.error).toBe("malformed_authenticator_data");
      }),
      RUNS,
    );
  });

  const header = fc.record({ flags: fc.integer({ min: 0, max: 255 }), counter: fc.nat({ max: 0xffffffff }) });

  function expectHeaderRead(result: ReturnType<typeof parseAuthData>, flags: number, counter: number): void {
    if (!result.ok) return;
    expect(result.value.rpIdHash).toEqual(rpIdHash);
    expect(result.value.counter).toBe(counter);
    expect(result.value.userPresent).toBe((flags & FLAG_UP) !== 0);
    expect(result.value.userVerified).toBe((flags & FLAG_UV) !== 0);
    expect(result.value.backupEligible).toBe((flags & FLAG_BE) !== 0);
    expect(result.value.backupState).toBe((flags & FLAG_BS) !== 0);
    expect(result.value.attestedCredential !== null).toBe((flags & FLAG_AT) !== 0);
  }

  /** Extension outputs as an authenticator writes them: one CBOR map, text keys. */
  const extensionsMap = fc
    .dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.oneof(fc.boolean(), fc.nat(), fc.uint8Array({ maxLength: 8 })), { maxKeys: 4 })
    .map((outputs) => encodeCbor(outputs));

  it("parseAuthData reads a valid header followed by arbitrary bytes consistently with its flags byte", () => {
    fc.assert(
      fc.property(header, fc.oneof(fc.uint8Array({ maxLength: 600 }), extensionsMap), ({ flags, counter }, tail) => {
        const result = parseAuthData(authData(flags, counter, tail));
        expectHeaderRead(result, flags, counter);
        if (!result.ok) expect(result.error).toBe("malformed_authenticator_data");
        // Without attested credential data the tail is exactly the extensions: none without ED, one CBOR map with it.
        if ((flags & FLAG_AT) === 0 && (flags & FLAG_ED) === 0) expect(result.ok).toBe(tail.length === 0);
        if (result.ok && (flags & FLAG_ED) !== 0) expect(tail[0]! >> 5).toBe(5);
      }),
      RUNS,
    );
  });

  it("parseAuthData accepts exactly one extensions map after the header when ED is set", () => {
    fc.assert(
      fc.property(header, extensionsMap, fc.uint8Array({ maxLength: 8 }), ({ flags, counter }, extensions, extra) => {
        const withEd = (flags | FLAG_ED) & ~FLAG_AT;
        expect(parseAuthData(authData(withEd, counter, extensions)).ok).toBe(true);
        expect(parseAuthData(authData(withEd, counter, extensions, extra)).ok).toBe(extra.length === 0);
      }),
      RUNS,
    );
  });

  it("parseAuthData reads valid attested credential data consistently with the AT and ED flags", () => {
    fc.assert(
      fc.property(
        header.map(({ flags, counter }) => ({ flags: flags | FLAG_AT, counter })),
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom(es256CoseKey, eddsaCoseKey),
        fc.oneof(fc.constant(new Uint8Array(0)), extensionsMap),
        ({ flags, counter }, credentialId, coseKey, extensions) => {
          const result = parseAuthData(authData(flags, counter, attestedCredentialData(credentialId, coseKey), extensions));
          expectHeaderRead(result, flags, counter);
          expect(result.ok).toBe(((flags & FLAG_ED) !== 0) === extensions.length > 0);
          if (result.ok) {
            expect(result.value.attestedCredential?.credentialId).toEqual(credentialId);
            expect(result.value.attestedCredential?.publicKeyBytes).toEqual(coseKey);
          }
        },
      ),
      RUNS,
    );
  });
});
