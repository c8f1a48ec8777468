import { App, Duration, Stack } from "aws-cdk-lib";
import { UserPool } from "aws-cdk-lib/aws-cognito";
import { describe, expect, it } from "vitest";
import { readKeyportContext } from "../../infra/lib/context.js";
import { KeyportStack } from "../../infra/lib/keyport-stack.js";
import { KeyportSettingError } from "../../infra/lib/setting-error.js";
import { badSettingLine, displayPath, placeholderWarning, synthReport } from "../../infra/lib/synth-report.js";
import { BASE_PROPS } from "./support/synth.js";

/** What the constructor throws, for the bad-setting line. */
function thrown(build: () => unknown): unknown {
  try {
    build();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("what npm run synth prints", () => {
  const summary = {
    stackName: "Shop",
    templateFile: "/work/shop/cdk.out/Shop.template.json",
    outputs: { ApiUrl: { Description: "the API" }, UserPoolId: { Description: "the\n  pool" } },
    rpId: "shop.example",
    origins: ["https://shop.example", "https://www.shop.example"],
    cwd: "/work/shop",
  };

  it("names the template relative to the project, the stack, the relying party, and each output with its description, aligned", () => {
    expect(synthReport(summary)).toEqual([
      "keyport: template cdk.out/Shop.template.json (stack Shop, rpId shop.example, origins https://shop.example, https://www.shop.example)",
      "keyport: outputs, once deployed (npm run deploy):",
      "  ApiUrl      the API",
      "  UserPoolId  the pool",
    ]);
  });

  it("gives a template outside the project by its absolute path", () => {
    expect(displayPath("/tmp/out/Shop.template.json", "/work/shop")).toBe("/tmp/out/Shop.template.json");
    expect(displayPath("/work/shop-other/Shop.template.json", "/work/shop")).toBe("/work/shop-other/Shop.template.json");
  });

  it("warns about the placeholder rpId only when it is the placeholder", () => {
    expect(placeholderWarning("shop.example")).toBeNull();
    expect(placeholderWarning("example.com")).toMatch(/^keyport: warning: rpId is still the placeholder example\.com/);
    expect(synthReport({ ...summary, rpId: "example.com" }).at(-1)).toBe(placeholderWarning("example.com"));
    expect(synthReport(summary).some((line) => line.includes("warning"))).toBe(false);
  });
});

describe("a bad setting", () => {
  it("from the context is a KeyportSettingError, shown as one line naming the key", () => {
    const error = thrown(() => readKeyportContext((key) => ({ eventRetentionDays: "90d" })[key]));
    expect(error).toBeInstanceOf(KeyportSettingError);
    expect(badSettingLine(error)).toBe('keyport: bad setting: context eventRetentionDays: expected a positive whole number, got "90d"');
  });

  it("refused by the construct is a KeyportSettingError, shown without the construct's own prefix", () => {
    const error = thrown(() => new KeyportStack(new App(), "Keyport", { passkeys: { ...BASE_PROPS, eventRetention: Duration.hours(36) } }));
    expect(error).toBeInstanceOf(KeyportSettingError);
    expect(badSettingLine(error)).toBe("keyport: bad setting: eventRetention must be whole days from 1 to 3650, got 1 day 12 hours");
  });

  it("refused by aws-cdk-lib's own validation (a token lifetime Cognito does not allow) is one line with the construct's path", () => {
    const error = thrown(() => new UserPool(new Stack(new App(), "Shop"), "Pool").addClient("Client", { refreshTokenValidity: Duration.days(5000) }));
    expect(badSettingLine(error)).toMatch(/^keyport: bad setting: refreshTokenValidity: .*5000 days.* \(Shop\/Pool\/Client\)$/);
  });

  it("is told apart from a fault, which keeps its stack trace", () => {
    expect(badSettingLine(new TypeError("undefined is not a function"))).toBeNull();
    expect(badSettingLine(new Error("keyport: entry point /x does not exist"))).toBeNull();
  });
});
