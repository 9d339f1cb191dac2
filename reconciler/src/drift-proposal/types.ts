/** Adopting drift into git: the file edits that make git say what the switches run. */

export interface AdoptionInput {
  /** The desired-state repo's files at the revision drift was found against (readFabricRepo). */
  files: Record<string, string>;
  /** The running config of each drifted switch, as observed. */
  running: Map<string, string>;
}

export interface Adoption {
  /** Repo path → its new text; only files that change. */
  edits: Record<string, string>;
  /** Each adopted switch and the file its drifting lines were written into. */
  adopted: { device: string; file: string }[];
  /** Switches whose drift git cannot say as it stands, and why (they are left to heal or to a person). */
  notAdopted: { device: string; why: string }[];
}
