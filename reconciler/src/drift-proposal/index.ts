export { adoptDrift } from "./adopt.ts";
export type { Adoption, AdoptionInput } from "./types.ts";
