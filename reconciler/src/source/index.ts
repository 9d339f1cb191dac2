export { type DesiredState, type FabricSource, gitSource, type GitSourceOptions, SourceError } from "./git-source.ts";
