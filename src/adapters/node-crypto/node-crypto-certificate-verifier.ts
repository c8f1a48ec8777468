/**
 * X.509 on Node (ADR 0026): node:crypto's X509Certificate (OpenSSL) parses, verifies signatures
 * (statements' and certificates') and exports public keys; @oslojs/asn1 reads the DER fields node:crypto does not expose
 * (version, names as OIDs, validity as numbers, extensions). A certificate is only one when both
 * readers accept the same bytes, so the facts the attestation verifiers judge are those of the bytes
 * OpenSSL verifies.
 */
import { constants, verify, X509Certificate, type KeyObject } from "node:crypto";
import { ASN1Class, ASN1Form, encodeASN1, parseASN1NoLeftoverBytes, type ASN1Value } from "@oslojs/asn1";
import type { Certificate, CertificateExtension, CertificateVerifier, NameAttribute, PathFailure } from "../../ports/certificate-verifier.js";

/** Longest chain `validatePath` follows (leaf and intermediates, the anchor not counted). */
export const MAX_CHAIN_LENGTH = 5;

/** Smallest RSA modulus, in bits, whose signatures are believed (statements and certificate links alike). */
const MIN_RSA_BITS = 2048;

const OID_BASIC_CONSTRAINTS = "2.5.29.19";
const OID_KEY_USAGE = "2.5.29.15";

/**
 * Extensions whose meaning path validation knows, so that they may be critical (RFC 5280 §4.2: a
 * critical extension the validator does not recognise makes the certificate unusable). basicConstraints
 * and keyUsage are enforced; subjectAltName is the subject of a certificate with an empty subject (TPM
 * AIK certificates) and the attestation verifiers read it; the key identifiers and extendedKeyUsage
 * (judged by the attestation verifiers) constrain nothing here; certificatePolicies: any policy is
 * accepted, as with RFC 5280's initial any-policy set.
 */
const UNDERSTOOD_CRITICAL = new Set([OID_BASIC_CONSTRAINTS, OID_KEY_USAGE, "2.5.29.17", "2.5.29.14", "2.5.29.35", "2.5.29.37", "2.5.29.32"]);

/** COSE algorithm → how node:crypto verifies it and which key it needs. */
interface AlgorithmRule {
  readonly digest: string | null;
  readonly key: "ec" | "rsa" | "ed25519";
  readonly curve?: string;
  readonly pss?: boolean;
}

const ALGORITHMS = new Map<number, AlgorithmRule>([
  [-7, { digest: "sha256", key: "ec", curve: "P-256" }], // ES256
  [-35, { digest: "sha384", key: "ec", curve: "P-384" }], // ES384
  [-36, { digest: "sha512", key: "ec", curve: "P-521" }], // ES512
  [-257, { digest: "sha256", key: "rsa" }], // RS256
  [-258, { digest: "sha384", key: "rsa" }], // RS384
  [-259, { digest: "sha512", key: "rsa" }], // RS512
  [-65535, { digest: "sha1", key: "rsa" }], // RS1 (TPM attestation statements)
  [-37, { digest: "sha256", key: "rsa", pss: true }], // PS256
  [-38, { digest: "sha384", key: "rsa", pss: true }], // PS384
  [-39, { digest: "sha512", key: "rsa", pss: true }], // PS512
  [-8, { digest: null, key: "ed25519" }], // EdDSA (Ed25519)
]);

const NAMED_CURVES: Readonly<Record<string, string>> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };

/** What the adapter keeps beside each certificate it parsed: OpenSSL's reading and the fields the port does not carry. */
interface Reading {
  readonly x509: X509Certificate;
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  /** basicConstraints' pathLenConstraint (above 255 read as 255); null when absent. */
  readonly pathLength: number | null;
  /** keyUsage's keyCertSign bit; null when the extension is absent. */
  readonly keyCertSign: boolean | null;
}

/**
 * `CertificateVerifier` over node:crypto. Certificates this instance parsed keep OpenSSL's reading
 * (a WeakMap), so verifying and validating do not parse again; one from elsewhere is read from its `der`.
 *
 * Beyond the port's contract: ES256/ES384/ES512 need a P-256/P-384/P-521 key respectively (RFC 9053
 * §2.1's pairing), RSA keys need at least 2048 bits, DER ECDSA signatures must be canonical (OpenSSL's
 * rule), and a path is refused (`chain_malformed`) when a certificate in it has a critical extension
 * outside UNDERSTOOD_CRITICAL, an issuer's keyUsage lacks keyCertSign or its pathLenConstraint is
 * exceeded (`issuer_not_ca`). Key identifiers are not compared (see checkLink).
 */
export class NodeCryptoCertificateVerifier implements CertificateVerifier {
  readonly #readings = new WeakMap<Certificate, Reading>();

  parse(der: Uint8Array): Certificate | null {
    try {
      const read = readCertificate(der);
      if (read === null) return null;
      this.#readings.set(read.certificate, read.reading);
      return read.certificate;
    } catch {
      return null;
    }
  }

  async verifySignature(certificate: Certificate, alg: number, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
    const rule = ALGORITHMS.get(alg);
    const reading = this.#reading(certificate);
    if (rule === undefined || reading === null) return false;
    try {
      const key = reading.x509.publicKey;
      if (!keyFits(key, rule)) return false;
      if (rule.key === "ec") return verify(rule.digest, data, { key, dsaEncoding: "der" }, signature);
      if (rule.pss === true) {
        return verify(rule.digest, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
      }
      return verify(rule.digest, data, key, signature);
    } catch {
      return false;
    }
  }

  async validatePath(chain: readonly Certificate[], anchors: readonly Certificate[], at: number): Promise<"trusted" | PathFailure> {
    if (chain.length === 0 || chain.length > MAX_CHAIN_LENGTH || !Number.isFinite(at)) return "chain_malformed";
    const readings: Reading[] = [];
    for (const certificate of chain) {
      const reading = this.#reading(certificate);
      if (reading === null || !understandsCriticalExtensions(certificate)) return "chain_malformed";
      readings.push(reading);
    }
    for (let index = 0; index < chain.length; index++) {
      const validity = validAt(chain[index]!, at);
      if (validity !== null) return validity;
      const issuer = index + 1 < chain.length ? index + 1 : null;
      if (issuer === null) break;
      const link = checkLink(chain[index]!, readings[index]!, chain[issuer]!, readings[issuer]!, intermediatesBelow(chain, readings, issuer));
      if (link !== null) return link;
    }
    const top = chain[chain.length - 1]!;
    const topReading = readings[readings.length - 1]!;
    if (anchors.some((anchor) => sameBytes(anchor.der, top.der))) return "trusted";
    let failure: PathFailure | null = null;
    for (const anchor of anchors) {
      const anchorReading = this.#reading(anchor);
      if (anchorReading === null || !namesMatch(top.issuer, topReading.issuerDer, anchor.subject, anchorReading.subjectDer)) continue;
      const verdict = validAt(anchor, at) ?? checkLink(top, topReading, anchor, anchorReading, intermediatesBelow(chain, readings, chain.length));
      if (verdict === null) return "trusted";
      failure ??= verdict;
    }
    return failure ?? "no_trust_anchor";
  }

  #reading(certificate: Certificate): Reading | null {
    const known = this.#readings.get(certificate);
    if (known !== undefined) return known;
    try {
      const read = readCertificate(certificate.der);
      if (read === null) return null;
      this.#readings.set(certificate, read.reading);
      return read.reading;
    } catch {
      return null;
    }
  }
}

/** The intermediates between the leaf and the issuer at `issuerIndex` (RFC 5280 §4.2.1.9: what pathLenConstraint counts; self-issued ones aside). */
function intermediatesBelow(chain: readonly Certificate[], readings: readonly Reading[], issuerIndex: number): number {
  let count = 0;
  for (let index = 1; index < issuerIndex; index++) {
    const certificate = chain[index]!;
    const reading = readings[index]!;
    if (!namesMatch(certificate.subject, reading.subjectDer, certificate.issuer, reading.issuerDer)) count++;
  }
  return count;
}

function validAt(certificate: Certificate, at: number): PathFailure | null {
  if (at < certificate.notBefore) return "certificate_not_yet_valid";
  if (at > certificate.notAfter) return "certificate_expired";
  return null;
}

/**
 * `subject` issued by `issuer` (RFC 5280 §6.1.3, §6.1.4): the names agree, the issuer may issue, and its
 * key signed `subject`. The key identifiers (authority/subject key identifier) are not compared: they
 * help to build a path, not to validate one, and a vendor's malformed one (the FIDO conformance TPM CA's
 * subjectKeyIdentifier) must not undo a signature that verifies.
 */
function checkLink(subject: Certificate, subjectReading: Reading, issuer: Certificate, issuerReading: Reading, intermediates: number): PathFailure | null {
  if (!namesMatch(subject.issuer, subjectReading.issuerDer, issuer.subject, issuerReading.subjectDer)) return "chain_malformed";
  if (issuer.basicConstraintsCA !== true || issuerReading.keyCertSign === false) return "issuer_not_ca";
  if (issuerReading.pathLength !== null && intermediates > issuerReading.pathLength) return "issuer_not_ca";
  return signedBy(subjectReading.x509, issuerReading.x509.publicKey) ? null : "chain_signature_invalid";
}

/**
 * Two names are the same name when their DER is, or when their attributes are, in order, of the same
 * types with values equal after RFC 4518's essentials (Unicode NFKC, case folded, insignificant space
 * removed), so that a PrintableString and a UTF8String of the same text match, as OpenSSL's canonical
 * comparison has them match.
 */
function namesMatch(a: readonly NameAttribute[], aDer: Uint8Array, b: readonly NameAttribute[], bDer: Uint8Array): boolean {
  if (sameBytes(aDer, bDer)) return true;
  return a.length === b.length && a.every((attribute, index) => attribute.type === b[index]!.type && prepared(attribute.value) === prepared(b[index]!.value));
}

function prepared(value: string): string {
  return value.normalize("NFKC").toLowerCase().trim().replace(/\s+/g, " ");
}

function signedBy(certificate: X509Certificate, key: KeyObject): boolean {
  try {
    if ((key.asymmetricKeyType === "rsa" || key.asymmetricKeyType === "rsa-pss") && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) return false;
    return certificate.verify(key);
  } catch {
    return false;
  }
}

function understandsCriticalExtensions(certificate: Certificate): boolean {
  return certificate.extensions.every((extension) => !extension.critical || UNDERSTOOD_CRITICAL.has(extension.oid));
}

function keyFits(key: KeyObject, rule: AlgorithmRule): boolean {
  const type = key.asymmetricKeyType;
  if (rule.key === "ec") return type === "ec" && NAMED_CURVES[key.asymmetricKeyDetails?.namedCurve ?? ""] === rule.curve;
  if (rule.key === "rsa") return (type === "rsa" || (rule.pss === true && type === "rsa-pss")) && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS;
  return type === "ed25519";
}

// ---------------------------------------------------------------------------------------------------
// Reading the DER (RFC 5280 §4.1)

interface Read {
  readonly certificate: Certificate;
  readonly reading: Reading;
}

/** The certificate and the adapter's reading of it, or null; may throw on malformed DER (the callers catch). */
function readCertificate(input: Uint8Array): Read | null {
  const der = Uint8Array.from(input);
  // DER of a SEQUENCE only: X509Certificate would also take PEM text, and ignores bytes after the certificate.
  if (der[0] !== 0x30) return null;
  const outer = parseASN1NoLeftoverBytes(der).sequence().elements;
  if (outer.length !== 3) return null;
  const [tbsValue, signatureAlgorithm, signatureValue] = outer as [ASN1Value, ASN1Value, ASN1Value];
  signatureValue.bitString();
  const tbs = tbsValue.sequence().elements;
  let index = 0;
  let version = 1;
  const first = tbs[0];
  if (first !== undefined && isContext(first, 0, ASN1Form.Constructed)) {
    const declared = parseASN1NoLeftoverBytes(first.contents()).integer().value;
    if (declared < 0n || declared > 2n) return null;
    version = Number(declared) + 1;
    index++;
  }
  const [serial, innerAlgorithm, issuer, validity, subject, publicKeyInfo] = tbs.slice(index, index + 6);
  if (serial === undefined || innerAlgorithm === undefined || issuer === undefined || validity === undefined || subject === undefined || publicKeyInfo === undefined) return null;
  serial.integer();
  publicKeyInfo.sequence();
  // RFC 5280 §4.1.1.2: the signature algorithm inside and outside the signed part are the same.
  if (!sameBytes(encodeASN1(innerAlgorithm.sequence()), encodeASN1(signatureAlgorithm.sequence()))) return null;
  const [notBefore, notAfter, ...moreTimes] = validity.sequence().elements;
  if (notBefore === undefined || notAfter === undefined || moreTimes.length > 0) return null;
  // issuerUniqueID [1], subjectUniqueID [2] (v2 and v3), extensions [3] (v3), each optional, in that order.
  let extensions: CertificateExtension[] = [];
  let lastTag = 0;
  for (const optional of tbs.slice(index + 6)) {
    if (optional.class !== ASN1Class.ContextSpecific || optional.tag <= lastTag || optional.tag > 3 || version < 2) return null;
    lastTag = optional.tag;
    if (optional.tag === 3) {
      if (version !== 3 || optional.form !== ASN1Form.Constructed) return null;
      extensions = readExtensions(optional);
    }
  }
  const basicConstraints = readBasicConstraints(extensions.find((extension) => extension.oid === OID_BASIC_CONSTRAINTS));
  if (basicConstraints === undefined) return null;
  const keyCertSign = readKeyCertSign(extensions.find((extension) => extension.oid === OID_KEY_USAGE));
  if (keyCertSign === undefined) return null;

  const x509 = new X509Certificate(der);
  // OpenSSL's reading must be of the same bytes: its re-encoding differs for non-minimal lengths.
  if (!sameBytes(x509.raw, der)) return null;
  const from = readTime(notBefore);
  const to = readTime(notAfter);
  if (from === null || to === null) return null;
  const certificate: Certificate = Object.freeze({
    der,
    version,
    subject: readName(subject),
    issuer: readName(issuer),
    notBefore: from,
    notAfter: to,
    basicConstraintsCA: basicConstraints === null ? null : basicConstraints.ca,
    extensions: Object.freeze(extensions),
    publicKey: publicKeyMembers(x509.publicKey),
  });
  return {
    certificate,
    reading: {
      x509,
      subjectDer: encodeASN1(subject),
      issuerDer: encodeASN1(issuer),
      pathLength: basicConstraints?.pathLength ?? null,
      keyCertSign,
    },
  };
}

function isContext(value: ASN1Value, tag: number, form: ASN1Form | null): boolean {
  return value.class === ASN1Class.ContextSpecific && value.tag === tag && (form === null || value.form === form);
}

/** Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension; each OID at most once (RFC 5280 §4.2). */
function readExtensions(wrapper: ASN1Value): CertificateExtension[] {
  const list = parseASN1NoLeftoverBytes(wrapper.contents()).sequence().elements;
  if (list.length === 0) throw new Error("extensions empty");
  const seen = new Set<string>();
  const extensions: CertificateExtension[] = [];
  for (const item of list) {
    const fields = item.sequence().elements;
    const oidValue = fields[0];
    if (oidValue === undefined || fields.length < 2 || fields.length > 3) throw new Error("extension malformed");
    const oid = objectIdentifier(oidValue);
    const critical = fields.length === 3 ? fields[1]!.boolean().value : false;
    const value = fields[fields.length - 1]!.octetString().value;
    if (seen.has(oid)) throw new Error("extension repeated");
    seen.add(oid);
    extensions.push(Object.freeze({ oid, critical, value }));
  }
  return extensions;
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }; null when absent, undefined when malformed. */
function readBasicConstraints(extension: CertificateExtension | undefined): { readonly ca: boolean; readonly pathLength: number | null } | null | undefined {
  if (extension === undefined) return null;
  try {
    const fields = parseASN1NoLeftoverBytes(extension.value).sequence().elements;
    let ca = false;
    let pathLength: number | null = null;
    let at = 0;
    if (fields[at] !== undefined && fields[at]!.class === ASN1Class.Universal && fields[at]!.tag === 1) ca = fields[at++]!.boolean().value;
    if (fields[at] !== undefined) {
      const length = fields[at++]!.integer().value;
      if (length < 0n) return undefined;
      pathLength = length > 255n ? 255 : Number(length);
    }
    return at === fields.length ? { ca, pathLength } : undefined;
  } catch {
    return undefined;
  }
}

/** keyUsage (a BIT STRING): whether keyCertSign (bit 5) is set; null when absent, undefined when malformed. */
function readKeyCertSign(extension: CertificateExtension | undefined): boolean | null | undefined {
  if (extension === undefined) return null;
  try {
    const bits = parseASN1NoLeftoverBytes(extension.value).bitString();
    return ((bits.bytes[0] ?? 0) & 0x04) !== 0;
  } catch {
    return undefined;
  }
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue), flattened in order. */
function readName(name: ASN1Value): readonly NameAttribute[] {
  const attributes: NameAttribute[] = [];
  for (const rdn of name.sequence().elements) {
    const set = rdn.set().elements;
    if (set.length === 0) throw new Error("empty RDN");
    for (const pair of set) {
      const [type, value, ...rest] = pair.sequence().elements;
      if (type === undefined || value === undefined || rest.length > 0) throw new Error("attribute malformed");
      attributes.push(Object.freeze({ type: objectIdentifier(type), value: attributeText(value) }));
    }
  }
  return Object.freeze(attributes);
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });
const UTF16BE = new TextDecoder("utf-16be", { fatal: true });

/** A directory string as text; any other value as RFC 4514 §2.4's `#` and the hex of its DER. */
function attributeText(value: ASN1Value): string {
  if (value.class === ASN1Class.Universal && value.form === ASN1Form.Primitive) {
    const bytes = value.contents();
    switch (value.tag) {
      case 12: // UTF8String
        return UTF8.decode(bytes);
      case 18: // NumericString
      case 19: // PrintableString
      case 22: // IA5String
      case 26: // VisibleString
      case 20: // TeletexString, read as Latin-1 as most software does
        return String.fromCharCode(...bytes);
      case 30: // BMPString
        return UTF16BE.decode(bytes);
      case 28: // UniversalString
        return universalString(bytes);
    }
  }
  return `#${Buffer.from(encodeASN1(value)).toString("hex")}`;
}

function universalString(bytes: Uint8Array): string {
  if (bytes.length % 4 !== 0) throw new Error("UniversalString malformed");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text = "";
  for (let at = 0; at < bytes.length; at += 4) text += String.fromCodePoint(view.getUint32(at));
  return text;
}

/** An OBJECT IDENTIFIER's content as dotted text (X.690 §8.19), strictly: minimal subidentifiers, none cut short. */
function objectIdentifier(value: ASN1Value): string {
  const bytes = value.objectIdentifier().encoded;
  const arcs: bigint[] = [];
  let current = 0n;
  let started = false;
  for (const byte of bytes) {
    if (!started && byte === 0x80) throw new Error("OID subidentifier not minimal");
    started = true;
    current = (current << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(current);
      current = 0n;
      started = false;
    }
  }
  if (started || arcs.length === 0) throw new Error("OID cut short");
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join(".");
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** Time ::= UTCTime | GeneralizedTime, in RFC 5280 §4.1.2.5's forms (seconds, Z, no fraction), as ms; null otherwise. */
function readTime(value: ASN1Value): number | null {
  if (value.class !== ASN1Class.Universal || value.form !== ASN1Form.Primitive) return null;
  const text = String.fromCharCode(...value.contents());
  let match: RegExpExecArray | null;
  let year: number;
  if (value.tag === 23 && (match = UTC_TIME.exec(text)) !== null) {
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (value.tag === 24 && (match = GENERALIZED_TIME.exec(text)) !== null) {
    year = Number(match[1]);
  } else {
    return null;
  }
  const [month, day, hours, minutes, seconds] = match.slice(2).map(Number) as [number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hours, minutes, seconds);
  const back = new Date(ms);
  // Date.UTC rolls over (month 13, day 32, 24:00); a time that does not come back the same is not a time.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || back.getUTCHours() !== hours || back.getUTCMinutes() !== minutes) return null;
  return seconds > 59 ? null : ms;
}

/** The subject public key as JWK members (EC P-256/384/521, RSA, Ed25519); null for any other key. */
function publicKeyMembers(key: KeyObject): Readonly<Record<string, string>> | null {
  try {
    const type = key.asymmetricKeyType;
    if (type !== "ec" && type !== "rsa" && type !== "ed25519") return null;
    if (type === "ec" && NAMED_CURVES[key.asymmetricKeyDetails?.namedCurve ?? ""] === undefined) return null;
    const jwk = key.export({ format: "jwk" });
    if (type === "ec") return Object.freeze({ kty: "EC", crv: String(jwk.crv), x: String(jwk.x), y: String(jwk.y) });
    if (type === "rsa") return Object.freeze({ kty: "RSA", n: String(jwk.n), e: String(jwk.e) });
    return Object.freeze({ kty: "OKP", crv: "Ed25519", x: String(jwk.x) });
  } catch {
    return null;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
