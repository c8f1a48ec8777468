/**
 * FIDO metadata on AWS (ADR 0027): the snapshot's bucket, the refresh function on its schedule, and
 * who may read and who may write the snapshot.
 */
import { Duration } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { METADATA_SNAPSHOT_KEY, type KeyportPasskeys } from "../../infra/lib/keyport-passkeys.js";
import { actionsOfService, allStatements, logicalIdOf, roleLogicalIdOf, statementsOfRole, STUB_CODE, synthFast } from "./support/synth.js";

const CERTIFIED = { attestation: "direct", authenticatorPolicy: "certified" } as const;

function variablesOf(template: ReturnType<typeof synthFast>["template"], fn: Parameters<typeof logicalIdOf>[0]): Record<string, unknown> {
  return (template.toJSON().Resources[logicalIdOf(fn)] as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment.Variables;
}

function readersOf(passkeys: KeyportPasskeys) {
  return { httpApi: passkeys.httpFunction, verifyAuthChallengeResponse: passkeys.triggerFunctions.verifyAuthChallengeResponse };
}

describe("FIDO metadata in the stack", () => {
  it("is off by default: no bucket, no refresh function, no metadata settings", () => {
    const { stack, template } = synthFast();
    template.resourceCountIs("AWS::S3::Bucket", 0);
    template.resourceCountIs("AWS::Events::Rule", 0);
    expect(stack.passkeys.metadata).toBeUndefined();
    for (const fn of Object.values(readersOf(stack.passkeys))) {
      expect(Object.keys(variablesOf(template, fn)).filter((name) => /^(MDS_|ATTESTATION|AUTHENTICATOR_POLICY|ALLOWED_AAGUIDS)/.test(name))).toEqual([]);
    }
  });

  it("keeps the snapshot in an encrypted, versioned, private bucket that refuses plain HTTP", () => {
    const { template } = synthFast(CERTIFIED);
    template.resourceCountIs("AWS::S3::Bucket", 1);
    template.hasResourceProperties("AWS::S3::Bucket", {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: "Enabled" },
    });
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } })]) },
    });
  });

  it("runs the refresh function daily by default, with retries, on FIDO's URL unless given another", () => {
    const { stack, template } = synthFast(CERTIFIED);
    const refresh = stack.passkeys.metadata?.refreshFunction;
    if (refresh === undefined) throw new Error("no refresh function");
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 day)",
      Targets: [Match.objectLike({ Arn: { "Fn::GetAtt": [logicalIdOf(refresh), "Arn"] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    const variables = variablesOf(template, refresh);
    expect(Object.keys(variables).sort()).toEqual(["MDS_S3_URI"]);
    expect(JSON.stringify(variables.MDS_S3_URI)).toContain(`/${METADATA_SNAPSHOT_KEY}`);

    const custom = synthFast({ ...CERTIFIED, metadata: { refreshInterval: Duration.hours(6), mdsUrl: "https://mds.example/blob" } });
    custom.template.hasResourceProperties("AWS::Events::Rule", { ScheduleExpression: "rate(6 hours)" });
    const customRefresh = custom.stack.passkeys.metadata?.refreshFunction;
    if (customRefresh === undefined) throw new Error("no refresh function");
    expect(variablesOf(custom.template, customRefresh).MDS_URL).toBe("https://mds.example/blob");
  });

  it("alarms at once on a failed refresh run, and after three days without taking a BLOB, from the refresh's own log line", () => {
    const { stack, template } = synthFast(CERTIFIED);
    const metadata = stack.passkeys.metadata;
    if (metadata === undefined) throw new Error("no metadata");
    const refreshLogs = logicalIdOf(metadata.refreshFunction).replace(/Function[0-9A-F]{8}$/, "FunctionLogs");
    const filters = template.findResources("AWS::Logs::MetricFilter");
    const patterns = Object.values(filters).map((filter) => {
      const props = (filter as { Properties: { FilterPattern: string; LogGroupName: { Ref: string }; MetricTransformations: { MetricName: string; MetricNamespace: string }[] } }).Properties;
      return { pattern: props.FilterPattern, group: props.LogGroupName.Ref, metric: props.MetricTransformations[0]?.MetricName, namespace: props.MetricTransformations[0]?.MetricNamespace };
    });
    expect(patterns).toEqual(
      expect.arrayContaining([
        { pattern: '{ ($.event = "mds3_refresh") && ($.level = "error") }', group: expect.stringMatching(new RegExp(`^${refreshLogs}`)) as unknown, metric: "MetadataRefreshRefused", namespace: "keyport" },
        { pattern: '{ ($.event = "mds3_refresh") && ($.level = "warn") }', group: expect.stringMatching(new RegExp(`^${refreshLogs}`)) as unknown, metric: "MetadataRefreshDeferred", namespace: "keyport" },
      ]),
    );
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmDescription: Match.stringLikeRegexp("metadata refresh failed"),
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: "notBreaching",
      Metrics: Match.arrayWith([Match.objectLike({ Expression: "FILL(refused, 0) + FILL(faults, 0)" })]),
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmDescription: Match.stringLikeRegexp("for three days"),
      MetricName: "MetadataRefreshDeferred",
      Period: 86400,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
    });
    expect(synthFast().template.findResources("AWS::Logs::MetricFilter")).toEqual({});
  });

  it("lets only the refresh function put the snapshot: by its role, and by the bucket's policy against anyone else", () => {
    const { stack, template } = synthFast(CERTIFIED);
    const metadata = stack.passkeys.metadata;
    if (metadata === undefined) throw new Error("no metadata");
    const refreshRole = roleLogicalIdOf(metadata.refreshFunction);
    expect(actionsOfService(statementsOfRole(template, refreshRole), "s3")).toEqual(["s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
    const writers = allStatements(template)
      .filter(({ statement }) => statement.Effect === "Allow" && [statement.Action].flat().some((action) => /^s3:(Put|\*|Delete)/.test(action)))
      .map(({ owner }) => owner);
    // The refresh role's own policy (CDK names it after the role) is the one document in the template that allows a write.
    expect(writers.length).toBeGreaterThan(0);
    for (const owner of writers) expect(owner.startsWith(refreshRole.replace(/[0-9A-F]{8}$/, ""))).toBe(true);
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:PutObject", Condition: { ArnNotEquals: { "aws:PrincipalArn": { "Fn::GetAtt": [refreshRole, "Arn"] } } } }),
        ]),
      },
    });
  });

  it("lets the HTTP API and the Verify trigger read the snapshot object only, and tells them (and Create, which parses the same settings) where it is", () => {
    const { stack, template } = synthFast(CERTIFIED);
    const bucket = stack.passkeys.metadata?.bucket;
    if (bucket === undefined) throw new Error("no bucket");
    for (const [name, fn] of Object.entries(readersOf(stack.passkeys))) {
      const statements = statementsOfRole(template, roleLogicalIdOf(fn));
      expect(actionsOfService(statements, "s3"), name).toEqual(["s3:GetObject"]);
      const s3 = statements.find((statement) => [statement.Action].flat().includes("s3:GetObject"));
      expect(JSON.stringify(s3?.Resource), name).toContain(`/${METADATA_SNAPSHOT_KEY}`);
      expect(variablesOf(template, fn), name).toMatchObject({ ATTESTATION: "direct", AUTHENTICATOR_POLICY: "certified", MDS_S3_URI: expect.anything() as unknown });
    }
    const create = stack.passkeys.triggerFunctions.createAuthChallenge;
    expect(actionsOfService(statementsOfRole(template, roleLogicalIdOf(create)), "s3")).toEqual([]);
    expect(variablesOf(template, create)).toMatchObject({ AUTHENTICATOR_POLICY: "certified", MDS_S3_URI: expect.anything() as unknown });
    const define = stack.passkeys.triggerFunctions.defineAuthChallenge;
    expect(actionsOfService(statementsOfRole(template, roleLogicalIdOf(define)), "s3")).toEqual([]);
    expect(variablesOf(template, define).MDS_S3_URI).toBeUndefined();
  });

  it("passes an allow-list through without metadata, and turns metadata on under any policy when asked", () => {
    const listed = synthFast({ attestation: "enterprise", authenticatorPolicy: "allow-list", allowedAaguids: ["CB69481E-8FF7-4039-93EC-0A2729A154A8"] });
    expect(listed.stack.passkeys.metadata).toBeUndefined();
    expect(variablesOf(listed.template, listed.stack.passkeys.httpFunction)).toMatchObject({
      ATTESTATION: "enterprise",
      AUTHENTICATOR_POLICY: "allow-list",
      ALLOWED_AAGUIDS: "cb69481e-8ff7-4039-93ec-0a2729a154a8",
    });
    const shown = synthFast({ metadata: {} });
    expect(shown.stack.passkeys.metadata).toBeDefined();
    expect(variablesOf(shown.template, shown.stack.passkeys.httpFunction).AUTHENTICATOR_POLICY).toBeUndefined();
  });

  it("refuses at synth what the functions would refuse at start-up", () => {
    expect(() => synthFast({ authenticatorPolicy: "certified" })).toThrow(/attestation to direct or enterprise/);
    expect(() => synthFast({ attestation: "direct", authenticatorPolicy: "allow-list" })).toThrow(/needs allowedAaguids/);
    expect(() => synthFast({ allowedAaguids: ["cb69481e-8ff7-4039-93ec-0a2729a154a8"] })).toThrow(/only with authenticatorPolicy allow-list/);
    expect(() => synthFast({ attestation: "direct", authenticatorPolicy: "allow-list", allowedAaguids: ["00000000-0000-0000-0000-000000000000"] })).toThrow(/not all zeros/);
    expect(() => synthFast({ ...CERTIFIED, metadata: { mdsUrl: "http://mds3.fidoalliance.org/" } })).toThrow(/https URL/);
    expect(() => synthFast({ ...CERTIFIED, metadata: { refreshInterval: Duration.minutes(5) } })).toThrow(/an hour or more/);
  });

  it("needs prebuilt code for the refresh function when given code and metadata", () => {
    const { mdsRefresh: _refresh, ...withoutRefresh } = STUB_CODE;
    expect(() => synthFast({ ...CERTIFIED, code: withoutRefresh })).toThrow(/code has no mdsRefresh function/);
  });
});
