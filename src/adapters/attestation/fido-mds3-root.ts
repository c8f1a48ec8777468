/**
 * The root certificate that anchors FIDO Metadata Service (MDS3) BLOBs (ADR 0027, "Reading MDS3").
 *
 * The FIDO MDS3 specification and the FIDO Alliance's MDS site point relying parties at GlobalSign's "GlobalSign Root CA - R3" (the certificate
 * published at secure.globalsign.com/cacert/root-r3.crt): the BLOB's x5c chain is the MDS signing
 * certificate and its GlobalSign intermediate, and this root issues the intermediate. There is no
 * FIDO-run root for the BLOB. The bytes below are that certificate's DER, as shipped in Mozilla's root
 * store (ca-certificates: GlobalSign_Root_CA_-_R3.crt); the test checks them against the published
 * SHA-256 fingerprint, so an edit to the constant cannot go unnoticed.
 *
 * RSA 2048, valid 2009-03-18 to 2029-03-18 (10:00 UTC). Before 2029 FIDO will have to move the BLOB to
 * another root; the constant then changes with a release (and the fingerprint test with it).
 */
import { decodeBase64 } from "@oslojs/encoding";

/** SHA-256 of the DER below, lower-case hex (the fingerprint GlobalSign and Mozilla publish). */
export const FIDO_MDS3_ROOT_SHA256 = "cbb522d7b7f127ad6a0113865bdf1cd4102e7d0759af635a7cf4720dc963c53b";

const FIDO_MDS3_ROOT_BASE64 =
  "MIIDXzCCAkegAwIBAgILBAAAAAABIVhTCKIwDQYJKoZIhvcNAQELBQAwTDEgMB4GA1UECxMXR2xvYmFsU2lnbiBSb290IENBIC0g" +
  "UjMxEzARBgNVBAoTCkdsb2JhbFNpZ24xEzARBgNVBAMTCkdsb2JhbFNpZ24wHhcNMDkwMzE4MTAwMDAwWhcNMjkwMzE4MTAwMDAw" +
  "WjBMMSAwHgYDVQQLExdHbG9iYWxTaWduIFJvb3QgQ0EgLSBSMzETMBEGA1UEChMKR2xvYmFsU2lnbjETMBEGA1UEAxMKR2xvYmFs" +
  "U2lnbjCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAMwldpB5BngiFvXAg7aEyiie/QV2EcWtiHL8RgJDx7KKnQRfJMsu" +
  "S+FggkbhUqsMgUdwbN1k0ev1LKMPgj0MK66X17YUhhB5uzsTgHeMCOFJ0mpiLx9e+pZo34knlTifBtc+ycsmWQ1z3rDI6SYOgxXG" +
  "71uL0gRgykmmKPZpO/bLyCiR5Z2KYVc3rHQU3HTgOu5yLy6c+9C7v/U9AOEGM+iCK65TpjoWc4zdQQ4gOsC0p6Hpsk+QLjJg6VfL" +
  "uQSSaGjlOCZgdbKfd/+RFO+uIEn8rUAVSNECMWEZXriX7613t2Saer9fwRPvm2L7DWzgVGkWqQPabumDk3F2xmmFghcCAwEAAaNC" +
  "MEAwDgYDVR0PAQH/BAQDAgEGMA8GA1UdEwEB/wQFMAMBAf8wHQYDVR0OBBYEFI/wS3+oLkUkrk1Q+mOai97i3Ru8MA0GCSqGSIb3" +
  "DQEBCwUAA4IBAQBLQNvAUKr+yAzv95ZURUm7lgAJQayzE4aGKAczymvmdLm6AC2upArT9fHxD4q/c2dKg8dEe3jgr25sbwMpjjM5" +
  "RcOO5LlXbKr8EpbsU8Yt5CRsuZRj+9xTaGdWPoO4zzUhw8lo/s7awlOqzJCK6fBdRoyV3XpYKBovHd7NADdBj+1EbddTKJd+82cE" +
  "HhXXipa0095MJ6RMG3NzdvQXmcIfeg7jLQitChws/zyrVQ4PkX4268NXSb7hLi18YIvDQVETI53O9zJrlAGomecsMx86OyXShkDO" +
  "OyyGeMlhLxS67ttVb9+E7gUJTb0o2HLO02JQZR7rkpeDMdmztcpHWD9f";

/** The DER of "GlobalSign Root CA - R3", the anchor `readMds3Blob` validates a BLOB's x5c against by default. A fresh copy each call. */
export function fidoMds3Root(): Uint8Array {
  return decodeBase64(FIDO_MDS3_ROOT_BASE64);
}
