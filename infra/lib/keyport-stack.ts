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

    new CfnOutput(this, "ApiUrl", { description: "keyport API base URL (the demo page's keyport-api meta tag)", value: this.passkeys.apiUrl });
    new CfnOutput(this, "UserPoolId", { value: this.passkeys.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { value: this.passkeys.userPoolClient.userPoolClientId });
    // What `npm run events` needs to read a trail from the deployed tables (CREDENTIAL_TABLE finds the user by name).
    new CfnOutput(this, "CredentialTableName", { description: "CREDENTIAL_TABLE for npm run events", value: this.passkeys.credentialTable.tableName });
    new CfnOutput(this, "EventTableName", { description: "EVENT_TABLE for npm run events: the users' security activity", value: this.passkeys.eventTable.tableName });
    new CfnOutput(this, "DashboardName", { description: "CloudWatch dashboard of the ceremonies", value: this.passkeys.dashboard.dashboardName });
    if (props.passkeys.existingUserPool !== undefined) {
      // CloudFormation cannot set triggers on a pool it does not manage: these go into the pool by hand.
      const triggers = this.passkeys.triggerFunctions;
      new CfnOutput(this, "DefineAuthChallengeFunctionArn", { value: triggers.defineAuthChallenge.functionArn });
      new CfnOutput(this, "CreateAuthChallengeFunctionArn", { value: triggers.createAuthChallenge.functionArn });
      new CfnOutput(this, "VerifyAuthChallengeResponseFunctionArn", { value: triggers.verifyAuthChallengeResponse.functionArn });
    }
  }
}
