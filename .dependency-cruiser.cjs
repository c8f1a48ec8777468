/**
 * The hexagon's dependency rule (docs/adr/0001-hexagonal-layout-and-dependency-rule.md):
 * dependencies point inward. The domain and the ports know nothing of adapters, shells,
 * AWS, inversify or Node; they must run unchanged in Deno, Bun, Workers and browsers.
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
      to: { path: "(^|node_modules/)(@aws-sdk|@smithy|inversify|@inversifyjs|hono)(/|$)" },
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
