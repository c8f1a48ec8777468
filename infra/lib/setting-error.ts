/**
 * A setting keyport cannot be deployed with: a malformed CDK context value or a construct prop outside
 * its bounds. The message names the setting, the value and what is wrong in one line, so the CDK app
 * (infra/bin/keyport.ts) prints it as it is: a stack trace would only point into keyport's own checks.
 * Any other error is a fault, whose stack trace is wanted.
 */
export class KeyportSettingError extends Error {
  override readonly name = "KeyportSettingError";
}
