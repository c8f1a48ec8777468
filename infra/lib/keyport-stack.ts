/** The deployable stack: keyport's construct and the outputs a deployer needs to wire a page to it. */
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { KeyportPasskeys, type KeyportPasskeysProps } from "./keyport-passkeys.js";

export interface KeyportStackProps extends StackProps {
  /** Everything keyport is configured with; see {@link KeyportPasskeysProps}. */
  readonly passkeys: KeyportPasskeysProps;
}

export class KeyportStack extends Stack {
  readonly passkeys: KeyportPasskeys;

  constructor(scope: Construct, id: string, props: KeyportStackProps) {
    super(scope, id, props);
    this.passkeys = new KeyportPasskeys(this, "Passkeys", props.passkeys);

    // Each output says what it is for: `npm run synth` lists them with these descriptions before a deployment.
    new CfnOutput(this, "ApiUrl", {
      description: "keyport API base URL: the demo page's keyport-api meta tag (npm run build:site -- --api <ApiUrl>)",
      value: this.passkeys.apiUrl,
    });
    new CfnOutput(this, "UserPoolId", { description: "Cognito user pool of keyport's users (COGNITO_USER_POOL_ID)", value: this.passkeys.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { description: "Cognito app client keyport signs users in with (COGNITO_CLIENT_ID)", value: this.passkeys.userPoolClient.userPoolClientId });
    // What `npm run events` needs to read a trail from the deployed tables (CREDENTIAL_TABLE finds the user by name).
    new CfnOutput(this, "CredentialTableName", { description: "CREDENTIAL_TABLE for npm run events", value: this.passkeys.credentialTable.tableName });
    new CfnOutput(this, "EventTableName", { description: "EVENT_TABLE for npm run events: the users' security activity", value: this.passkeys.eventTable.tableName });
    new CfnOutput(this, "DashboardName", { description: "CloudWatch dashboard of the ceremonies", value: this.passkeys.dashboard.dashboardName });
    if (this.passkeys.metadata !== undefined) {
      new CfnOutput(this, "MetadataRefreshFunctionName", {
        description: "FIDO metadata refresh: invoke it once after the first deployment (aws lambda invoke --function-name <name> out.json), so the first snapshot need not wait for the schedule",
        value: this.passkeys.metadata.refreshFunction.functionName,
      });
    }
    if (props.passkeys.existingUserPool !== undefined) {
      // CloudFormation cannot set triggers on a pool it does not manage: these go into the pool by hand.
      const triggers = this.passkeys.triggerFunctions;
      const trigger = (name: string) => `the function to set by hand as the existing user pool's ${name} trigger`;
      new CfnOutput(this, "DefineAuthChallengeFunctionArn", { description: trigger("Define auth challenge"), value: triggers.defineAuthChallenge.functionArn });
      new CfnOutput(this, "CreateAuthChallengeFunctionArn", { description: trigger("Create auth challenge"), value: triggers.createAuthChallenge.functionArn });
      new CfnOutput(this, "VerifyAuthChallengeResponseFunctionArn", { description: trigger("Verify auth challenge response"), value: triggers.verifyAuthChallengeResponse.functionArn });
    }
  }
}
