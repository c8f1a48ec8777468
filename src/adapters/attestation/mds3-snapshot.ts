/**
 * The verified metadata snapshot (ADR 0027): what the stack's refresh function writes to S3 once a
 * BLOB has passed `readMds3Blob`, and what every other function reads instead of the BLOB. Those
 * functions then need no X.509 code and no JWS: the verification happened once, in the one function
 * whose role may write the object. The snapshot is keyport's own compact JSON, not the BLOB's shape:
 *
 *   { version: 1, no, nextUpdate, legalHeader, verifiedAt,
 *     entries: [{ aaguid | null, attestationCertificateKeyIdentifiers, description,
 *                 attestationRootCertificates (base64 DER), statusReports: [{ status, effectiveDate }] }] }
 *
 * Reading it is still reading bytes from outside the process, so `parseSnapshot` checks every member's
 * type and form, refuses members it does not know and versions it does not know, and rebuilds the
 * indexes with the BLOB reader's own `indexMds3Entries` (a second entry for an AAGUID or key identifier
 * is a malformed snapshot, since the writer already dropped duplicates).
 */
import { isJsonObject } from "../../domain/encoding/strict-json.js";
import { err, ok, type Result } from "../../domain/result.js";
import { dayStart, indexMds3Entries, type Mds3Entry, type Mds3Metadata, type Mds3StatusReport } from "./mds3-metadata.js";

/** The one snapshot format this code writes and reads. */
export const MDS3_SNAPSHOT_VERSION = 1;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX = /^(?:[0-9a-f]{2})+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const SNAPSHOT_MEMBERS: ReadonlySet<string> = new Set(["version", "no", "nextUpdate", "legalHeader", "verifiedAt", "entries"]);
const ENTRY_MEMBERS: ReadonlySet<string> = new Set(["aaguid", "attestationCertificateKeyIdentifiers", "description", "attestationRootCertificates", "statusReports"]);
const REPORT_MEMBERS: ReadonlySet<string> = new Set(["status", "effectiveDate"]);

/**
 * The snapshot of `metadata`, verified at `verifiedAt` (ms since the epoch), as JSON text. Only indexed
 * entries are written: one without an AAGUID or key identifier (UAF) can never be asked for.
 */
export function snapshotOf(metadata: Mds3Metadata, verifiedAt: number): string {
  const entries = new Set<Mds3Entry>([...metadata.byAaguid.values(), ...metadata.byKeyIdentifier.values()]);
  return JSON.stringify({
    version: MDS3_SNAPSHOT_VERSION,
    no: metadata.no,
    nextUpdate: metadata.nextUpdate,
    legalHeader: metadata.legalHeader,
    verifiedAt,
    entries: [...entries].map((entry) => ({
      aaguid: entry.aaguid,
      attestationCertificateKeyIdentifiers: entry.attestationCertificateKeyIdentifiers,
      description: entry.description,
      attestationRootCertificates: entry.attestationRootCertificates,
      statusReports: entry.statusReports.map((report) => ({ status: report.status, effectiveDate: report.effectiveDate })),
    })),
  });
}

/**
 * The metadata a snapshot holds, or `snapshot_malformed` for anything but a version-1 snapshot whose
 * every member is present, known and well-formed. The rebuilt metadata counts the snapshot's entries
 * (`entryCount`) and no skipped ones: what the BLOB's reader skipped was never written.
 */
export function parseSnapshot(text: string): Result<Mds3Metadata, "snapshot_malformed"> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err("snapshot_malformed");
  }
  if (!isJsonObject(value) || !hasExactly(value, SNAPSHOT_MEMBERS) || value.version !== MDS3_SNAPSHOT_VERSION) return err("snapshot_malformed");
  const { no, nextUpdate, legalHeader, verifiedAt, entries } = value;
  if (typeof no !== "number" || !Number.isSafeInteger(no) || no < 0) return err("snapshot_malformed");
  if (typeof nextUpdate !== "string" || dayStart(nextUpdate) === null || typeof legalHeader !== "string") return err("snapshot_malformed");
  if (typeof verifiedAt !== "number" || !Number.isSafeInteger(verifiedAt) || verifiedAt < 0 || !Array.isArray(entries)) return err("snapshot_malformed");

  const read: Mds3Entry[] = [];
  for (const raw of entries) {
    const entry = readEntry(raw);
    if (entry === null) return err("snapshot_malformed");
    read.push(entry);
  }
  const indexed = indexMds3Entries(read);
  if (indexed.skippedEntries > 0) return err("snapshot_malformed");
  return ok({ no, nextUpdate, legalHeader, ...indexed });
}

function readEntry(raw: unknown): Mds3Entry | null {
  if (!isJsonObject(raw) || !hasExactly(raw, ENTRY_MEMBERS)) return null;
  const { aaguid, attestationCertificateKeyIdentifiers, description, attestationRootCertificates, statusReports } = raw;
  if (aaguid !== null && (typeof aaguid !== "string" || !UUID.test(aaguid))) return null;
  if (description !== null && typeof description !== "string") return null;
  const keyIdentifiers = stringList(attestationCertificateKeyIdentifiers, HEX);
  const roots = stringList(attestationRootCertificates, BASE64);
  if (keyIdentifiers === null || roots === null || !Array.isArray(statusReports)) return null;
  // Written only when indexed: an entry nothing can find is not one the writer makes.
  if (aaguid === null && keyIdentifiers.length === 0) return null;

  const reports: Mds3StatusReport[] = [];
  for (const report of statusReports) {
    if (!isJsonObject(report) || !hasExactly(report, REPORT_MEMBERS)) return null;
    const { status, effectiveDate } = report;
    if (typeof status !== "string" || status === "") return null;
    if (effectiveDate !== null && (typeof effectiveDate !== "string" || dayStart(effectiveDate) === null)) return null;
    reports.push({ status, effectiveDate });
  }
  return { aaguid, attestationCertificateKeyIdentifiers: keyIdentifiers, description, attestationRootCertificates: roots, statusReports: reports };
}

/** True when `object` has every member of `names` and no other. */
function hasExactly(object: Readonly<Record<string, unknown>>, names: ReadonlySet<string>): boolean {
  const keys = Object.keys(object);
  return keys.length === names.size && keys.every((key) => names.has(key));
}

/** An array of strings each matching `pattern`, or null. */
function stringList(value: unknown, pattern: RegExp): string[] | null {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string" && pattern.test(item))) return null;
  return value;
}
