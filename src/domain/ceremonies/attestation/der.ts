/**
 * DER reading for the few structures the statement formats carry inside certificate extensions (android
 * key description, Apple's nonce, the TPM AIK's subjectAltName and extendedKeyUsage), with @oslojs/asn1,
 * the runtime-agnostic reader the X.509 adapter uses too (ADR 0026). Its accessors throw on a value of
 * another type; `readDer` turns any throw into null, so a verifier never throws on hostile bytes.
 */
import { ASN1Class, ASN1Form, parseASN1NoLeftoverBytes, type ASN1Value } from "@oslojs/asn1";

export { ASN1Class, ASN1Form, type ASN1Value };

/**
 * What `read` makes of `der` (one DER value, nothing after it), or null when the bytes are not DER or
 * `read` met a value of another shape than it asked for.
 */
export function readDer<T>(der: Uint8Array, read: (value: ASN1Value) => T | null): T | null {
  return guarded(() => read(parseASN1NoLeftoverBytes(der)));
}

/** What `read` returns, or null when it throws (an accessor of @oslojs/asn1 met a value of another type). */
export function guarded<T>(read: () => T | null): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/** The value inside an EXPLICIT context-specific tag `[tag]`, or null when `value` is not that tag. */
export function explicit(value: ASN1Value, tag: number): ASN1Value | null {
  if (value.class !== ASN1Class.ContextSpecific || value.form !== ASN1Form.Constructed || value.tag !== tag) return null;
  return parseASN1NoLeftoverBytes(value.contents());
}

/** The member of a context-tagged list (an android AuthorizationList) with EXPLICIT tag `[tag]`, unwrapped. */
export function tagged(elements: readonly ASN1Value[], tag: number): ASN1Value | null {
  for (const element of elements) {
    const inner = explicit(element, tag);
    if (inner !== null) return inner;
  }
  return null;
}
