export {
  type DesiredState,
  type FabricSource,
  type GitSourceOptions,
  gitSource,
  SourceError,
} from "./git-source.ts";
