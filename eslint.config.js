import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "test/architecture/fixtures/**", "dist/**", "cdk.out/**", "coverage/**", "public/vendor/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // CommonJS tool configuration (dependency-cruiser reads .cjs).
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } },
  },
  {
    // The environment is read in one place (ADR 0007): the composition, which the entry points hand it to.
    files: ["src/**/*.ts"],
    ignores: ["src/composition/**", "src/main/**"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration in src/composition (parseConfig); entry points pass process.env to it." }],
    },
  },
  {
    // The domain reads as the specification's steps: the parsers' types say what has been checked, so no `!` is needed (ADR 0005).
    files: ["src/domain/**/*.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "error" },
  },
  {
    // Time and randomness are ports (ADR 0002): the domain never reads the wall clock or a global RNG.
    files: ["src/domain/**/*.ts", "src/ports/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: "Use the Clock port." },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Use the Clock port." },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: "Use the RandomSource port." },
        { selector: "MemberExpression[property.name='getRandomValues']", message: "Use the RandomSource port." },
        { selector: "MemberExpression[property.name='randomUUID']", message: "Use the RandomSource port." },
      ],
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["node:*"], message: "The domain is runtime-agnostic." }, { group: ["@aws-sdk/*", "inversify", "hono", "hono/*"], message: "The domain knows no AWS, DI or HTTP." }, { group: ["**/adapters/**", "**/handlers/**", "**/composition/**"], message: "Dependencies point inward." }] },
      ],
    },
  },
);
