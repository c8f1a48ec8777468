/**
 * A software passkey authenticator (and the browser's part of the ceremony) built on WebCrypto alone,
 * for the runtime-conformance scenario: ES256 keys from `crypto.subtle`, the authenticator data, the
 * COSE key and the CBOR attestation object (format "none") written byte by byte, signatures turned
 * from WebCrypto's r‖s into the DER WebAuthn wants. No `Buffer`, no `node:*`, no `btoa`: the same
 * code runs on Node, Deno, Bun and workerd. (test/support/software-authenticator.ts is the full,
 * tamperable one, but it is built on node:crypto.)
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "../../src/entry/index.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

export function toBase64Url(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    const n = (b0 << 16) | (b1 << 8) | b2;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    if (i + 1 < bytes.length) out += ALPHABET[(n >> 6) & 63]!;
    if (i + 2 < bytes.length) out += ALPHABET[n & 63]!;
  }
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const utf8 = (text: string): Uint8Array<ArrayBuffer> => new Uint8Array(new TextEncoder().encode(text));
const sha256 = async (bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));

// --- CBOR, just the parts an attestation object and a COSE key need ---
function cborHead(major: number, n: number): Uint8Array {
  const m = major << 5;
  if (n < 24) return Uint8Array.of(m | n);
  if (n < 0x100) return Uint8Array.of(m | 24, n);
  if (n < 0x10000) return Uint8Array.of(m | 25, n >> 8, n & 0xff);
  return Uint8Array.of(m | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}
const cborInt = (n: number): Uint8Array => (n >= 0 ? cborHead(0, n) : cborHead(1, -1 - n));
const cborBytes = (b: Uint8Array): Uint8Array => concat(cborHead(2, b.length), b);
const cborText = (s: string): Uint8Array => {
  const b = utf8(s);
  return concat(cborHead(3, b.length), b);
};
const cborMap = (entries: [Uint8Array, Uint8Array][]): Uint8Array => concat(cborHead(5, entries.length), ...entries.flat());

/** WebCrypto's ECDSA signature (r‖s, 32 bytes each) as the DER SEQUENCE of two INTEGERs. */
function rawToDer(raw: Uint8Array): Uint8Array {
  const integer = (x: Uint8Array): Uint8Array => {
    let start = 0;
    while (start < x.length - 1 && x[start] === 0 && (x[start + 1]! & 0x80) === 0) start++;
    const body = x.subarray(start);
    const padded = (body[0]! & 0x80) !== 0 ? concat(Uint8Array.of(0), body) : body;
    return concat(Uint8Array.of(0x02, padded.length), padded);
  };
  const seq = concat(integer(raw.subarray(0, 32)), integer(raw.subarray(32)));
  return concat(Uint8Array.of(0x30, seq.length), seq);
}

const FLAGS_UP_UV_BE_BS = 0x01 | 0x04 | 0x08 | 0x10;
const FLAG_AT = 0x40;

function counterBytes(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}

interface Passkey {
  readonly id: string;
  readonly rpId: string;
  readonly userHandle: string;
  readonly privateKey: CryptoKey;
  counter: number;
}

export interface AssertionOptions {
  readonly origin: string;
  /** Sign with a key that is not the credential's: a forged assertion. */
  readonly forge?: boolean;
  /** Present this credential ID instead of the passkey's own. */
  readonly credentialId?: string;
}

export class WebCryptoAuthenticator {
  readonly #passkeys: Passkey[] = [];

  /** navigator.credentials.create(): a new ES256 passkey, attestation "none". */
  async create(options: PublicKeyCredentialCreationOptionsJSON, origin: string): Promise<RegistrationResponseJSON> {
    const keyPair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const raw = new Uint8Array(await crypto.subtle.exportKey("raw", keyPair.publicKey));
    const spki = new Uint8Array(await crypto.subtle.exportKey("spki", keyPair.publicKey));
    const coseKey = cborMap([
      [cborInt(1), cborInt(2)], // kty: EC2
      [cborInt(3), cborInt(-7)], // alg: ES256
      [cborInt(-1), cborInt(1)], // crv: P-256
      [cborInt(-2), cborBytes(raw.subarray(1, 33))],
      [cborInt(-3), cborBytes(raw.subarray(33, 65))],
    ]);
    const credentialId = crypto.getRandomValues(new Uint8Array(16));
    const authData = concat(
      await sha256(utf8(options.rp.id ?? "")),
      Uint8Array.of(FLAGS_UP_UV_BE_BS | FLAG_AT),
      counterBytes(0),
      new Uint8Array(16), // AAGUID: none
      Uint8Array.of(credentialId.length >> 8, credentialId.length & 0xff),
      credentialId,
      coseKey,
    );
    const attestationObject = cborMap([
      [cborText("fmt"), cborText("none")],
      [cborText("attStmt"), cborMap([])],
      [cborText("authData"), cborBytes(authData)],
    ]);
    const clientDataJSON = utf8(JSON.stringify({ type: "webauthn.create", challenge: options.challenge, origin, crossOrigin: false }));
    const id = toBase64Url(credentialId);
    this.#passkeys.push({ id, rpId: options.rp.id ?? "", userHandle: options.user.id, privateKey: keyPair.privateKey, counter: 0 });
    return {
      id,
      rawId: id,
      type: "public-key",
      response: {
        clientDataJSON: toBase64Url(clientDataJSON),
        attestationObject: toBase64Url(attestationObject),
        authenticatorData: toBase64Url(authData),
        transports: ["internal"],
        publicKeyAlgorithm: -7,
        publicKey: toBase64Url(spki),
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: { credProps: { rk: true } },
    };
  }

  /** navigator.credentials.get(): the newest passkey allowed (or, discoverable, the newest for the RP). */
  async get(options: PublicKeyCredentialRequestOptionsJSON, args: AssertionOptions): Promise<AuthenticationResponseJSON> {
    const allowed = new Set(options.allowCredentials.map((c) => c.id));
    const passkey = [...this.#passkeys].reverse().find((p) => p.rpId === options.rpId && (allowed.size === 0 || allowed.has(p.id)));
    if (passkey === undefined) throw new Error(`no passkey for ${options.rpId ?? "?"}`);
    passkey.counter += 1;
    const authData = concat(await sha256(utf8(passkey.rpId)), Uint8Array.of(FLAGS_UP_UV_BE_BS), counterBytes(passkey.counter));
    const clientDataJSON = utf8(JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin: args.origin, crossOrigin: false }));
    const signingKey =
      args.forge === true
        ? ((await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])) as CryptoKeyPair).privateKey
        : passkey.privateKey;
    const signed = concat(authData, await sha256(clientDataJSON));
    const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, signingKey, signed));
    const id = args.credentialId ?? passkey.id;
    return {
      id,
      rawId: id,
      type: "public-key",
      response: {
        clientDataJSON: toBase64Url(clientDataJSON),
        authenticatorData: toBase64Url(authData),
        signature: toBase64Url(rawToDer(raw)),
        userHandle: passkey.userHandle,
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }
}
