import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AUTHENTICATION_ERRORS, MANAGEMENT_ERRORS, REGISTRATION_ERRORS } from "../../../src/domain/ceremonies/errors.js";
import { ERRORS, errorSpec } from "../../../src/handlers/http/errors.js";
import { API_ROUTES } from "../../support/kit.js";

const codes = Object.keys(ERRORS) as (keyof typeof ERRORS)[];

describe("the error table", () => {
  it("has snake_case codes, a status and a sentence for each", () => {
    for (const code of codes) {
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(ERRORS[code].status).toBeGreaterThanOrEqual(400);
      expect(ERRORS[code].message).toMatch(/^[A-Za-z].*\.$/);
    }
  });

  it("maps every registration failure", () => {
    for (const code of REGISTRATION_ERRORS) expect(codes).toContain(code);
  });

  it("maps every failure of the passkeys' and the account's management", () => {
    for (const code of MANAGEMENT_ERRORS) expect(codes).toContain(code);
  });

  it("answers 401 only for who-is-calling failures, 403 for the wrong caller, 404 for what the caller does not have, 409 for conflicts, 5xx only for retry-later and bugs", () => {
    const byStatus = (status: number) => codes.filter((code) => ERRORS[code].status === status).sort();
    expect(byStatus(401)).toEqual(
      [
        "credential_disabled",
        "credential_not_found",
        "reauthentication_required",
        "refresh_token_invalid",
        "sign_in_failed",
        "sign_in_session_invalid",
        "token_audience_mismatch",
        "token_expired",
        "token_issuer_mismatch",
        "token_malformed",
        "token_missing",
        "token_not_id_token",
        "token_not_yet_valid",
        "token_signature_invalid",
      ].sort(),
    );
    // 403: who is calling is known, and it is not the user this belongs to.
    expect(byStatus(403)).toEqual(["registration_identity_mismatch"]);
    // 404: the signed-in user has no such passkey or account; another user's passkey is not told apart.
    expect(byStatus(404)).toEqual(["account_not_found", "not_found", "passkey_not_found"]);
    expect(byStatus(409)).toEqual(["credential_already_registered", "last_credential", "name_taken", "user_already_exists", "username_taken"]);
    expect(byStatus(429)).toEqual(["too_many_requests"]);
    expect(byStatus(500)).toEqual(["internal_error"]);
    expect(byStatus(503)).toEqual(["identity_provider_unavailable", "storage_unavailable", "user_creation_failed"]);
  });

  it("turns an unknown code into internal_error", () => {
    expect(errorSpec("no_such_code").code).toBe("internal_error");
    expect(errorSpec("toString").code).toBe("internal_error");
    expect(errorSpec("session_expired")).toEqual({ code: "session_expired", spec: ERRORS.session_expired });
  });

  it("does not answer with the ceremony's authentication codes: the identity provider reduces them to sign_in_failed", () => {
    // Except the two that finish answers itself before the provider is asked: a passkey nobody has, and
    // a disabled one (told only to whoever signed with it).
    const answeredByFinish: readonly string[] = ["credential_not_found", "credential_disabled"];
    const onlyAuthentication = AUTHENTICATION_ERRORS.filter((code) => !(REGISTRATION_ERRORS as readonly string[]).includes(code) && !answeredByFinish.includes(code));
    expect(onlyAuthentication).toContain("signature_invalid");
    for (const code of onlyAuthentication) expect(codes).not.toContain(code);
    for (const code of answeredByFinish) expect(ERRORS).toHaveProperty(code);
  });
});

describe("the API documents", () => {
  const api = readFileSync(new URL("../../../docs/api.md", import.meta.url), "utf8");
  const openapi = readFileSync(new URL("../../../docs/openapi.yaml", import.meta.url), "utf8");

  it.each(codes)("docs/api.md gives %s with its status", (code) => {
    expect(api).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${ERRORS[code].status}\\s*\\|`));
  });

  it.each(codes)("docs/openapi.yaml lists %s", (code) => {
    expect(openapi).toMatch(new RegExp(`- ${code}$`, "m"));
  });

  it.each(API_ROUTES.map((route) => `${route.method} ${route.path}`))("docs/api.md has a section for %s", (route) => {
    expect(api).toContain(`### \`${route}\``);
  });

  it("docs/openapi.yaml describes exactly the API's routes, asking for an ID token where the route does", () => {
    const paths = openapi.slice(openapi.indexOf("\npaths:\n"), openapi.indexOf("\ncomponents:\n"));
    const operations = paths.split(/^(?= {2}\/)/m).slice(1).map((section) => ({
      path: /^ {2}(\S+):$/m.exec(section)?.[1],
      methods: [...section.matchAll(/^ {4}(get|post|put|patch|delete):$/gm)].map((match) => match[1]!.toUpperCase()),
      bearer: /^ {6}security:\n {8}- idToken: \[\]$/m.test(section),
    }));
    const byPath = (a: { path?: string }, b: { path?: string }) => (a.path ?? "").localeCompare(b.path ?? "");
    // OpenAPI groups a path's operations under it; every operation of a path here needs a token or none does.
    const expected = [...new Set(API_ROUTES.map((route) => route.path))].map((path) => {
      const routes = API_ROUTES.filter((route) => route.path === path);
      return { path, methods: routes.map((route) => route.method).sort(), bearer: routes.some((route) => route.bearer) };
    });
    const sorted = operations.map((operation) => ({ ...operation, methods: [...operation.methods].sort() }));
    expect(sorted.sort(byPath)).toEqual(expected.sort(byPath));
  });
});
