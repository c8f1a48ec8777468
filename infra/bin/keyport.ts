/**
 * The CDK app. Settings come from context (`-c rpId=… -c origins=…`, or cdk.json's "context"), so
 * the same code deploys any site. The stack is environment-agnostic and does no lookups: `cdk synth`
 * needs no AWS credentials, and `cdk deploy` takes the account and region from the caller's profile.
 */
import { App } from "aws-cdk-lib";
import { readKeyportContext } from "../lib/context.js";
import { KeyportStack } from "../lib/keyport-stack.js";

const app = new App();
const { stackName, passkeys } = readKeyportContext((key) => app.node.tryGetContext(key) as unknown);
new KeyportStack(app, stackName, { passkeys, description: "keyport: passkey sign-in for Amazon Cognito" });
app.synth();
