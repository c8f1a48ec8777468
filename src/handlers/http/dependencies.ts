/** What the HTTP app is given: the domain services its routes call, and the settings of the exchange. */
import type { GetConnInfo } from "hono/conninfo";
import type { RegistrationCeremony } from "../../domain/ceremonies/registration-ceremony.js";
import type { PasskeySignIn } from "../../domain/custom-challenge/passkey-sign-in.js";
import type { PasskeyManagement } from "../../domain/management/passkey-management.js";
import type { IdentityProvider } from "../../ports/identity-provider.js";
import type { UserPool } from "../../ports/user-pool.js";
import type { Log } from "./log.js";
import type { StaticFiles } from "./static-files.js";

/** The JSON Web Key Set of a token issuer keyport itself runs (the local identity provider). */
export type JwksProvider = () => { readonly keys: readonly JsonWebKey[] } | Promise<{ readonly keys: readonly JsonWebKey[] }>;

export interface AppDependencies {
  readonly registration: Pick<RegistrationCeremony, "startForNewUser" | "startForExistingUser" | "finish">;
  readonly signIn: Pick<PasskeySignIn, "discover" | "start" | "finish" | "failureSignals" | "refresh">;
  /** The signed-in user's passkeys, account and security activity, and signing out. */
  readonly passkeys: Pick<
    PasskeyManagement,
    "listPasskeys" | "updatePasskey" | "deletePasskey" | "account" | "updateAccount" | "deleteAccount" | "signOut" | "signOutEverywhere" | "listEvents"
  >;
  readonly identityProvider: Pick<IdentityProvider, "verifyIdToken">;
  /** Browser origins allowed to call the API cross-origin (the relying party's origins). */
  readonly allowedOrigins: readonly string[];
  /** Serves `GET /.well-known/jwks.json` when given. */
  readonly jwks?: JwksProvider;
  /**
   * Serves Amazon Cognito's user-pool API at `POST /` when given (`X-Amz-Target`, AWS JSON 1.1;
   * src/handlers/cognito-api): the local server's pool, so that apps on the AWS SDK or Amplify run
   * against it unchanged. Never the Lambda: on AWS, Cognito answers itself.
   */
  readonly userPool?: UserPool;
  /** Serves the demo page when given (the local server; never the Lambda). */
  readonly staticFiles?: StaticFiles;
  /**
   * Reads the client's address where the runtime keeps it: hono's conninfo helper of the runtime
   * (`hono/aws-lambda` on Lambda, `@hono/node-server/conninfo` on the local server). Without it, security
   * events record no address.
   */
  readonly connInfo?: GetConnInfo;
  /** Where request and error logs go; JSON lines on stdout by default. */
  readonly log?: Log;
}
