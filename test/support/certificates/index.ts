/**
 * Test certificates made by the `openssl` CLI (`openssl req` + `openssl ca`), for the X.509 port's
 * contract suite and for attestation vectors: a root, intermediates and leaves with the subject, key
 * type, validity, basicConstraints and extensions a test asks for, so that every negative case is one
 * option away (expired, not yet valid, issuer not a CA, unknown root, a broken signature, a v1
 * certificate, a critical extension).
 *
 *   const root = makeCertificate({ subject: "/CN=Test Root", ca: true });
 *   const leaf = makeCertificate({ subject: "/O=Acme/OU=Authenticator Attestation/CN=Leaf", issuer: root, ca: false,
 *     extensions: [aaguidExtension(aaguid)] });
 *   leaf.der; leaf.privateKey;  // DER for x5c, the key to sign an attestation statement with
 *
 * Each call runs openssl twice (~20 ms) in a directory of its own, removed after; identical options give
 * the identical certificate for the rest of the process (a cache keyed by the options), and `testPki()`
 * is one shared root → intermediate → leaf for tests that need any valid chain. Dates are fixed (not
 * today's), so tests check validity against `AT`, never the clock.
 */
import { execFileSync } from "node:child_process";
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The key types a test certificate can hold. */
export type TestKeyType = "P-256" | "P-384" | "P-521" | "RSA-2048" | "Ed25519";

/** Validity of every certificate that does not say otherwise: 2020-01-01 to 2050-01-01 (UTC). */
export const DEFAULT_NOT_BEFORE = new Date("2020-01-01T00:00:00Z");
export const DEFAULT_NOT_AFTER = new Date("2050-01-01T00:00:00Z");
/** A moment inside the default validity, to validate paths at: 2025-06-01 (UTC), in ms. */
export const AT = Date.UTC(2025, 5, 1);

export interface CertificateOptions {
  /**
   * The subject in `openssl -subj` form, UTF-8: `"/C=SE/O=Keyport Test/OU=Authenticator Attestation/CN=Leaf"`.
   * `""` is an empty subject (a TPM AIK certificate's; give it a subjectAltName in `extensions`).
   */
  readonly subject: string;
  /** The certificate that signs this one; absent, the certificate signs itself (a root). */
  readonly issuer?: TestCertificate;
  /** The subject's key: a type to generate a fresh one of (default `"P-256"`), or a private key to certify. */
  readonly key?: TestKeyType | KeyObject;
  /** Validity (UTC, whole seconds). Before 2050 written as UTCTime, from 2050 as GeneralizedTime (RFC 5280 §4.1.2.5). */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /**
   * basicConstraints: `true` writes `critical, CA:TRUE` with keyUsage `critical, keyCertSign, cRLSign`
   * and key identifiers; `false` writes `CA:FALSE` (not critical); `null` or absent, none at all.
   */
  readonly ca?: boolean | null;
  /**
   * More extensions, as lines of an openssl x509v3 config section (`man x509v3_config`), after those
   * `ca` writes; see `aaguidExtension` and `rawExtension`. openssl adds subject and authority key
   * identifiers to every v3 certificate by itself. Lines after a `[section]` line start a section the
   * extensions can refer to, e.g. a TPM AIK certificate's directory-name subjectAltName (the leading
   * `1.` lets openssl take an OID as a field name):
   *
   *   extensions: ["subjectAltName = critical, dirName:tpm", "extendedKeyUsage = 2.23.133.8.3",
   *     "[tpm]", "1.2.23.133.2.1 = id:FFFFF1D0", "1.2.23.133.2.2 = NPCT6xx", "1.2.23.133.2.3 = id:13"]
   */
  readonly extensions?: readonly string[];
  /** 1 makes an X.509 v1 certificate: no extensions at all (`ca` and `extensions` must be absent). Default 3. */
  readonly version?: 1 | 3;
  /** The issuer's signature digest; ignored for an Ed25519 issuer. Default sha256. */
  readonly digest?: "sha1" | "sha256" | "sha384" | "sha512";
}

/** A certificate made by `makeCertificate`: its encodings and its subject's key pair. */
export interface TestCertificate {
  readonly der: Uint8Array;
  readonly pem: string;
  /** The subject's private key: signs attestation statements (or, for a CA, the certificates it issues). */
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly options: CertificateOptions;
}

/** A fresh key pair's private key of the given type (node:crypto; faster than openssl genpkey for RSA). */
export function generateTestKey(type: TestKeyType): KeyObject {
  switch (type) {
    case "P-256":
      return generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
    case "P-384":
      return generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey;
    case "P-521":
      return generateKeyPairSync("ec", { namedCurve: "secp521r1" }).privateKey;
    case "RSA-2048":
      return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    case "Ed25519":
      return generateKeyPairSync("ed25519").privateKey;
  }
}

const cache = new Map<string, TestCertificate>();

/** Makes (or finds in this process's cache) the certificate `options` describe. Throws with openssl's stderr when openssl refuses. */
export function makeCertificate(options: CertificateOptions): TestCertificate {
  const key = cacheKey(options);
  const cached = key === null ? undefined : cache.get(key);
  if (cached !== undefined) return cached;
  const made = issue(options);
  if (key !== null) cache.set(key, made);
  return made;
}

/** The same certificate with one bit of its signature flipped: it parses, and no key verifies it. */
export function withBrokenSignature(der: Uint8Array): Uint8Array {
  const broken = Uint8Array.from(der);
  // The signature BIT STRING is the certificate's last element, so its last byte is signature.
  broken[broken.length - 1]! ^= 0x01;
  return broken;
}

/** The FIDO AAGUID extension (id-fido-gen-ce-aaguid, 1.3.6.1.4.1.45724.1.1.4): an OCTET STRING of the 16 bytes; never critical (WebAuthn §8.2.1). */
export function aaguidExtension(aaguid: Uint8Array, critical = false): string {
  return `1.3.6.1.4.1.45724.1.1.4 = ${critical ? "critical, " : ""}DER:${derHex(0x04, aaguid)}`;
}

/** An extension of any OID whose extnValue holds `der` (the whole DER value, tag and length included). */
export function rawExtension(oid: string, der: Uint8Array, critical = false): string {
  return `${oid} = ${critical ? "critical, " : ""}DER:${hex(der)}`;
}

export interface TestPki {
  readonly root: TestCertificate;
  readonly intermediate: TestCertificate;
  /** A packed-style attestation leaf: `CA:FALSE`, issued by `intermediate`. */
  readonly leaf: TestCertificate;
}

/** One shared valid chain, root → intermediate → leaf, all P-256, valid 2020–2050 (validate at `AT`). */
export function testPki(): TestPki {
  const root = makeCertificate({ subject: "/C=SE/O=Keyport Test/CN=Keyport Test Root", ca: true });
  const intermediate = makeCertificate({ subject: "/C=SE/O=Keyport Test/CN=Keyport Test Intermediate", issuer: root, ca: true });
  const leaf = makeCertificate({
    subject: "/C=SE/O=Keyport Test/OU=Authenticator Attestation/CN=Keyport Test Leaf",
    issuer: intermediate,
    ca: false,
  });
  return { root, intermediate, leaf };
}

function cacheKey(options: CertificateOptions): string | null {
  // A given private key is the caller's; a certificate over it is made each time (cheap enough, and never stale).
  if (typeof options.key === "object") return null;
  return JSON.stringify({
    ...options,
    issuer: options.issuer === undefined ? null : createHash("sha256").update(options.issuer.der).digest("hex"),
    notBefore: options.notBefore?.getTime() ?? null,
    notAfter: options.notAfter?.getTime() ?? null,
  });
}

function issue(options: CertificateOptions): TestCertificate {
  const version = options.version ?? 3;
  if (version === 1 && ((options.ca ?? null) !== null || (options.extensions?.length ?? 0) > 0)) {
    throw new Error("makeCertificate: a v1 certificate has no extensions (ca and extensions must be absent)");
  }
  const privateKey = typeof options.key === "object" ? options.key : generateTestKey(options.key ?? "P-256");
  const issuerKey = options.issuer?.privateKey ?? privateKey;
  const dir = mkdtempSync(join(tmpdir(), "keyport-cert-"));
  try {
    const file = (name: string): string => join(dir, name);
    writeFileSync(file("subject.key"), privateKey.export({ type: "pkcs8", format: "pem" }));
    writeFileSync(file("issuer.key"), issuerKey.export({ type: "pkcs8", format: "pem" }));
    if (options.issuer !== undefined) writeFileSync(file("issuer.pem"), options.issuer.pem);
    writeFileSync(file("index.txt"), "");
    // A random positive serial of 16 bytes, first byte 0x10–0x4f (RFC 5280 §4.1.2.2: positive, at most 20 octets).
    writeFileSync(file("serial"), `${(0x10 + (randomBytes(1)[0]! & 0x3f)).toString(16)}${randomBytes(15).toString("hex")}\n`);
    writeFileSync(file("openssl.cnf"), opensslConfig(options, version));
    const openssl = (args: readonly string[]): void => {
      try {
        execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      } catch (error) {
        const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
        throw new Error(`makeCertificate: openssl ${args[0] ?? ""} failed for ${JSON.stringify(options.subject)}: ${stderr}`);
      }
    };
    openssl(["req", "-new", "-config", "openssl.cnf", "-key", "subject.key", "-subj", options.subject === "" ? "/" : options.subject, "-utf8", "-out", "subject.csr"]);
    openssl([
      "ca",
      "-batch",
      "-config",
      "openssl.cnf",
      ...(options.issuer === undefined ? ["-selfsign"] : ["-cert", "issuer.pem"]),
      "-keyfile",
      "issuer.key",
      "-in",
      "subject.csr",
      "-out",
      "subject.pem",
      "-startdate",
      asn1Time(options.notBefore ?? DEFAULT_NOT_BEFORE),
      "-enddate",
      asn1Time(options.notAfter ?? DEFAULT_NOT_AFTER),
      "-md",
      issuerKey.asymmetricKeyType === "ed25519" ? "default" : (options.digest ?? "sha256"),
      "-notext",
      "-preserveDN",
      "-utf8",
      ...(version === 3 ? ["-extensions", "certificate_extensions"] : []),
    ]);
    const pem = readFileSync(file("subject.pem"), "utf8");
    return { der: pemToDer(pem), pem, privateKey, publicKey: createPublicKey(privateKey), options };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `openssl ca`'s configuration: no database worth keeping, any DN, and the extensions the options ask for. */
function opensslConfig(options: CertificateOptions, version: 1 | 3): string {
  const extensions: string[] = [];
  if (options.ca === true) {
    extensions.push("basicConstraints = critical, CA:TRUE", "keyUsage = critical, keyCertSign, cRLSign", "subjectKeyIdentifier = hash");
    if (options.issuer !== undefined) extensions.push("authorityKeyIdentifier = keyid:always");
  } else if (options.ca === false) {
    extensions.push("basicConstraints = CA:FALSE");
  }
  extensions.push(...(options.extensions ?? []));
  return [
    "[ca]",
    "default_ca = test_ca",
    "[test_ca]",
    "database = ./index.txt",
    "new_certs_dir = .",
    "serial = ./serial",
    "policy = any_name",
    "unique_subject = no",
    "copy_extensions = none",
    "email_in_dn = no",
    "[any_name]",
    "[req]",
    "distinguished_name = dn",
    "string_mask = utf8only",
    "[dn]",
    ...(version === 3 ? ["[certificate_extensions]", ...extensions] : []),
    "",
  ].join("\n");
}

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5), as `openssl ca -startdate` takes them. */
function asn1Time(date: Date): string {
  if (date.getUTCMilliseconds() !== 0) throw new Error("makeCertificate: validity is in whole seconds");
  const digits = date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${date.getUTCFullYear() < 2050 ? digits.slice(2) : digits}Z`;
}

/** The DER of the first certificate in a PEM text. */
export function pemToDer(pem: string): Uint8Array {
  const match = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (match === null) throw new Error("no certificate in this PEM text");
  return new Uint8Array(Buffer.from(match[1]!.replace(/\s+/g, ""), "base64"));
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join(":");
}

/** A short-form DER TLV as openssl's `DER:` hex (content below 128 bytes). */
function derHex(tag: number, content: Uint8Array): string {
  if (content.length >= 0x80) throw new Error("derHex: short form only");
  return hex(Uint8Array.of(tag, content.length, ...content));
}
