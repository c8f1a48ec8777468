/**
 * Attestation trust anchors an operator configures (ATTESTATION_ROOTS, ADR 0027): the root certificates
 * of a PEM file, each a trust anchor for every authenticator. FIDO MDS3 will answer the same port with
 * the roots of each authenticator model instead.
 */
import { readFileSync } from "node:fs";
import type { TrustAnchorQuery, TrustAnchors } from "../../ports/trust-anchors.js";

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/** The DER of each `CERTIFICATE` block of `pem`, in order; other blocks and text between them are ignored. */
export function pemCertificates(pem: string): Uint8Array[] {
  return Array.from(pem.matchAll(PEM_CERTIFICATE), (match) => new Uint8Array(Buffer.from((match[1] ?? "").replace(/\s+/g, ""), "base64")));
}

/** The same anchors for every authenticator and format. */
export class StaticTrustAnchors implements TrustAnchors {
  readonly #anchors: readonly Uint8Array[];

  constructor(anchors: readonly Uint8Array[]) {
    this.#anchors = anchors.map((der) => der.slice());
  }

  anchorsFor(_query: TrustAnchorQuery): Promise<readonly Uint8Array[]> {
    return Promise.resolve(this.#anchors);
  }
}

/** The certificates of the PEM file at `path`; throws when it cannot be read. */
export function readPemCertificateFile(path: string): Uint8Array[] {
  return pemCertificates(readFileSync(path, "utf8"));
}
