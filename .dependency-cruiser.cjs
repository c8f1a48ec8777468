/**
 * The hexagon's dependency rule (docs/adr/0001-hexagonal-layout-and-dependency-rule.md, and the layers
 * of docs/adr/0013-layout-and-arrows.md): dependencies point one way,
 *   entry points (src/main) → composition → handlers and adapters → ports and domain.
 * The package's entry points (src/entry, ADR 0021) sit beside src/main: they re-export from any layer,
 * and nothing imports them.
 * The domain and the ports know nothing of adapters, shells, AWS, inversify or Node; they must run
 * unchanged in Deno, Bun, Workers and browsers. Each rule has a fixture file under
 * test/architecture/fixtures/violations that breaks it, and a test that sees it flagged.
 */
module.exports = {
  forbidden: [
    {
      name: "domain-imports-no-outer-layer",
      severity: "error",
      comment: "src/domain may import only src/domain, src/ports and runtime-agnostic parsing libraries.",
      from: { path: "^src/(domain|ports)/" },
      to: { path: "^src/(adapters|handlers|composition)/" },
    },
    {
      name: "domain-imports-no-aws-sdk-or-di",
      severity: "error",
      from: { path: "^src/(domain|ports)/" },
      to: { path: "(^|node_modules/)(@aws-sdk|@smithy|inversify|@inversifyjs|hono|jose|aws-jwt-verify)(/|$)" },
    },
    {
      name: "domain-imports-no-node-builtins",
      severity: "error",
      from: { path: "^src/(domain|ports)/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "ports-import-no-domain-services",
      severity: "error",
      comment: "Ports describe what the domain needs; they may use domain value types but not services.",
      from: { path: "^src/ports/" },
      to: { path: "^src/domain/.*(ceremony|state-machine)" },
    },
    {
      name: "handlers-import-no-composition",
      severity: "error",
      comment: "Shells are given what they call; the composition chooses it. A handler that imported the composition would wire itself.",
      from: { path: "^src/handlers/" },
      to: { path: "^src/(composition|main)/" },
    },
    {
      name: "adapters-import-no-handlers-or-composition",
      severity: "error",
      comment: "An adapter implements a port; what it calls back (the local identity provider's triggers) comes through its constructor.",
      from: { path: "^src/adapters/" },
      to: { path: "^src/(handlers|composition|main)/" },
    },
    {
      name: "only-entry-points-are-entry-points",
      severity: "error",
      comment: "src/main holds the programs (the local server, the Lambda functions); nothing inside keyport imports a program.",
      from: { path: "^src/(domain|ports|adapters|handlers|composition)/" },
      to: { path: "^src/main/" },
    },
    {
      name: "package-entry-points-are-not-imported",
      severity: "error",
      comment: "src/entry is the package's public surface (ADR 0021): it re-exports the layers, so a layer that imported it would import itself through the back door.",
      from: { path: "^src/(domain|ports|adapters|handlers|composition|main|client)/" },
      to: { path: "^src/entry/" },
    },
    {
      name: "neutral-entry-points-reach-no-node-builtins",
      severity: "error",
      comment:
        "`keyport` and `keyport/http` run on any runtime with WebCrypto (ADR 0021): nothing they reach, however indirectly, may import a Node built-in. test/package proves it again on the packed package with esbuild.",
      from: { path: "^src/entry/(index|http)[.]ts$" },
      to: { reachable: true, path: "^node:|^(assert|buffer|child_process|crypto|dns|events|fs|fs/promises|http|http2|https|module|net|os|path|process|stream|tls|url|util|worker_threads|zlib)$" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
