/**
 * Cognito's default password policy, which the local user pool applies at SignUp: at least 8
 * characters, with an upper-case letter, a lower-case letter, a digit and a symbol. Cognito counts
 * only the Basic Latin letters and digits, and as symbols the characters below and an inner space.
 * A password outside the API's own constraints (1–256 characters, no white space at either end) is
 * refused before the policy is read, as Cognito refuses it: InvalidParameterException, not
 * InvalidPasswordException.
 */

/** The symbols Cognito's policy counts (its documentation's list), and a space that is not at either end. */
const SYMBOLS = new Set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ");

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

/** Why a password is refused, in Cognito's words, or null when it is acceptable. */
export type PasswordRefusal =
  | { readonly type: "InvalidParameterException"; readonly message: string }
  | { readonly type: "InvalidPasswordException"; readonly message: string };

const policy = (problem: string): PasswordRefusal => ({ type: "InvalidPasswordException", message: `Password did not conform with policy: ${problem}` });

export function checkPassword(password: string): PasswordRefusal | null {
  if (password.length < 1 || password.length > MAX_PASSWORD_LENGTH) {
    return { type: "InvalidParameterException", message: `1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length between 1 and ${MAX_PASSWORD_LENGTH}` };
  }
  if (!/^\S(.*\S)?$/su.test(password)) {
    return { type: "InvalidParameterException", message: "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$" };
  }
  if ([...password].length < MIN_PASSWORD_LENGTH) return policy("Password not long enough");
  if (!/[a-z]/.test(password)) return policy("Password must have lowercase characters");
  if (!/[A-Z]/.test(password)) return policy("Password must have uppercase characters");
  if (!/[0-9]/.test(password)) return policy("Password must have numeric characters");
  if (![...password].some((c) => SYMBOLS.has(c))) return policy("Password must have symbol characters");
  return null;
}
