/**
 * The first module of the conformance bundle: before any of keyport's modules is evaluated, it puts
 * a getter on `globalThis` for each of Node's globals (`Buffer`, `process`, `require`), whether the
 * runtime has them (Node, Deno, Bun) or not (workerd). Each read is recorded and then throws, so that
 * code that reaches for one, even behind a `typeof` check or a try/catch that swallows the throw,
 * shows up in the scenario's `node_globals_untouched` step. The getters stay for the life of the
 * process or isolate: the runners print with `console.log`, which reads none of them.
 */
const GUARDED = ["Buffer", "process", "require"] as const;

/** Every guarded read, in order: `name` and when (during module evaluation or a scenario run). */
export const touched: string[] = [];
/** Globals the runtime would not let us replace (a non-configurable property): the step fails on them. */
export const unguardable: string[] = [];
let phase = "load";

export function setPhase(name: string): void {
  phase = name;
}

for (const name of GUARDED) {
  const existing = Object.getOwnPropertyDescriptor(globalThis, name);
  if (existing !== undefined && existing.configurable !== true) {
    unguardable.push(name);
    continue;
  }
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: false,
    get() {
      touched.push(`${name} (${phase}) ${(new Error().stack ?? "").split("\n").slice(2, 5).join(" / ")}`);
      throw new Error(`keyport conformance: globalThis.${name} was read`);
    },
    set() {
      touched.push(`${name} (set, ${phase})`);
    },
  });
}
