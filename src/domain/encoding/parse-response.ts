/**
 * Untrusted bytes are parsed once, here, into typed values; the checks then judge typed values
 * (ADR 0005). Parsing never throws: anything that is not the expected shape becomes an error code.
 */
import { CBORMap, CBORTextString, decodeCBOR, decodeCBORToNativeValueNoLeftoverBytes } from "@oslojs/cbor";
import { byteAt, fromBase64Url } from "./bytes.js";
import { readCoseKey, type CoseKey } from "./cose.js";
import { hasDuplicateObjectKeys, isJsonObject } from "./strict-json.js";
import { err, ok, type Result } from "../result.js";
import { AUTHENTICATOR_TRANSPORTS, type AuthenticatorTransport } from "./webauthn-json.js";

export interface ParsedClientData {
  readonly type: "webauthn.create" | "webauthn.get";
  /**
   * The challenge exactly as the client wrote it, not decoded: §7.1 step 8 and §7.2 step 12 compare it,
   * as text, with the base64url of the challenge issued, so no other spelling of the same bytes
   * (padding, `+` and `/`, stray trailing bits) can pass for it.
   */
  readonly challenge: string;
  readonly origin: string;
  readonly crossOrigin: boolean;
}

export interface AttestedCredential {
  readonly aaguid: Uint8Array;
  readonly credentialId: Uint8Array;
  /** The COSE_Key bytes as sent, which is what is stored. */
  readonly publicKeyBytes: Uint8Array;
  readonly publicKey: CoseKey;
}

export interface ParsedAuthenticatorData {
  readonly bytes: Uint8Array;
  readonly rpIdHash: Uint8Array;
  readonly userPresent: boolean;
  readonly userVerified: boolean;
  readonly backupEligible: boolean;
  readonly backupState: boolean;
  readonly counter: number;
  readonly attestedCredential: AttestedCredential | null;
}

/** Authenticator data of a registration: the attested credential data is there (the parser refuses it otherwise). */
export interface AttestedAuthenticatorData extends ParsedAuthenticatorData {
  readonly attestedCredential: AttestedCredential;
}

/** Authenticator data of an assertion: no attested credential data (§6.1: AT is set only when registering). */
export interface AssertionAuthenticatorData extends ParsedAuthenticatorData {
  readonly attestedCredential: null;
}

/**
 * An attestation statement format identifier as §8.1 defines them: 1–32 printable US-ASCII characters
 * other than backslash and double quote. Checked by the parser; whether keyport knows the format is
 * judged later (attestation/verify-attestation.ts).
 */
export type AttestationFormatId = string & { readonly __checked: "attestation format identifier" };

export interface ParsedAttestationObject {
  readonly format: AttestationFormatId;
  readonly statement: Readonly<Record<string, unknown>>;
  readonly authenticatorData: AttestedAuthenticatorData;
}

interface ParsedCredentialEnvelope {
  readonly id: string;
  readonly rawId: Uint8Array;
  readonly rawIdText: string;
  readonly type: string;
  readonly clientDataJSON: Uint8Array;
  readonly clientData: ParsedClientData;
}

export interface ParsedRegistrationResponse extends ParsedCredentialEnvelope {
  readonly attestation: ParsedAttestationObject;
  /** The transports the client reported that WebAuthn defines; unknown values are dropped (§5.8.4: they are hints). */
  readonly transports: readonly AuthenticatorTransport[];
}

export interface ParsedAuthenticationResponse extends ParsedCredentialEnvelope {
  readonly authenticatorData: AssertionAuthenticatorData;
  readonly signature: Uint8Array;
  /** Canonical base64url of `response.userHandle`, or null when the authenticator sent none. */
  readonly userHandle: string | null;
}

export type EnvelopeParseError = "malformed_response" | "malformed_client_data";
export type RegistrationParseError =
  | EnvelopeParseError
  | "malformed_attestation_object"
  | "malformed_authenticator_data"
  | "attested_credential_data_missing";
export type AuthenticationParseError = EnvelopeParseError | "malformed_authenticator_data";

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;
const FLAG_ED = 0x80;
const HEADER_LENGTH = 37;
const AAGUID_LENGTH = 16;
const ATTESTED_HEADER_LENGTH = 18;
/** Nesting allowed inside the extensions map: extension outputs are shallow (largeBlob's is a map of one level). */
const MAX_EXTENSIONS_DEPTH = 8;
const CLIENT_DATA_TYPES = ["webauthn.create", "webauthn.get"] as const;
/** Generous bound on transport hints kept per credential; anything beyond is noise. */
const MAX_TRANSPORTS = 8;

type Json = Record<string, unknown>;

/**
 * §5.8.1: the client data, read as §7.1 step 5 and §7.2 step 9 read it (UTF-8 decode, then JSON). An
 * object that names a member twice is refused (ADR 0014): JSON.parse would keep the last, and another
 * reader of the same signed bytes might keep the first. Members keyport does not use (topOrigin,
 * tokenBinding, future ones) are left alone, as §5.8.1.2 asks.
 *
 * Client data as browsers serialise it (§5.8.1.2) is recognised as text first (`readSerialisedClientData`);
 * anything else, or anything that path is unsure of, goes to the general reading, which the fast path
 * equals on every input it answers (test/domain/encoding/client-data-fast-path.property.test.ts).
 */
export function parseClientData(bytes: Uint8Array): Result<ParsedClientData, "malformed_client_data"> {
  const text = utf8Text.decode(bytes);
  const serialised = readSerialisedClientData(text);
  return serialised === null ? parseClientDataText(text) : ok(serialised);
}

/** UTF-8 without `fatal`, as §5.8.1 decodes (a stray byte becomes U+FFFD, which JSON then judges); a leading BOM is dropped. */
const utf8Text = new TextDecoder();

/** The general reading: JSON.parse, then the duplicate-member scan and the members' types. */
export function parseClientDataText(text: string): Result<ParsedClientData, "malformed_client_data"> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err("malformed_client_data");
  }
  if (!isJsonObject(json) || hasDuplicateObjectKeys(text)) return err("malformed_client_data");
  const { type, challenge, origin, crossOrigin } = json;
  const knownType = CLIENT_DATA_TYPES.find((candidate) => candidate === type);
  if (knownType === undefined || typeof challenge !== "string" || typeof origin !== "string") return err("malformed_client_data");
  if (crossOrigin !== undefined && typeof crossOrigin !== "boolean") return err("malformed_client_data");
  return ok({ type: knownType, challenge, origin, crossOrigin: crossOrigin === true });
}

const SERIALISED_GET = '{"type":"webauthn.get","challenge":"';
const SERIALISED_CREATE = '{"type":"webauthn.create","challenge":"';
const SERIALISED_ORIGIN = '","origin":"';
/** What may follow the origin's text, to the end: crossOrigin absent, false or true. */
const SERIALISED_ENDINGS = [
  { text: '"}', crossOrigin: false },
  { text: '","crossOrigin":false}', crossOrigin: false },
  { text: '","crossOrigin":true}', crossOrigin: true },
] as const;

/**
 * The client data when it is exactly what §5.8.1.2's serialisation writes for keyport's members, with
 * nothing after them: type, a challenge of base64url letters, an origin of printable ASCII that needs
 * no escape, crossOrigin absent, false or true, and the closing brace. Such text is one JSON object
 * with four distinct members and no escapes, so the general reading would find these very values; for
 * anything else (other members such as topOrigin, whitespace, escapes, other characters) null, and the
 * general reading decides. Saves JSON.parse and the duplicate-member scan on every sign-in.
 */
export function readSerialisedClientData(text: string): ParsedClientData | null {
  const type = text.startsWith(SERIALISED_GET) ? "webauthn.get" : text.startsWith(SERIALISED_CREATE) ? "webauthn.create" : null;
  if (type === null) return null;
  const challengeStart = type === "webauthn.get" ? SERIALISED_GET.length : SERIALISED_CREATE.length;
  let i = challengeStart;
  while (i < text.length && isBase64UrlLetter(text.charCodeAt(i))) i++;
  const challengeEnd = i;
  if (!text.startsWith(SERIALISED_ORIGIN, challengeEnd)) return null;
  const originStart = challengeEnd + SERIALISED_ORIGIN.length;
  i = originStart;
  while (i < text.length && isPlainJsonStringCharacter(text.charCodeAt(i))) i++;
  const originEnd = i;
  const ending = SERIALISED_ENDINGS.find((candidate) => text.length === originEnd + candidate.text.length && text.startsWith(candidate.text, originEnd));
  if (ending === undefined) return null;
  return { type, challenge: text.slice(challengeStart, challengeEnd), origin: text.slice(originStart, originEnd), crossOrigin: ending.crossOrigin };
}

/** A-Z, a-z, 0-9, `-` and `_`. */
function isBase64UrlLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x5f;
}

/** Printable ASCII that stands for itself inside a JSON string: not `"`, not `\`. */
function isPlainJsonStringCharacter(code: number): boolean {
  return code >= 0x20 && code <= 0x7e && code !== 0x22 && code !== 0x5c;
}

/** §6.5.1: aaguid (16) | credentialIdLength (2) | credentialId | credentialPublicKey, from `start`. */
function readAttestedCredentialData(bytes: Uint8Array, start: number): { credential: AttestedCredential; end: number } | null {
  if (bytes.length < start + ATTESTED_HEADER_LENGTH) return null;
  const idLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(start + AAGUID_LENGTH);
  const idStart = start + ATTESTED_HEADER_LENGTH;
  const keyStart = idStart + idLength;
  if (bytes.length < keyStart) return null;
  const read = readCoseKey(bytes.subarray(keyStart));
  if (read === null) return null;
  const end = keyStart + read.size;
  return {
    credential: {
      aaguid: bytes.slice(start, start + AAGUID_LENGTH),
      credentialId: bytes.slice(idStart, keyStart),
      publicKeyBytes: bytes.slice(keyStart, end),
      publicKey: read.key,
    },
    end,
  };
}

/**
 * §6.1: with the ED flag, the extensions are exactly one CBOR map and nothing follows it; without it,
 * nothing at all. The map's keys are extension identifiers, which are text (§9.1), each at most once.
 * The extension outputs themselves are not interpreted.
 */
export function extensionsWellFormed(rest: Uint8Array, extensionsFlag: boolean): boolean {
  if (!extensionsFlag) return rest.length === 0;
  if (rest.length === 0) return false;
  try {
    const [value, size] = decodeCBOR(rest, MAX_EXTENSIONS_DEPTH);
    if (!(value instanceof CBORMap) || size !== rest.length) return false;
    // Compared as decoded text: CBORMap.hasDuplicateKeys compares text keys by reference and finds none.
    const identifiers = value.entries.map(([key]) => (key instanceof CBORTextString ? key.decodeText() : null));
    return identifiers.every((identifier) => identifier !== null) && new Set(identifiers).size === identifiers.length;
  } catch {
    // decodeText throws on text that is not UTF-8, decodeCBOR on bytes that are not CBOR.
    return false;
  }
}

/**
 * WebAuthn §6.1: rpIdHash | flags | signCount | [attestedCredentialData] | [extensions]. The reserved
 * flag bits (RFU1 0x02, RFU2 0x20) are ignored, as §6.1 reserves them for future use.
 */
export function parseAuthData(bytes: Uint8Array): Result<ParsedAuthenticatorData, "malformed_authenticator_data"> {
  if (bytes.length < HEADER_LENGTH) return err("malformed_authenticator_data");
  const flags = byteAt(bytes, 32);
  let attestedCredential: AttestedCredential | null = null;
  let end = HEADER_LENGTH;
  if ((flags & FLAG_AT) !== 0) {
    const read = readAttestedCredentialData(bytes, HEADER_LENGTH);
    if (read === null) return err("malformed_authenticator_data");
    attestedCredential = read.credential;
    end = read.end;
  }
  if (!extensionsWellFormed(bytes.subarray(end), (flags & FLAG_ED) !== 0)) return err("malformed_authenticator_data");
  return ok(authenticatorData(bytes, flags, attestedCredential));
}

/** The parsed header, with the attested credential data read after it (if any). */
function authenticatorData<A extends AttestedCredential | null>(bytes: Uint8Array, flags: number, attestedCredential: A): ParsedAuthenticatorData & { readonly attestedCredential: A } {
  return {
    bytes,
    rpIdHash: bytes.slice(0, 32),
    userPresent: (flags & FLAG_UP) !== 0,
    userVerified: (flags & FLAG_UV) !== 0,
    backupEligible: (flags & FLAG_BE) !== 0,
    backupState: (flags & FLAG_BS) !== 0,
    // Unsigned: a signCount of 2^31 or more must stay above the ones before it, or the counter rule fails.
    counter: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(33),
    attestedCredential,
  };
}

/**
 * §6.1: an assertion's authenticator data never carries attested credential data (AT is a registration's).
 * Refused with AT set before anything is read, as parseAuthData would either refuse it or read a credential.
 */
export function parseAssertionAuthData(bytes: Uint8Array): Result<AssertionAuthenticatorData, "malformed_authenticator_data"> {
  if (bytes.length < HEADER_LENGTH) return err("malformed_authenticator_data");
  const flags = byteAt(bytes, 32);
  if ((flags & FLAG_AT) !== 0) return err("malformed_authenticator_data");
  if (!extensionsWellFormed(bytes.subarray(HEADER_LENGTH), (flags & FLAG_ED) !== 0)) return err("malformed_authenticator_data");
  return ok(authenticatorData(bytes, flags, null));
}

/** §7.1 step 12: `fmt`, `attStmt` and `authData`, whose attested credential data must be present (§6.5.1). */
export function parseAttestationObject(
  bytes: Uint8Array,
): Result<ParsedAttestationObject, "malformed_attestation_object" | "malformed_authenticator_data" | "attested_credential_data_missing"> {
  let decoded: unknown;
  try {
    decoded = decodeCBORToNativeValueNoLeftoverBytes(bytes, 8);
  } catch {
    return err("malformed_attestation_object");
  }
  if (!isJsonObject(decoded) || decoded instanceof Uint8Array) return err("malformed_attestation_object");
  const { fmt, attStmt, authData } = decoded;
  if (!isAttestationFormatId(fmt)) return err("malformed_attestation_object");
  if (!isJsonObject(attStmt) || attStmt instanceof Uint8Array) return err("malformed_attestation_object");
  if (!(authData instanceof Uint8Array)) return err("malformed_attestation_object");
  const authenticatorData = parseAuthData(authData);
  if (!authenticatorData.ok) return authenticatorData;
  const attestedCredential = authenticatorData.value.attestedCredential;
  if (attestedCredential === null) return err("attested_credential_data_missing");
  return ok({ format: fmt, statement: attStmt, authenticatorData: { ...authenticatorData.value, attestedCredential } });
}

/** §8.1: 1–32 printable US-ASCII characters, no backslash, no double quote. */
export function isAttestationFormatId(value: unknown): value is AttestationFormatId {
  return typeof value === "string" && /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,32}$/.test(value);
}

function binaryField(record: Json, name: string): Uint8Array | null {
  const value = record[name];
  return typeof value === "string" ? fromBase64Url(value) : null;
}

function parseEnvelope(json: unknown): Result<{ envelope: ParsedCredentialEnvelope; response: Json }, EnvelopeParseError> {
  if (!isJsonObject(json)) return err("malformed_response");
  const { id, rawId: rawIdText, type, response } = json;
  if (typeof id !== "string" || typeof rawIdText !== "string" || typeof type !== "string") return err("malformed_response");
  const rawId = fromBase64Url(rawIdText);
  if (rawId === null || rawId.length === 0) return err("malformed_response");
  if (!isJsonObject(response)) return err("malformed_response");
  const clientDataJSON = binaryField(response, "clientDataJSON");
  if (clientDataJSON === null) return err("malformed_response");
  const clientData = parseClientData(clientDataJSON);
  if (!clientData.ok) return clientData;
  return ok({ envelope: { id, rawId, rawIdText, type, clientDataJSON, clientData: clientData.value }, response });
}

/** The transports WebAuthn defines, in a list: unknown values are dropped, as clients drop them (§5.8.4). */
export function parseTransports(value: unknown): AuthenticatorTransport[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isAuthenticatorTransport).slice(0, MAX_TRANSPORTS);
}

function isAuthenticatorTransport(value: unknown): value is AuthenticatorTransport {
  return AUTHENTICATOR_TRANSPORTS.some((transport) => transport === value);
}

/** Parses a `RegistrationResponseJSON`. */
export function parseRegistrationResponse(json: unknown): Result<ParsedRegistrationResponse, RegistrationParseError> {
  const envelope = parseEnvelope(json);
  if (!envelope.ok) return envelope;
  const { response } = envelope.value;
  const attestationBytes = binaryField(response, "attestationObject");
  if (attestationBytes === null) return err("malformed_response");
  const attestation = parseAttestationObject(attestationBytes);
  if (!attestation.ok) return attestation;
  return ok({ ...envelope.value.envelope, attestation: attestation.value, transports: parseTransports(response.transports) });
}

/** Parses an `AuthenticationResponseJSON`. */
export function parseAuthenticationResponse(json: unknown): Result<ParsedAuthenticationResponse, AuthenticationParseError> {
  const parsed = parseEnvelope(json);
  if (!parsed.ok) return parsed;
  const { envelope, response } = parsed.value;
  const authenticatorDataBytes = binaryField(response, "authenticatorData");
  const signature = binaryField(response, "signature");
  if (authenticatorDataBytes === null || signature === null || signature.length === 0) return err("malformed_response");
  const handle = response.userHandle;
  const absent = handle === undefined || handle === null || handle === "";
  // Text the strict decoder accepts is canonical: it is its own re-encoding, so it is kept as it came.
  if (!absent && (typeof handle !== "string" || fromBase64Url(handle) === null)) return err("malformed_response");
  const userHandle = absent ? null : handle;
  const authenticatorData = parseAssertionAuthData(authenticatorDataBytes);
  if (!authenticatorData.ok) return authenticatorData;
  const { id, rawId, rawIdText, type, clientDataJSON, clientData } = envelope;
  return ok({ id, rawId, rawIdText, type, clientDataJSON, clientData, authenticatorData: authenticatorData.value, signature, userHandle });
}
