/**
 * Reading a FIDO Metadata Service (MDS3) BLOB (issue 15 point 3, ADR 0027 "Reading MDS3"): a JWS in
 * compact form whose protected header carries `alg` and the `x5c` chain of the MDS signing certificate,
 * and whose payload lists the metadata of every certified authenticator model. `readMds3Blob` checks,
 * in the order of MDS3's metadata BLOB processing rules:
 *   1. the header: `alg` ES256 or RS256, `x5c` one to five base64 DER certificates, no `crit`;
 *   2. the x5c chain, validated with the CertificateVerifier port up to the root given (FIDO's is
 *      `fidoMds3Root()`) at the caller's time;
 *   3. the JWS signature over `header.payload` with the leaf certificate's key;
 *   4. only then the payload: `no` (a non-negative integer above the last accepted one), `nextUpdate`
 *      (not past, give or take a grace), `legalHeader` (a string) and `entries` (an array).
 * Bad input is a refusal code, never a throw. Entries are read defensively: a malformed entry is skipped
 * and counted (`skippedEntries`), not fatal, because the signature already says the BLOB is FIDO's, one
 * bad entry among hundreds should not take every authenticator's metadata away, and a skipped entry
 * only makes that authenticator unknown, which a policy that needs metadata treats as not certified.
 *
 * Only the port and runtime-neutral encoders are used (no node:crypto, no jose), so the reader runs
 * wherever a CertificateVerifier does. Fetching the BLOB is not here: the operator supplies it.
 */
import { decodeBase64 } from "@oslojs/encoding";
import { fromBase64Url, utf8Bytes } from "../../domain/encoding/bytes.js";
import { hasDuplicateObjectKeys, isJsonObject } from "../../domain/encoding/strict-json.js";
import { err, ok, type Result } from "../../domain/result.js";
import type { Certificate, CertificateVerifier } from "../../ports/certificate-verifier.js";

/** Why a BLOB is not accepted. */
export type Mds3Refusal =
  /** Not a compact JWS, an unsupported `alg`, an unreadable x5c, or a payload without the members MDS3 requires. */
  | "blob_malformed"
  /** The JWS signature does not verify with the x5c leaf's key. */
  | "blob_signature_invalid"
  /** The x5c chain does not validate to the root at the time given (unknown root, expired, broken link). */
  | "blob_chain_invalid"
  /** `no` is not above the serial of the BLOB accepted last (MDS3's processing rules: ignore it). */
  | "blob_older_than_current"
  /** The time given is past `nextUpdate` (and its grace). */
  | "blob_expired";

/** One status report of an entry (MDS3 StatusReport): the status (`FIDO_CERTIFIED_L1`, `REVOKED`, …) and since when. */
export interface Mds3StatusReport {
  readonly status: string;
  /** `YYYY-MM-DD`, or null when the report has none. */
  readonly effectiveDate: string | null;
}

/** What keyport keeps of one metadata BLOB payload entry. */
export interface Mds3Entry {
  /** FIDO2 authenticators: the AAGUID, lower-case and hyphenated; null for U2F and UAF entries. */
  readonly aaguid: string | null;
  /** U2F (and some FIDO2) authenticators: the attestation certificates' key identifiers, lower-case hex. */
  readonly attestationCertificateKeyIdentifiers: readonly string[];
  /** metadataStatement.description, a model name for people; null when absent. */
  readonly description: string | null;
  /** metadataStatement.attestationRootCertificates: base64 DER, each a trust anchor for this model. */
  readonly attestationRootCertificates: readonly string[];
  /** In the BLOB's order; the one in force is the domain's `latestReport`. */
  readonly statusReports: readonly Mds3StatusReport[];
}

/** An accepted BLOB. */
export interface Mds3Metadata {
  /** The BLOB's serial: pass it as `lastAcceptedNo` when reading the next one. */
  readonly no: number;
  /** `YYYY-MM-DD`: when FIDO will publish the next BLOB. */
  readonly nextUpdate: string;
  readonly legalHeader: string;
  /** Entries by AAGUID (lower-case, hyphenated). */
  readonly byAaguid: ReadonlyMap<string, Mds3Entry>;
  /** Entries by attestation certificate key identifier (lower-case hex). */
  readonly byKeyIdentifier: ReadonlyMap<string, Mds3Entry>;
  /** Entries read (indexed or not: UAF entries carry neither an AAGUID nor key identifiers). */
  readonly entryCount: number;
  /** Entries skipped as malformed, or as a second entry for an AAGUID or key identifier already indexed. */
  readonly skippedEntries: number;
}

export interface ReadMds3Options {
  /** The BLOB as downloaded: the JWS compact serialization (surrounding whitespace is ignored). */
  readonly blob: string;
  /** DER of the root the x5c chain must end at: `fidoMds3Root()` in production, a test root in tests. */
  readonly root: Uint8Array;
  /** The `no` of the BLOB accepted last, or null when none has been. */
  readonly lastAcceptedNo: number | null;
  /** Now, in ms since the epoch: the chain is validated and `nextUpdate` judged at this time. */
  readonly now: number;
  /**
   * How long past `nextUpdate` the BLOB is still accepted, in ms; default 0 (strict). FIDO publishes
   * monthly and `nextUpdate` is the day it plans to; a deployment whose refresh job fails, or a FIDO
   * release a few days late, would otherwise lose its metadata the day after. Operators running
   * Cognito sign-up with an AUTHENTICATOR_POLICY that needs metadata will want a few days here rather
   * than registrations refused over a late download; the default stays strict so the choice is theirs.
   */
  readonly graceMs?: number;
}

/** The algorithms MDS3 signs with (JWA names) → the COSE algorithm the port verifies. */
const ALGORITHMS: Readonly<Record<string, number>> = { ES256: -7, RS256: -257 };

/** The port's own limit on a chain's length (leaf and intermediates). */
const MAX_X5C = 5;

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^(?:[0-9a-f]{2})+$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Verifies `options.blob` and indexes its entries, or says why it is refused. Never throws on bad input. */
export async function readMds3Blob(verifier: CertificateVerifier, options: ReadMds3Options): Promise<Result<Mds3Metadata, Mds3Refusal>> {
  const parts = options.blob.trim().split(".");
  if (parts.length !== 3) return err("blob_malformed");
  const [encodedHeader = "", encodedPayload = "", encodedSignature = ""] = parts;

  const header = parseJsonObject(encodedHeader);
  if (header === null) return err("blob_malformed");
  const alg = typeof header.alg === "string" && Object.hasOwn(ALGORITHMS, header.alg) ? ALGORITHMS[header.alg] : undefined;
  if (alg === undefined || header.crit !== undefined) return err("blob_malformed");
  const chain = readX5c(verifier, header.x5c);
  const signature = fromBase64Url(encodedSignature);
  if (chain === null || signature === null) return err("blob_malformed");

  const root = verifier.parse(options.root);
  if (root === null || (await verifier.validatePath(chain, [root], options.now)) !== "trusted") return err("blob_chain_invalid");

  const [leaf] = chain;
  const signatureForPort = alg === -7 ? ecdsaRawToDer(signature) : signature;
  const signingInput = utf8Bytes(`${encodedHeader}.${encodedPayload}`);
  if (leaf === undefined || signatureForPort === null || !(await verifier.verifySignature(leaf, alg, signatureForPort, signingInput))) {
    return err("blob_signature_invalid");
  }

  const payload = parseJsonObject(encodedPayload, false);
  if (payload === null) return err("blob_malformed");
  const { no, nextUpdate, legalHeader, entries } = payload;
  const nextUpdateDay = typeof nextUpdate === "string" ? dayStart(nextUpdate) : null;
  if (typeof no !== "number" || !Number.isSafeInteger(no) || no < 0 || typeof nextUpdate !== "string" || nextUpdateDay === null) return err("blob_malformed");
  if (typeof legalHeader !== "string" || !Array.isArray(entries)) return err("blob_malformed");

  if (options.lastAcceptedNo !== null && no <= options.lastAcceptedNo) return err("blob_older_than_current");
  // `nextUpdate` is a day (UTC): the BLOB is good through the end of it.
  const grace = options.graceMs !== undefined && Number.isFinite(options.graceMs) && options.graceMs > 0 ? options.graceMs : 0;
  if (!(options.now < nextUpdateDay + DAY_MS + grace)) return err("blob_expired");

  return ok({ no, nextUpdate, legalHeader, ...indexEntries(entries) });
}

/** A base64url JSON object (the header, or the payload), or null. The header's member names must be unique. */
function parseJsonObject(encoded: string, uniqueNames = true): Readonly<Record<string, unknown>> | null {
  const bytes = fromBase64Url(encoded);
  if (bytes === null) return null;
  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    value = JSON.parse(text);
  } catch {
    return null;
  }
  // The payload is several megabytes; its duplicate names, if any, are FIDO's signed mistake, not an attack on the header's meaning.
  if (uniqueNames && hasDuplicateObjectKeys(text)) return null;
  return isJsonObject(value) ? value : null;
}

/** The x5c header member (RFC 7515 §4.1.6: standard base64 DER, leaf first) as parsed certificates, or null. */
function readX5c(verifier: CertificateVerifier, x5c: unknown): Certificate[] | null {
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_X5C) return null;
  const chain: Certificate[] = [];
  for (const item of x5c) {
    if (typeof item !== "string" || !BASE64.test(item)) return null;
    const certificate = verifier.parse(decodeBase64(item));
    if (certificate === null) return null;
    chain.push(certificate);
  }
  return chain;
}

/**
 * A JWS ES256 signature (RFC 7518 §3.4: r ‖ s, 32 bytes each) as the DER ECDSA-Sig-Value the port
 * verifies (minimal INTEGERs, a zero byte before a set high bit); null when it is not 64 bytes.
 */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array | null {
  if (raw.length !== 64) return null;
  const integer = (bytes: Uint8Array): number[] => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const content = [...bytes.subarray(start)];
    if ((content[0] ?? 0) & 0x80) content.unshift(0);
    return [0x02, content.length, ...content];
  };
  const body = [...integer(raw.subarray(0, 32)), ...integer(raw.subarray(32))];
  return Uint8Array.from([0x30, body.length, ...body]);
}

/** `YYYY-MM-DD` (a real date) at 00:00 UTC in ms, or null: the form of `nextUpdate` and `effectiveDate`. */
export function dayStart(text: string): number | null {
  const match = DATE.exec(text);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? ms : null;
}

/** Every well-formed entry, indexed; malformed ones and duplicates of an indexed AAGUID or key identifier counted. */
function indexEntries(entries: readonly unknown[]): Pick<Mds3Metadata, "byAaguid" | "byKeyIdentifier" | "entryCount" | "skippedEntries"> {
  const read = entries.map(readEntry);
  const wellFormed = read.filter((entry): entry is Mds3Entry => entry !== null);
  const indexed = indexMds3Entries(wellFormed);
  return { ...indexed, skippedEntries: indexed.skippedEntries + (read.length - wellFormed.length) };
}

/**
 * Entries already read, indexed by AAGUID and by key identifier: the BLOB's reader and the verified
 * snapshot's (mds3-snapshot.ts) build the same metadata this way. An entry naming an AAGUID or key
 * identifier already indexed is skipped and counted: the first one stands.
 */
export function indexMds3Entries(entries: Iterable<Mds3Entry>): Pick<Mds3Metadata, "byAaguid" | "byKeyIdentifier" | "entryCount" | "skippedEntries"> {
  const byAaguid = new Map<string, Mds3Entry>();
  const byKeyIdentifier = new Map<string, Mds3Entry>();
  let entryCount = 0;
  let skippedEntries = 0;
  for (const entry of entries) {
    const duplicate = (entry.aaguid !== null && byAaguid.has(entry.aaguid)) || entry.attestationCertificateKeyIdentifiers.some((id) => byKeyIdentifier.has(id));
    if (duplicate) {
      skippedEntries++;
      continue;
    }
    entryCount++;
    if (entry.aaguid !== null) byAaguid.set(entry.aaguid, entry);
    for (const id of entry.attestationCertificateKeyIdentifiers) byKeyIdentifier.set(id, entry);
  }
  return { byAaguid, byKeyIdentifier, entryCount, skippedEntries };
}

/** One payload entry (MDS3 MetadataBLOBPayloadEntry), or null when a member keyport reads is not of its type. */
function readEntry(raw: unknown): Mds3Entry | null {
  if (!isJsonObject(raw)) return null;
  const statement = raw.metadataStatement ?? {};
  if (!isJsonObject(statement)) return null;

  const aaguid = raw.aaguid === undefined ? null : typeof raw.aaguid === "string" && UUID.test(raw.aaguid) ? raw.aaguid.toLowerCase() : undefined;
  if (aaguid === undefined) return null;
  // The statement repeats the AAGUID; an entry whose two disagree is not one to trust either way.
  if (statement.aaguid !== undefined && (typeof statement.aaguid !== "string" || statement.aaguid.toLowerCase() !== aaguid)) return null;

  const keyIdentifiers = stringList(raw.attestationCertificateKeyIdentifiers, HEX);
  const roots = stringList(statement.attestationRootCertificates, BASE64);
  const description = statement.description === undefined ? null : typeof statement.description === "string" ? statement.description : undefined;
  if (keyIdentifiers === null || roots === null || description === undefined || !Array.isArray(raw.statusReports)) return null;

  const statusReports: Mds3StatusReport[] = [];
  for (const report of raw.statusReports) {
    if (!isJsonObject(report) || typeof report.status !== "string" || report.status === "") return null;
    const effectiveDate = report.effectiveDate;
    if (effectiveDate !== undefined && (typeof effectiveDate !== "string" || dayStart(effectiveDate) === null)) return null;
    statusReports.push({ status: report.status, effectiveDate: effectiveDate ?? null });
  }
  return {
    aaguid,
    attestationCertificateKeyIdentifiers: keyIdentifiers.map((id) => id.toLowerCase()),
    description,
    attestationRootCertificates: roots,
    statusReports,
  };
}

/** An absent member as [], an array of strings each matching `pattern` as itself, anything else null. */
function stringList(value: unknown, pattern: RegExp): string[] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string" && pattern.test(item))) return null;
  return value;
}
