export {
  createFabricStatus,
  type FabricStatus,
  type RunInfo,
  type SavedFabricStatus,
} from "./fabric-status.ts";
export * from "./types.ts";
