/**
 * Shared helpers for the infrastructure tests: a cheap synth (inline stub code, no esbuild, no
 * CloudFormation validation) and readers for the IAM policies of one function's role.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { Code, type CfnFunction, type IFunction } from "aws-cdk-lib/aws-lambda";
import type { CfnRole } from "aws-cdk-lib/aws-iam";
import type { KeyportFunctionCode, KeyportPasskeysProps } from "../../../infra/lib/keyport-passkeys.js";
import { KeyportStack } from "../../../infra/lib/keyport-stack.js";

const STUB = Code.fromInline("export const handler = async () => ({});");

/** The same stub for every function: the tests read the template, they never run the code. */
export const STUB_CODE: KeyportFunctionCode = {
  httpApi: STUB,
  defineAuthChallenge: STUB,
  createAuthChallenge: STUB,
  verifyAuthChallengeResponse: STUB,
  mdsRefresh: STUB,
};

export const BASE_PROPS: KeyportPasskeysProps = {
  rpId: "example.com",
  rpName: "Example",
  allowedOrigins: ["https://example.com", "https://app.example.com"],
  userVerification: "preferred",
  code: STUB_CODE,
};

/**
 * The context `cdk synth` hands the app from cdk.json: above all the pinned feature flags, which change
 * the template (e.g. @aws-cdk/aws-iam:minimizePolicies). A bare `new App()` would test the template with
 * every flag at its old default, which is not the one that is deployed.
 */
export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = (
  JSON.parse(readFileSync(join(import.meta.dirname, "../../../cdk.json"), "utf8")) as { context: Record<string, unknown> }
).context;

/**
 * Synthesises a stack with cdk.json's context and without the built-in CloudFormation validation: its
 * WebAssembly engine and rule set cost about 10 s in each new worker (measured; 0.2–0.6 s without), and
 * the one test that keeps it on (synth-cli.test.ts, which runs `npm run synth`) covers that template.
 */
export function synthFast(passkeys: Partial<KeyportPasskeysProps> | ((app: App) => Partial<KeyportPasskeysProps>) = {}): { stack: KeyportStack; template: Template } {
  const app = new App({ context: { ...CDK_JSON_CONTEXT }, builtinCloudFormationValidation: false });
  const overrides = typeof passkeys === "function" ? passkeys(app) : passkeys;
  const stack = new KeyportStack(app, "Keyport", { passkeys: { ...BASE_PROPS, ...overrides } });
  return { stack, template: Template.fromStack(stack) };
}

export function logicalIdOf(fn: IFunction): string {
  const stack = Stack.of(fn);
  return stack.getLogicalId(fn.node.defaultChild as CfnFunction);
}

export function roleLogicalIdOf(fn: IFunction): string {
  if (fn.role === undefined) throw new Error(`${fn.node.path} has no role`);
  return Stack.of(fn).getLogicalId(fn.role.node.defaultChild as CfnRole);
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

type Resource = { Type: string; Properties?: Record<string, unknown> };

/** Every statement of every policy document in the template: AWS::IAM::Policy and roles' inline policies. */
export function allStatements(template: Template): { owner: string; statement: Statement }[] {
  const found: { owner: string; statement: Statement }[] = [];
  for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, Resource>)) {
    const documents: unknown[] = [];
    if (resource.Type === "AWS::IAM::Policy" || resource.Type === "AWS::IAM::ManagedPolicy") documents.push(resource.Properties?.PolicyDocument);
    if (resource.Type === "AWS::IAM::Role") {
      for (const policy of (resource.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) documents.push(policy.PolicyDocument);
    }
    for (const document of documents) {
      for (const statement of (document as { Statement: Statement[] }).Statement) found.push({ owner: id, statement });
    }
  }
  return found;
}

/** The statements of the AWS::IAM::Policy resources attached to one role. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources("AWS::IAM::Policy") as Record<string, Resource>;
  return Object.values(policies)
    .filter((policy) => (policy.Properties?.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

function resourcesOf(statement: Statement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Actions of `service` a role is allowed on `resource` (a CloudFormation value such as `{ "Fn::GetAtt": [...] }`). */
export function actionsOn(statements: Statement[], service: string, resource: unknown): string[] {
  const wanted = JSON.stringify(resource);
  const actions = statements
    .filter((s) => s.Effect === "Allow" && resourcesOf(s).some((r) => JSON.stringify(r) === wanted))
    .flatMap(actionsOf)
    .filter((action) => action.startsWith(`${service}:`));
  return [...new Set(actions)].sort();
}

/** Every action of `service` a role is allowed, on any resource. */
export function actionsOfService(statements: Statement[], service: string): string[] {
  return [...new Set(statements.filter((s) => s.Effect === "Allow").flatMap(actionsOf).filter((a) => a.startsWith(`${service}:`)))].sort();
}
