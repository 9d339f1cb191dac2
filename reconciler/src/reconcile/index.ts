export { ExitCode } from "./exit-codes.ts";
export {
  type ConcreteRunner,
  createFabricRunner,
  type OpenChannel,
  type RunnerDeps,
  type RunnerEvent,
} from "./fabric-runner.ts";
export * from "./types.ts";
