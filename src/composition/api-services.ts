/**
 * The classes of the services only the HTTP API calls: registering passkeys, signing in through the
 * API, managing passkeys and the account. Handed to the service table as `AdapterOverrides.apiServices`
 * by the compositions that serve the API (the local server's, the HTTP API's, `keyport/node`), so that
 * the Cognito triggers' bundles, which run none of them, do not carry them: esbuild cannot drop a
 * class a getter names, but it drops one nobody imports.
 */
import { RegistrationCeremony } from "../domain/ceremonies/registration-ceremony.js";
import { PasskeySignIn } from "../domain/custom-challenge/passkey-sign-in.js";
import { PasskeyManagement } from "../domain/management/passkey-management.js";

export interface ApiServiceClasses {
  readonly RegistrationCeremony: typeof RegistrationCeremony;
  readonly PasskeySignIn: typeof PasskeySignIn;
  readonly PasskeyManagement: typeof PasskeyManagement;
}

export const apiServices: ApiServiceClasses = { RegistrationCeremony, PasskeySignIn, PasskeyManagement };
