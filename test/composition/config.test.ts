import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/composition/config.js";

function errorFor(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("reads SENSITIVE_ACTION_MAX_AGE_SECONDS as milliseconds, within 1 min and 1 h, 5 min by default", () => {
    expect(parseConfig({}).relyingParty.sensitiveActionMaxAgeMs).toBe(300_000);
    expect(parseConfig({ SENSITIVE_ACTION_MAX_AGE_SECONDS: "60" }).relyingParty.sensitiveActionMaxAgeMs).toBe(60_000);
    expect(parseConfig({ SENSITIVE_ACTION_MAX_AGE_SECONDS: "3600" }).relyingParty.sensitiveActionMaxAgeMs).toBe(3_600_000);
    expect(errorFor({ SENSITIVE_ACTION_MAX_AGE_SECONDS: "59" }).variable).toBe("SENSITIVE_ACTION_MAX_AGE_SECONDS");
    expect(errorFor({ SENSITIVE_ACTION_MAX_AGE_SECONDS: "3601" }).variable).toBe("SENSITIVE_ACTION_MAX_AGE_SECONDS");
    expect(errorFor({ SENSITIVE_ACTION_MAX_AGE_SECONDS: "5m" }).variable).toBe("SENSITIVE_ACTION_MAX_AGE_SECONDS");
  });

  it("keeps security events 90 days by default, 1 to 3650 days when EVENT_RETENTION_DAYS says", () => {
    expect(parseConfig({}).eventRetentionDays).toBe(90);
    expect(parseConfig({ EVENT_RETENTION_DAYS: "1" }).eventRetentionDays).toBe(1);
    expect(parseConfig({ EVENT_RETENTION_DAYS: "3650" }).eventRetentionDays).toBe(3650);
    for (const bad of ["0", "3651", "30d", "-5", "1.5"]) expect(errorFor({ EVENT_RETENTION_DAYS: bad }).variable).toBe("EVENT_RETENTION_DAYS");
  });

  it("names the event table like the others: keyport-events by default, EVENT_TABLE when set", () => {
    expect(parseConfig({ STORAGE: "dynamodb" }).dynamoDb).toMatchObject({ sessionTable: "keyport-sessions", credentialTable: "keyport-credentials", eventTable: "keyport-events" });
    expect(parseConfig({ STORAGE: "dynamodb", EVENT_TABLE: "prod.events" }).dynamoDb?.eventTable).toBe("prod.events");
    expect(errorFor({ STORAGE: "dynamodb", EVENT_TABLE: "no spaces" }).variable).toBe("EVENT_TABLE");
    // Without DynamoDB there is no table to name, and a stray setting is not read.
    expect(parseConfig({ EVENT_TABLE: "no spaces" }).dynamoDb).toBeNull();
  });

  it("has local defaults that run on http://localhost:3000", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      port: 3000,
      storage: "memory",
      identityProvider: "local",
      signatureVerifier: "node",
      maxPasskeyAttempts: 1,
      secondFactor: "off",
      unknownUserSecret: null,
      relyingParty: {
        id: "localhost",
        name: "keyport",
        origins: ["http://localhost:3000"],
        userVerification: "required",
        registrationTimeoutMs: 300_000,
        authenticationTimeoutMs: 300_000,
        sensitiveActionMaxAgeMs: 300_000,
      },
    });
  });

  it("reads ATTESTATION as none, direct or enterprise, none by default, and refuses indirect (ADR 0027)", () => {
    expect(parseConfig({}).relyingParty.attestation).toBe("none");
    expect(parseConfig({ ATTESTATION: "direct" }).relyingParty.attestation).toBe("direct");
    expect(parseConfig({ ATTESTATION: "enterprise" }).relyingParty.attestation).toBe("enterprise");
    expect(errorFor({ ATTESTATION: "indirect" }).message).toMatch(/ATTESTATION: indirect attestation is not supported/);
    for (const bad of ["DIRECT", "yes", " none"]) expect(errorFor({ ATTESTATION: bad }).variable).toBe("ATTESTATION");
  });

  describe("AUTHENTICATOR_POLICY (ADR 0027)", () => {
    const YUBIKEY = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
    const OTHER = "ee882879-721c-4913-9775-3dfcce97072a";

    it("is any by default, and reads no metadata", () => {
      const config = parseConfig({});
      expect(config.authenticatorPolicy).toEqual({ kind: "any" });
      expect(config.metadata).toBeNull();
    });

    it("reads certified with a BLOB file (and its root) or with the stack's metadata in S3", () => {
      const file = parseConfig({ ATTESTATION: "direct", AUTHENTICATOR_POLICY: "certified", MDS_BLOB: "/etc/keyport/mds.jwt", MDS_ROOT: "/etc/keyport/root.pem" });
      expect(file.authenticatorPolicy).toEqual({ kind: "certified" });
      expect(file.metadata).toEqual({ source: "file", path: "/etc/keyport/mds.jwt", rootPath: "/etc/keyport/root.pem" });
      const s3 = parseConfig({ ATTESTATION: "enterprise", AUTHENTICATOR_POLICY: "certified", MDS_S3_URI: "s3://keyport-metadata/mds/verified.json", AWS_REGION: "eu-west-1" });
      expect(s3.metadata).toEqual({ source: "s3", bucket: "keyport-metadata", key: "mds/verified.json", region: "eu-west-1" });
    });

    it("reads metadata without a policy that needs it (certification levels are shown)", () => {
      expect(parseConfig({ MDS_BLOB: "/m.jwt" }).metadata).toEqual({ source: "file", path: "/m.jwt", rootPath: null });
    });

    it("refuses certified without metadata, and any policy but any without an attestation to judge", () => {
      expect(errorFor({ ATTESTATION: "direct", AUTHENTICATOR_POLICY: "certified" }).message).toMatch(/AUTHENTICATOR_POLICY: certified needs FIDO metadata/);
      expect(errorFor({ AUTHENTICATOR_POLICY: "certified", MDS_BLOB: "/m.jwt" }).message).toMatch(/set ATTESTATION to direct or enterprise/);
      expect(errorFor({ AUTHENTICATOR_POLICY: "allow-list", ALLOWED_AAGUIDS: YUBIKEY }).message).toMatch(/set ATTESTATION to direct or enterprise/);
    });

    it("reads an allow-list of AAGUIDs, lower-cased, and only with allow-list", () => {
      const config = parseConfig({ ATTESTATION: "direct", AUTHENTICATOR_POLICY: "allow-list", ALLOWED_AAGUIDS: `${YUBIKEY.toUpperCase()}, ${OTHER}` });
      expect(config.authenticatorPolicy).toEqual({ kind: "allow-list", aaguids: new Set([YUBIKEY, OTHER]) });
      expect(errorFor({ ATTESTATION: "direct", AUTHENTICATOR_POLICY: "allow-list" }).message).toMatch(/ALLOWED_AAGUIDS: is required/);
      expect(errorFor({ ALLOWED_AAGUIDS: YUBIKEY }).message).toMatch(/ALLOWED_AAGUIDS: is read only with AUTHENTICATOR_POLICY=allow-list/);
      for (const bad of ["not-a-uuid", `${YUBIKEY},`, "00000000-0000-0000-0000-000000000000", "cb69481e8ff7403993ec0a2729a154a8"]) {
        expect(errorFor({ ATTESTATION: "direct", AUTHENTICATOR_POLICY: "allow-list", ALLOWED_AAGUIDS: bad }).variable).toBe("ALLOWED_AAGUIDS");
      }
      for (const bad of ["Any", "certified ", "none"]) expect(errorFor({ AUTHENTICATOR_POLICY: bad }).variable).toBe("AUTHENTICATOR_POLICY");
    });

    it("refuses both metadata sources at once, MDS_ROOT without MDS_BLOB, and an S3 URI that is not one", () => {
      expect(errorFor({ MDS_BLOB: "/m.jwt", MDS_S3_URI: "s3://b-k/m.json" }).variable).toBe("MDS_S3_URI");
      expect(errorFor({ MDS_ROOT: "/root.pem" }).variable).toBe("MDS_ROOT");
      for (const bad of ["https://bucket/key", "s3://bucket", "s3://bucket/", "s3://B/key", "bucket/key", "s3://my.bucket/key"]) expect(errorFor({ MDS_S3_URI: bad }).variable).toBe("MDS_S3_URI");
    });

    it("needs AWS_REGION with MDS_S3_URI: the bucket's region, which the signed request goes to", () => {
      expect(errorFor({ MDS_S3_URI: "s3://b-k/m.json" }).message).toBe("AWS_REGION: is required when MDS_S3_URI is set");
      expect(errorFor({ MDS_S3_URI: "s3://b-k/m.json", AWS_REGION: "Ireland" }).variable).toBe("AWS_REGION");
    });
  });

  it("reads ATTESTATION_ROOTS as a path, none by default", () => {
    expect(parseConfig({}).attestationRoots).toBeNull();
    expect(parseConfig({ ATTESTATION_ROOTS: "/etc/keyport/roots.pem" }).attestationRoots).toBe("/etc/keyport/roots.pem");
  });

  it("reads SECOND_FACTOR as off, if-enrolled or required, off by default (passkey-only sign-in)", () => {
    expect(parseConfig({}).secondFactor).toBe("off");
    expect(parseConfig({ SECOND_FACTOR: "" }).secondFactor).toBe("off");
    for (const policy of ["off", "if-enrolled", "required"]) expect(parseConfig({ SECOND_FACTOR: policy }).secondFactor).toBe(policy);
    for (const bad of ["true", "if_enrolled", "REQUIRED", " required", "optional"]) expect(errorFor({ SECOND_FACTOR: bad }).variable).toBe("SECOND_FACTOR");
  });

  it("derives the default origin from PORT", () => {
    expect(parseConfig({ PORT: "8080" }).relyingParty.origins).toEqual(["http://localhost:8080"]);
  });

  it("reads every variable", () => {
    const config = parseConfig({
      PORT: "4000",
      RP_ID: "example.com",
      RP_NAME: "Example",
      ALLOWED_ORIGINS: "https://example.com, https://app.example.com",
      USER_VERIFICATION: "preferred",
      REGISTRATION_TIMEOUT_MS: "60000",
      AUTHENTICATION_TIMEOUT_MS: "120000",
      STORAGE: "dynamodb",
      IDENTITY_PROVIDER: "cognito",
      AWS_REGION: "eu-west-1",
      COGNITO_USER_POOL_ID: "eu-west-1_AbC123",
      COGNITO_CLIENT_ID: "1example23456789",
      COGNITO_CLIENT_SECRET: "s3cr3t",
      SIGNATURE_VERIFIER: "webcrypto",
      MAX_PASSKEY_ATTEMPTS: "3",
      SECOND_FACTOR: "required",
      UNKNOWN_USER_SECRET: "A".repeat(43),
    });
    expect(config.relyingParty).toMatchObject({ id: "example.com", name: "Example", origins: ["https://example.com", "https://app.example.com"], userVerification: "preferred" });
    expect(config).toMatchObject({ port: 4000, storage: "dynamodb", identityProvider: "cognito", signatureVerifier: "webcrypto", maxPasskeyAttempts: 3, secondFactor: "required" });
    expect(config.unknownUserSecret?.length).toBe(32);
    expect(config.cognito).toEqual({ region: "eu-west-1", userPoolId: "eu-west-1_AbC123", clientId: "1example23456789", clientSecret: "s3cr3t" });
  });

  it("needs no Cognito settings for the local identity provider", () => {
    expect(parseConfig({ COGNITO_USER_POOL_ID: "ignored" }).cognito).toBeNull();
  });

  it("never echoes the client secret in an error", () => {
    const error = errorFor({ IDENTITY_PROVIDER: "cognito", AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "us-east-1_X", COGNITO_CLIENT_SECRET: "s3cr3t" });
    expect(error.message).not.toContain("s3cr3t");
  });

  it.each([
    ["PORT", { PORT: "http" }],
    ["PORT", { PORT: "70000" }],
    ["PORT", { PORT: "-1" }],
    ["RP_ID", { RP_ID: "Example.COM" }],
    ["RP_ID", { RP_ID: "https://example.com" }],
    ["ALLOWED_ORIGINS", { ALLOWED_ORIGINS: "not a url" }],
    ["ALLOWED_ORIGINS", { ALLOWED_ORIGINS: "http://localhost:3000/path" }],
    ["ALLOWED_ORIGINS", { RP_ID: "example.com", ALLOWED_ORIGINS: "https://evil.com" }],
    ["ALLOWED_ORIGINS", { RP_ID: "example.com", ALLOWED_ORIGINS: "https://notexample.com" }],
    ["ALLOWED_ORIGINS", { RP_ID: "example.com", ALLOWED_ORIGINS: "http://example.com" }],
    ["ALLOWED_ORIGINS", { ALLOWED_ORIGINS: " , " }],
    ["USER_VERIFICATION", { USER_VERIFICATION: "always" }],
    ["REGISTRATION_TIMEOUT_MS", { REGISTRATION_TIMEOUT_MS: "5" }],
    ["AUTHENTICATION_TIMEOUT_MS", { AUTHENTICATION_TIMEOUT_MS: "1.5" }],
    ["STORAGE", { STORAGE: "postgres" }],
    ["IDENTITY_PROVIDER", { IDENTITY_PROVIDER: "auth0" }],
    ["SIGNATURE_VERIFIER", { SIGNATURE_VERIFIER: "openssl" }],
    ["MAX_PASSKEY_ATTEMPTS", { MAX_PASSKEY_ATTEMPTS: "0" }],
    ["SECOND_FACTOR", { SECOND_FACTOR: "on" }],
    ["SECOND_FACTOR", { SECOND_FACTOR: "If-Enrolled" }],
    ["UNKNOWN_USER_SECRET", { UNKNOWN_USER_SECRET: "short" }],
    ["RP_NAME", { RP_NAME: " padded" }],
    ["AWS_REGION", { IDENTITY_PROVIDER: "cognito" }],
    ["AWS_REGION", { IDENTITY_PROVIDER: "cognito", AWS_REGION: "Europe" }],
    ["COGNITO_USER_POOL_ID", { IDENTITY_PROVIDER: "cognito", AWS_REGION: "eu-west-1" }],
    ["COGNITO_USER_POOL_ID", { IDENTITY_PROVIDER: "cognito", AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "us-east-1_AbC" }],
    ["COGNITO_CLIENT_ID", { IDENTITY_PROVIDER: "cognito", AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "eu-west-1_AbC" }],
    ["COGNITO_CLIENT_ID", { IDENTITY_PROVIDER: "cognito", AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "eu-west-1_AbC", COGNITO_CLIENT_ID: "a b" }],
  ])("refuses a bad %s and names it in the error", (variable, env) => {
    const error = errorFor(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
  });
});
