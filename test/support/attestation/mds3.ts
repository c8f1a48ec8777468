/**
 * FIDO MDS3 metadata BLOBs for tests: a test root (standing in for GlobalSign Root CA - R3) issues an
 * intermediate, which issues the signing leaf; the JWS is made with jose's CompactSign and the leaf's
 * private key, x5c in the protected header as MDS3 puts it (leaf, then intermediate; the root left out).
 *
 *   const blob = await signMds3Blob(mds3Payload({ no: 7, entries: [mds3Entry({ aaguid, statusReports: [certified()], attestationRootCertificates: [root.der] })] }));
 *   const path = await writeMds3BlobFile(dir, mds3Payload({ … }));   // MDS_BLOB
 *   const rootPath = writeMds3RootPem(dir);                          // MDS_ROOT
 *
 * Every certificate is valid 2020–2050 (see ../certificates), and the payload's default `nextUpdate` is
 * late in 2049, so a BLOB from the kit reads at `AT`, at a ManualClock's default time or at the wall
 * clock's; give `nextUpdate` to test expiry.
 */
import { createHash, X509Certificate, type KeyObject } from "node:crypto";
import { writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CompactSign } from "jose";
import { makeCertificate, type TestCertificate } from "../certificates/index.js";

/** The chain an MDS3 BLOB is signed under: the root a reader is given, the intermediate and the signing leaf (x5c). */
export interface Mds3TestPki {
  readonly root: TestCertificate;
  readonly intermediate: TestCertificate;
  readonly leaf: TestCertificate;
}

/** The shared test MDS chain, all P-256 (made on first use, then cached by ../certificates). */
export function mds3TestPki(): Mds3TestPki {
  const root = makeCertificate({ subject: "/C=BE/O=Keyport Test/CN=Test MDS Root", ca: true });
  const intermediate = makeCertificate({ subject: "/C=BE/O=Keyport Test/CN=Test MDS CA", issuer: root, ca: true });
  const leaf = makeCertificate({ subject: "/C=US/O=Keyport Test/CN=mds.test", issuer: intermediate, ca: false });
  return { root, intermediate, leaf };
}

/** The DER of the test MDS root: what a reader takes as `root` in place of `fidoMds3Root()`. */
export function mds3TestRoot(): Uint8Array {
  return mds3TestPki().root.der;
}

export interface SignMds3Options {
  /** The certificate whose key signs (x5c[0]); default the kit's leaf. RSA leaves sign RS256, others ES256. */
  readonly leaf?: TestCertificate;
  /** The x5c as DER, leaf first; default [leaf, the kit's intermediate]. */
  readonly x5c?: readonly Uint8Array[];
  /** Signs with this key instead of the leaf's (for signatures that must not verify). */
  readonly key?: KeyObject;
  /** Protected header members added over (or replacing) alg, typ and x5c. */
  readonly header?: Readonly<Record<string, unknown>>;
}

/** `payload` (an object, as JSON; or text as it is) as an MDS3 BLOB: a compact JWS. */
export async function signMds3Blob(payload: Readonly<Record<string, unknown>> | string, options: SignMds3Options = {}): Promise<string> {
  const pki = mds3TestPki();
  const leaf = options.leaf ?? pki.leaf;
  const x5c = (options.x5c ?? [leaf.der, pki.intermediate.der]).map(base64);
  const alg = leaf.privateKey.asymmetricKeyType === "rsa" ? "RS256" : "ES256";
  const bytes = new TextEncoder().encode(typeof payload === "string" ? payload : JSON.stringify(payload));
  return new CompactSign(bytes).setProtectedHeader({ alg, typ: "JWT", x5c, ...options.header }).sign(options.key ?? leaf.privateKey);
}

export interface Mds3PayloadOptions {
  /** The serial; default 1. */
  readonly no?: number;
  /** `YYYY-MM-DD`; default 2049-12-01. */
  readonly nextUpdate?: string;
  readonly legalHeader?: string;
  /** Payload entries as JSON values (see `mds3Entry`); anything else is carried as it is, for malformed cases. Default none. */
  readonly entries?: readonly unknown[];
}

/** An MDS3 BLOB payload (MetadataBLOBPayload). */
export function mds3Payload(options: Mds3PayloadOptions = {}): Record<string, unknown> {
  return {
    legalHeader: options.legalHeader ?? "Retrieval and use of this BLOB indicates acceptance of the appropriate agreement.",
    no: options.no ?? 1,
    nextUpdate: options.nextUpdate ?? "2049-12-01",
    entries: options.entries ?? [],
  };
}

export interface Mds3StatusReportOptions {
  readonly status: string;
  /** `YYYY-MM-DD`; absent, the report has none. */
  readonly effectiveDate?: string;
}

export interface Mds3EntryOptions {
  /** A FIDO2 model's AAGUID (written as given, also into the metadata statement). */
  readonly aaguid?: string;
  /** A U2F model's attestation certificate key identifiers (hex; see `mds3KeyIdentifier`). */
  readonly keyIdentifiers?: readonly string[];
  readonly description?: string;
  readonly statusReports: readonly Mds3StatusReportOptions[];
  /** The model's attestation roots: base64 DER, or DER (a TestCertificate's `der`) which the kit encodes. */
  readonly attestationRootCertificates: readonly (string | Uint8Array)[];
}

/** One payload entry (MetadataBLOBPayloadEntry) with the members keyport reads. */
export function mds3Entry(options: Mds3EntryOptions): Record<string, unknown> {
  const latest = options.statusReports.map((report) => report.effectiveDate ?? "").sort().at(-1);
  return {
    ...(options.aaguid === undefined ? {} : { aaguid: options.aaguid }),
    ...(options.keyIdentifiers === undefined ? {} : { attestationCertificateKeyIdentifiers: [...options.keyIdentifiers] }),
    metadataStatement: {
      ...(options.aaguid === undefined ? {} : { aaguid: options.aaguid.toLowerCase() }),
      ...(options.description === undefined ? {} : { description: options.description }),
      attestationRootCertificates: options.attestationRootCertificates.map((root) => (typeof root === "string" ? root : base64(root))),
    },
    statusReports: options.statusReports.map((report) => ({ ...report })),
    ...(latest === undefined || latest === "" ? {} : { timeOfLastStatusChange: latest }),
  };
}

/**
 * The key identifier MDS3 indexes U2F models by (RFC 5280 §4.2.1.2 method 1): SHA-1 of the certificate's
 * subjectPublicKey, for an EC key the uncompressed point 04 ‖ x ‖ y, lower-case hex. Computed here from
 * the key itself, so that tests check keyport's own computation against an independent one.
 */
export function mds3KeyIdentifier(certificate: TestCertificate): string {
  const jwk = certificate.publicKey.export({ format: "jwk" });
  if (jwk.kty !== "EC" || jwk.x === undefined || jwk.y === undefined) throw new Error("mds3KeyIdentifier: an EC key only");
  const point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
  return createHash("sha1").update(point).digest("hex");
}

/** Signs `payload` and writes the BLOB to `dir`/`name` (default `mds3-blob.jwt`); the file's path. */
export async function writeMds3BlobFile(dir: string, payload: Readonly<Record<string, unknown>>, options: SignMds3Options & { readonly name?: string } = {}): Promise<string> {
  const path = join(dir, options.name ?? "mds3-blob.jwt");
  await writeFile(path, await signMds3Blob(payload, options));
  return path;
}

/** Writes the test MDS root as PEM to `dir`/`name` (default `mds3-root.pem`), as MDS_ROOT reads it; the file's path. */
export function writeMds3RootPem(dir: string, name = "mds3-root.pem"): string {
  const path = join(dir, name);
  writeFileSync(path, mds3TestPki().root.pem);
  return path;
}

function base64(der: Uint8Array): string {
  return Buffer.from(der).toString("base64");
}

/**
 * The key identifier keyport records for a statement (`{ keyIdentifier }` when its x5c leaf has an EC
 * key, `{}` otherwise), computed independently from the leaf's DER with node:crypto.
 */
export function expectedKeyIdentifier(statement: Readonly<Record<string, unknown>>): { readonly keyIdentifier?: string } {
  const x5c = statement.x5c;
  const leaf: unknown = Array.isArray(x5c) ? x5c[0] : undefined;
  if (!(leaf instanceof Uint8Array)) return {};
  const jwk = new X509Certificate(leaf).publicKey.export({ format: "jwk" });
  if (jwk.kty !== "EC" || jwk.x === undefined || jwk.y === undefined) return {};
  const point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
  return { keyIdentifier: createHash("sha1").update(point).digest("hex") };
}
