export { adoptDrift } from "./adopt.ts";
export { type DriftEpisode, type EpisodeStore, fileEpisodes } from "./episode-file.ts";
export { gitProposalBranch, type ProposalBranch } from "./git-branch.ts";
export { adoptionFingerprint, proposalBody, proposalTitle } from "./proposal-text.ts";
export type { Adoption, AdoptionInput } from "./types.ts";
