/**
 * What the stack does for a passkey as the second factor after a password (issue 14, ADR 0023): the
 * pool declares the passkey-enrolled attribute, users cannot write it, the app client's flows never go
 * around DefineAuthChallenge when a passkey may be asked for, and Define is told the policy.
 */
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { ALL_AUTH_FLOWS, authFlowsFor } from "../../src/adapters/local-identity/local-user-pool.js";
import { PASSKEY_ENROLLED_ATTRIBUTE, SECOND_FACTOR_POLICIES, type SecondFactorPolicy } from "../../src/domain/custom-challenge/second-factor.js";
import { appClientAuthFlows, KeyportSettingError, type KeyportFunctionName } from "../../infra/lib/keyport-passkeys.js";
import type { KeyportStack } from "../../infra/lib/keyport-stack.js";
import { logicalIdOf, synthFast } from "./support/synth.js";

const synths = new Map<string, { stack: KeyportStack; template: Template }>();

beforeAll(() => {
  for (const policy of SECOND_FACTOR_POLICIES) {
    synths.set(policy, synthFast({ secondFactor: policy }));
    synths.set(`${policy} without rotation`, synthFast({ secondFactor: policy, refreshTokenRotation: false }));
  }
  synths.set("default", synthFast());
});

function synthOf(key: string): { stack: KeyportStack; template: Template } {
  const synth = synths.get(key);
  if (synth === undefined) throw new Error(`no synth ${key}`);
  return synth;
}

function appClient(key: string): Record<string, unknown> {
  const [client] = Object.values(synthOf(key).template.findResources("AWS::Cognito::UserPoolClient"));
  if (client === undefined) throw new Error(`no app client in ${key}`);
  return client.Properties as Record<string, unknown>;
}

function variablesOf(key: string, name: KeyportFunctionName): Record<string, unknown> {
  const { stack, template } = synthOf(key);
  const fn = name === "httpApi" ? stack.passkeys.httpFunction : stack.passkeys.triggerFunctions[name];
  const resource = template.toJSON().Resources[logicalIdOf(fn)] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
  return resource.Properties.Environment.Variables;
}

describe("the passkey-enrolled attribute", () => {
  it("is declared by the pool as a mutable string custom attribute, whatever the policy", () => {
    for (const key of ["default", ...SECOND_FACTOR_POLICIES]) {
      synthOf(key).template.hasResourceProperties("AWS::Cognito::UserPool", {
        Schema: [{ Name: "passkey_enrolled", AttributeDataType: "String", Mutable: true, StringAttributeConstraints: { MinLength: "4", MaxLength: "5" } }],
      });
    }
    // Cognito names it with the custom: prefix, as DefineAuthChallenge reads it.
    expect(PASSKEY_ENROLLED_ATTRIBUTE).toBe("custom:passkey_enrolled");
  });

  it("cannot be written by users through the app client, nor can the attributes keyport keeps in step with its store", () => {
    for (const key of ["default", ...SECOND_FACTOR_POLICIES]) {
      const writable = appClient(key).WriteAttributes as string[];
      expect(writable.length).toBeGreaterThan(0);
      expect(writable).not.toContain(PASSKEY_ENROLLED_ATTRIBUTE);
      expect(writable).not.toContain("preferred_username");
      expect(writable).not.toContain("name");
      expect(writable.filter((attribute) => attribute.startsWith("custom:"))).toEqual([]);
    }
  });

  it("can be read through the app client: read attributes are Cognito's default, every attribute", () => {
    expect(appClient("default").ReadAttributes).toBeUndefined();
  });

  it("is written by the HTTP function only, with the AdminUpdateUserAttributes it already has", () => {
    const { template } = synthOf("if-enrolled");
    const statements = JSON.stringify(template.findResources("AWS::IAM::Policy"));
    expect(statements).toContain("cognito-idp:AdminUpdateUserAttributes");
  });
});

describe("the app client's auth flows under each second-factor policy", () => {
  it("allow custom authentication and the password flows under off (the default)", () => {
    for (const key of ["default", "off"]) {
      expect([...(appClient(key).ExplicitAuthFlows as string[])].sort()).toEqual(["ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]);
    }
  });

  it.each(["if-enrolled", "required"])("allow custom authentication only under %s: USER_SRP_AUTH and USER_PASSWORD_AUTH would go around DefineAuthChallenge", (policy) => {
    expect(appClient(policy).ExplicitAuthFlows).toEqual(["ALLOW_CUSTOM_AUTH"]);
    expect(appClient(`${policy} without rotation`).ExplicitAuthFlows).toEqual(["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
  });

  it("never allow the admin password flow or choice-based sign-in, under any policy", () => {
    for (const [key] of synths) {
      const flows = appClient(key).ExplicitAuthFlows as string[];
      expect(flows).not.toContain("ALLOW_ADMIN_USER_PASSWORD_AUTH");
      expect(flows).not.toContain("ALLOW_USER_AUTH");
    }
  });

  it.each(SECOND_FACTOR_POLICIES)("are the local Cognito API's flows under %s, so that what works on a laptop works deployed", (policy: SecondFactorPolicy) => {
    const flows = appClientAuthFlows(policy);
    const local = new Set(authFlowsFor(policy));
    expect(ALL_AUTH_FLOWS).toEqual(expect.arrayContaining(["USER_PASSWORD_AUTH", "USER_SRP_AUTH", "CUSTOM_AUTH"]));
    expect({ userPassword: flows.userPassword, userSrp: flows.userSrp, custom: flows.custom }).toEqual({
      userPassword: local.has("USER_PASSWORD_AUTH"),
      userSrp: local.has("USER_SRP_AUTH"),
      custom: local.has("CUSTOM_AUTH"),
    });
  });
});

describe("the policy reaches DefineAuthChallenge", () => {
  it.each(SECOND_FACTOR_POLICIES)("as SECOND_FACTOR=%s", (policy) => {
    expect(variablesOf(policy, "defineAuthChallenge").SECOND_FACTOR).toBe(policy);
  });

  it("as off by default, and only there: the other functions never read it", () => {
    expect(variablesOf("default", "defineAuthChallenge").SECOND_FACTOR).toBe("off");
    for (const name of ["httpApi", "createAuthChallenge", "verifyAuthChallengeResponse"] as const) {
      expect(variablesOf("required", name)).not.toHaveProperty("SECOND_FACTOR");
    }
  });

  it("with an existing pool too, whose client is the deployer's to set", () => {
    const { stack, template } = synthFast({ secondFactor: "required", existingUserPool: { userPoolId: "eu-west-1_AbCdEf123", userPoolClientId: "client" } });
    template.resourceCountIs("AWS::Cognito::UserPoolClient", 0);
    const define = template.toJSON().Resources[logicalIdOf(stack.passkeys.triggerFunctions.defineAuthChallenge)] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
    expect(define.Properties.Environment.Variables.SECOND_FACTOR).toBe("required");
  });

  it("refuses an unknown policy at synth time", () => {
    expect(() => synthFast({ secondFactor: "always" as SecondFactorPolicy })).toThrow(KeyportSettingError);
    expect(() => synthFast({ secondFactor: "always" as SecondFactorPolicy })).toThrow(/secondFactor/);
  });
});
