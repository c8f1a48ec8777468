import { Duration } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { readKeyportContext } from "../../infra/lib/context.js";

const from = (context: Record<string, unknown>) => readKeyportContext((key) => context[key]);

describe("CDK context", () => {
  it("defaults to example.com, its https origin and required user verification", () => {
    const { stackName, passkeys } = from({});
    expect(stackName).toBe("Keyport");
    expect(passkeys).toMatchObject({
      rpId: "example.com",
      rpName: "keyport",
      allowedOrigins: ["https://example.com"],
      userVerification: "required",
      secondFactor: "off",
      throttling: { rateLimit: 50, burstLimit: 100 },
      generateClientSecret: false,
      preferredUsernameSignIn: true,
      refreshTokenRotation: true,
      sourceMaps: false,
    });
    expect(passkeys.tokenValidity?.idToken?.toMinutes()).toBe(60);
    expect(passkeys.tokenValidity?.refreshToken?.toDays()).toBe(30);
    expect(passkeys.sensitiveActionMaxAge?.toSeconds()).toBe(300);
    expect(passkeys.eventRetention?.toDays()).toBe(90);
    expect(passkeys.failedSignInAlarmThreshold).toBe(50);
    expect(passkeys.existingUserPool).toBeUndefined();
  });

  it("reads -c strings: comma-separated origins, numbers and booleans", () => {
    const { passkeys } = from({
      rpId: "shop.example",
      origins: "https://shop.example, https://www.shop.example",
      throttleRateLimit: "10",
      sourceMaps: "true",
      refreshTokenValidityDays: "7",
      sensitiveActionMaxAgeSeconds: "600",
      eventRetentionDays: "365",
      failedSignInAlarmThreshold: "200",
      secondFactor: "if-enrolled",
    });
    expect(passkeys.secondFactor).toBe("if-enrolled");
    expect(passkeys.allowedOrigins).toEqual(["https://shop.example", "https://www.shop.example"]);
    expect(passkeys.throttling?.rateLimit).toBe(10);
    expect(passkeys.sourceMaps).toBe(true);
    expect(passkeys.tokenValidity?.refreshToken?.toDays()).toBe(Duration.days(7).toDays());
    expect(passkeys.sensitiveActionMaxAge?.toSeconds()).toBe(600);
    expect(passkeys.eventRetention?.toDays()).toBe(365);
    expect(passkeys.failedSignInAlarmThreshold).toBe(200);
  });

  it("reads cdk.json values: origin arrays, numbers and booleans", () => {
    const { passkeys } = from({ origins: ["https://example.com"], throttleBurstLimit: 7, generateClientSecret: true, preferredUsernameSignIn: false, refreshTokenRotation: false });
    expect(passkeys.allowedOrigins).toEqual(["https://example.com"]);
    expect(passkeys.throttling?.burstLimit).toBe(7);
    expect(passkeys.generateClientSecret).toBe(true);
    expect(passkeys.preferredUsernameSignIn).toBe(false);
    expect(passkeys.refreshTokenRotation).toBe(false);
  });

  it("attaches to an existing pool only when both its pool and client IDs are given", () => {
    expect(from({ existingUserPoolId: "eu-west-1_abc", existingUserPoolClientId: "client" }).passkeys.existingUserPool).toEqual({
      userPoolId: "eu-west-1_abc",
      userPoolClientId: "client",
    });
    expect(() => from({ existingUserPoolId: "eu-west-1_abc" })).toThrow(/go together/);
  });

  it("names the context key of a malformed value", () => {
    expect(() => from({ userVerification: "always" })).toThrow(/userVerification/);
    expect(() => from({ throttleRateLimit: "fast" })).toThrow(/throttleRateLimit/);
    expect(() => from({ sourceMaps: "yes" })).toThrow(/sourceMaps/);
    expect(() => from({ preferredUsernameSignIn: "no" })).toThrow(/preferredUsernameSignIn/);
    expect(() => from({ refreshTokenRotation: "off" })).toThrow(/refreshTokenRotation/);
    expect(() => from({ sensitiveActionMaxAgeSeconds: "5m" })).toThrow(/sensitiveActionMaxAgeSeconds/);
    expect(() => from({ eventRetentionDays: "90d" })).toThrow(/eventRetentionDays/);
    expect(() => from({ failedSignInAlarmThreshold: "0" })).toThrow(/failedSignInAlarmThreshold/);
    expect(() => from({ secondFactor: "always" })).toThrow(/secondFactor/);
    expect(() => from({ secondFactor: true })).toThrow(/secondFactor/);
    expect(() => from({ attestation: "indirect" })).toThrow(/attestation/);
    expect(() => from({ authenticatorPolicy: "fido" })).toThrow(/authenticatorPolicy/);
  });

  it("reads the authenticator policy: attestation, the policy and an allow-list's AAGUIDs, none and any by default", () => {
    expect(from({}).passkeys).toMatchObject({ attestation: "none", authenticatorPolicy: "any" });
    expect(from({}).passkeys.allowedAaguids).toBeUndefined();
    const { passkeys } = from({ attestation: "enterprise", authenticatorPolicy: "allow-list", allowedAaguids: "cb69481e-8ff7-4039-93ec-0a2729a154a8, ee882879-721c-4913-9775-3dfcce97072a" });
    expect(passkeys).toMatchObject({
      attestation: "enterprise",
      authenticatorPolicy: "allow-list",
      allowedAaguids: ["cb69481e-8ff7-4039-93ec-0a2729a154a8", "ee882879-721c-4913-9775-3dfcce97072a"],
    });
  });
});
