/**
 * WebAuthn Level 3 signals (§5.1.10–§5.1.12 of the Signal API): what keyport tells the user's passkey
 * provider when passkeys or the user change, so that a passkey deleted here disappears from the user's
 * device too. Responses carry them as data; the browser delivers them (`sendSignal()` of
 * @simplewebauthn/browser 14 takes each object exactly as it is, by `signalName`).
 */
import type { StoredCredential, UserAccount } from "../model.js";

export type Signal =
  | {
      readonly signalName: "allAcceptedCredentials";
      readonly rpID: string;
      /** The user handle (base64url), as the passkeys were registered with it. */
      readonly userID: string;
      readonly allAcceptedCredentialIDs: string[];
    }
  | {
      readonly signalName: "currentUserDetails";
      readonly rpID: string;
      readonly userID: string;
      readonly userName: string;
      readonly userDisplayName: string;
    }
  | { readonly signalName: "unknownCredential"; readonly rpID: string; readonly credentialID: string };

/**
 * Every credential that signs the user in: the enabled ones. A provider hides (and on the next such
 * signal shows again) a passkey left out, which is what disabling and enabling mean to the user.
 */
export function allAcceptedCredentials(rpID: string, userHandle: string, credentials: readonly StoredCredential[]): Signal {
  return {
    signalName: "allAcceptedCredentials",
    rpID,
    userID: userHandle,
    allAcceptedCredentialIDs: credentials.filter((c) => c.enabled).map((c) => c.credentialId),
  };
}

/** The user's current names, as the provider shows them beside the passkey. */
export function currentUserDetails(rpID: string, account: Pick<UserAccount, "userHandle" | "username" | "displayName">): Signal {
  return { signalName: "currentUserDetails", rpID, userID: account.userHandle, userName: account.username, userDisplayName: account.displayName };
}

/** A credential keyport does not have: the provider may delete it. */
export function unknownCredential(rpID: string, credentialId: string): Signal {
  return { signalName: "unknownCredential", rpID, credentialID: credentialId };
}
