/**
 * Test helpers shared by the attestation support tests: the credential key of attested authenticator
 * data as a node:crypto KeyObject, read with an independent parser (@oslojs/webauthn).
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import { COSEKeyType, parseAuthenticatorData } from "@oslojs/webauthn";

function bigintToBytes(n: bigint, length?: number): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, "hex");
  if (length === undefined || bytes.length >= length) return bytes;
  return Buffer.concat([Buffer.alloc(length - bytes.length), bytes]);
}

/** The credential public key in attested authData, as node:crypto reads it. */
export function credentialKeyOf(authData: Uint8Array): KeyObject {
  const cose = parseAuthenticatorData(authData).credential?.publicKey;
  if (cose === undefined) throw new Error("authData has no attested credential");
  switch (cose.type()) {
    case COSEKeyType.EC2: {
      const { x, y } = cose.ec2();
      return createPublicKey({ key: { kty: "EC", crv: "P-256", x: bigintToBytes(x, 32).toString("base64url"), y: bigintToBytes(y, 32).toString("base64url") }, format: "jwk" });
    }
    case COSEKeyType.RSA: {
      const { n, e } = cose.rsa();
      return createPublicKey({ key: { kty: "RSA", n: bigintToBytes(n).toString("base64url"), e: bigintToBytes(e).toString("base64url") }, format: "jwk" });
    }
    case COSEKeyType.OKP:
      return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(cose.okp().x).toString("base64url") }, format: "jwk" });
    default:
      throw new Error("unexpected COSE key type");
  }
}
