/**
 * The CDK app. Settings come from context (`-c rpId=… -c origins=…`, or cdk.json's "context"), so
 * the same code deploys any site. The stack is environment-agnostic and does no lookups: `cdk synth`
 * needs no AWS credentials, and `cdk deploy` takes the account and region from the caller's profile.
 *
 * It says what it did (synth-report.ts): the template's place and the stack's outputs, a warning while
 * rpId is the placeholder, and a bad setting as one line with a non-zero exit instead of a stack trace.
 */
import { App } from "aws-cdk-lib";
import { readKeyportContext } from "../lib/context.js";
import { KeyportStack } from "../lib/keyport-stack.js";
import { badSettingLine, synthReport } from "../lib/synth-report.js";

// Synthesised below, explicitly: App's automatic synth at exit would write a half-built stack after a bad setting.
const app = new App({ autoSynth: false });
try {
  const { stackName, passkeys } = readKeyportContext((key) => app.node.tryGetContext(key) as unknown);
  const stack = new KeyportStack(app, stackName, { passkeys, description: "keyport: passkey sign-in for Amazon Cognito" });
  const artifact = app.synth().getStackArtifact(stack.artifactId);
  const report = synthReport({
    stackName,
    templateFile: artifact.templateFullPath,
    outputs: (artifact.template as { Outputs?: Record<string, { Description?: string }> }).Outputs ?? {},
    rpId: passkeys.rpId,
    origins: passkeys.allowedOrigins,
    cwd: process.cwd(),
  });
  for (const line of report) console.error(line);
} catch (error) {
  const line = badSettingLine(error);
  if (line === null) throw error;
  console.error(line);
  // Not process.exit(): what is already written to stderr must reach the CDK CLI.
  process.exitCode = 1;
}
