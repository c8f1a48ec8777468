/**
 * The passkey custom challenge's parameters, apart from custom-challenge.ts so that the state machine
 * (DefineAuthChallenge's whole job, a 9 KB bundle) does not bring the WebAuthn parsers along.
 */
import { fromBase64Url } from "../encoding/bytes.js";
import { parseTransports } from "../encoding/parse-response.js";
import { isJsonObject } from "../encoding/strict-json.js";
import {
  USER_VERIFICATION_REQUIREMENTS,
  type PublicKeyCredentialDescriptorJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type UserVerificationRequirement,
} from "../encoding/webauthn-json.js";

/**
 * The custom challenge's public parameters: what CreateAuthChallenge publishes and the client reads back
 * through the identity provider. Cognito's challenge parameters are a map of strings, so the request
 * options travel as JSON text; this is their one codec.
 */
export type PasskeyChallengeParameters = { readonly credentialRequestOptions: string };

export function encodeChallengeParameters(options: PublicKeyCredentialRequestOptionsJSON): PasskeyChallengeParameters {
  return { credentialRequestOptions: JSON.stringify(options) };
}

/**
 * The request options back from the parameters an identity provider relayed, or null when they are not
 * what CreateAuthChallenge publishes (a trigger that is not keyport's, or a provider that mangled them).
 */
export function decodeChallengeParameters(parameters: Readonly<Record<string, string>>): PublicKeyCredentialRequestOptionsJSON | null {
  const text = parameters.credentialRequestOptions;
  if (text === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  return parseRequestOptions(json);
}

function parseRequestOptions(json: unknown): PublicKeyCredentialRequestOptionsJSON | null {
  if (!isJsonObject(json)) return null;
  const { challenge, timeout, rpId, allowCredentials, userVerification } = json;
  if (typeof challenge !== "string" || fromBase64Url(challenge) === null) return null;
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || typeof rpId !== "string" || !Array.isArray(allowCredentials)) return null;
  if (!isUserVerificationRequirement(userVerification)) return null;
  const descriptors: PublicKeyCredentialDescriptorJSON[] = [];
  for (const descriptor of allowCredentials) {
    if (!isJsonObject(descriptor) || descriptor.type !== "public-key" || typeof descriptor.id !== "string") return null;
    descriptors.push({ type: "public-key", id: descriptor.id, transports: parseTransports(descriptor.transports) });
  }
  return { challenge, timeout, rpId, allowCredentials: descriptors, userVerification };
}

function isUserVerificationRequirement(value: unknown): value is UserVerificationRequirement {
  return USER_VERIFICATION_REQUIREMENTS.some((requirement) => requirement === value);
}
