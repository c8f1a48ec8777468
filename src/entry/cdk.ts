/**
 * `keyport/cdk`: the `KeyportPasskeys` construct, for an app's own CDK stack (peer dependencies:
 * `aws-cdk-lib` and `constructs`).
 *
 * The package ships no TypeScript sources, so the construct cannot bundle the functions' entry points
 * there as it does in the repository. `npm run build` bundles them beforehand (scripts/build-lambda.ts,
 * with the construct's own esbuild options) into dist/lambda/<bundle>/index.mjs, each with the data
 * files its function reads beside it; the construct exported here deploys those, unless given `code`
 * or `projectRoot`. Run from the repository's sources (no dist/lambda beside this module), it bundles
 * as before.
 */
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Code } from "aws-cdk-lib/aws-lambda";
import type { Construct } from "constructs";
import {
  KEYPORT_BUNDLED_FILES,
  KeyportPasskeys as BundlingKeyportPasskeys,
  type KeyportFunctionCode,
  type KeyportFunctionName,
  type KeyportMetadataFunctionName,
  type KeyportPasskeysProps,
} from "../../infra/lib/keyport-passkeys.js";

export {
  KEYPORT_ROUTES,
  type ExistingUserPool,
  type KeyportFunctionCode,
  type KeyportFunctionName,
  type KeyportMetadata,
  type KeyportMetadataFunctionName,
  type KeyportPasskeysProps,
  type KeyportThrottling,
  type KeyportTokenValidity,
} from "../../infra/lib/keyport-passkeys.js";

/** Each function's bundle: its folder under dist/lambda, as scripts/build-lambda.ts names it. */
export const KEYPORT_LAMBDA_BUNDLES: Readonly<Record<KeyportFunctionName | KeyportMetadataFunctionName, string>> = {
  httpApi: "http-api",
  defineAuthChallenge: "define-auth-challenge",
  createAuthChallenge: "create-auth-challenge",
  verifyAuthChallengeResponse: "verify-auth-challenge-response",
  mdsRefresh: "mds-refresh",
};

/** Where the build puts the bundles, seen from this module once built: dist/src/entry/cdk.js → dist/lambda/. */
const SHIPPED_BUNDLES = fileURLToPath(new URL("../../lambda/", import.meta.url));

/**
 * The prebuilt bundles in `dir` (the package's dist/lambda by default) as the construct's `code`, or
 * `undefined` when there are none (keyport run from its sources). Each call makes new assets, as
 * every construct needs its own. Throws when a bundle or a file beside it is missing: a broken build
 * must fail the synth rather than deploy functions that cannot start.
 */
export function shippedFunctionCode(dir: string = SHIPPED_BUNDLES): KeyportFunctionCode | undefined {
  if (!existsSync(dir)) return undefined;
  const code = (name: KeyportFunctionName | KeyportMetadataFunctionName): Code => {
    const folder = join(dir, KEYPORT_LAMBDA_BUNDLES[name]);
    for (const file of ["index.mjs", ...KEYPORT_BUNDLED_FILES[name].map((path) => basename(path))]) {
      if (!existsSync(join(folder, file))) throw new Error(`keyport: the prebuilt ${name} function lacks ${join(folder, file)}; rebuild the package (npm run build)`);
    }
    return Code.fromAsset(folder);
  };
  return {
    httpApi: code("httpApi"),
    defineAuthChallenge: code("defineAuthChallenge"),
    createAuthChallenge: code("createAuthChallenge"),
    verifyAuthChallengeResponse: code("verifyAuthChallengeResponse"),
    mdsRefresh: code("mdsRefresh"),
  };
}

/**
 * keyport on AWS in one construct (see the props). From the installed package its functions are the
 * bundles built with the package; `code` replaces them, and `projectRoot` bundles a checkout's sources
 * instead. `sourceMaps` applies only to bundling from sources: the shipped bundles have none.
 */
export class KeyportPasskeys extends BundlingKeyportPasskeys {
  constructor(scope: Construct, id: string, props: KeyportPasskeysProps) {
    super(scope, id, props.code !== undefined || props.projectRoot !== undefined ? props : { ...props, code: shippedFunctionCode() });
  }
}
