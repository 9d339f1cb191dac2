import type { DriftReport } from "../drift/types.ts";
import {
  type Adoption,
  adoptionFingerprint,
  type EpisodeStore,
  type ProposalBranch,
  proposalBody,
  proposalTitle,
} from "../drift-proposal/index.ts";
import type { ProposalPulls } from "../github/index.ts";
import { hasPermission, type Permission } from "../pr-workflow/index.ts";
import type { CommandRun, FollowUp } from "./command-jobs.ts";
import type { Job, RequestResult } from "./run-queue.ts";

export interface DriftProposalOptions {
  pulls: ProposalPulls;
  branch: ProposalBranch;
  episodes: EpisodeStore;
  redact: (text: string) => string;
  /** The tracked branch: proposals are based on its head and opened against it. */
  baseBranch: string;
  headOf: () => Promise<string>;
  /** fabric drift.selfHeal: closing a proposal heals without asking who closed it. */
  selfHeal: boolean;
  permissionOf: (login: string) => Promise<Permission>;
  request: (job: Job) => RequestResult;
}

export interface DriftProposals {
  /** After a drift check: open, update or close the episode's PR. */
  afterDrift(report: DriftReport, adoption: Adoption | undefined, run: CommandRun): Promise<void>;
  isProposal(pullNumber: number): Promise<boolean>;
  /** The proposal PR was merged (adopted) or closed unmerged (heal, where allowed). */
  closed(pullNumber: number, merged: boolean, by: string | undefined, run: CommandRun): Promise<void>;
  /** `/reconciler heal` on the proposal PR: the refusal, or "" when `apply` healed (the run's report). */
  heal(pullNumber: number, by: string, run: CommandRun, apply: FollowUp): Promise<string>;
}

/**
 * Drift triage as a pull request: one PR per drift episode that adopts the live config into git.
 * Further drift updates it (a new commit on its branch, a new description); when the drift is gone it
 * is closed with a comment. Merging adopts; closing it unmerged, or `/reconciler heal`, puts the
 * switches back to git through the normal rollout (an apply of the tracked branch head).
 */
export function createDriftProposals(options: DriftProposalOptions): DriftProposals {
  const { pulls, episodes } = options;

  const mayHeal = async (by: string | undefined) =>
    options.selfHeal || (by !== undefined && hasPermission(await options.permissionOf(by), "admin"));

  const revert = async () => {
    const sha = await options.headOf();
    return { sha, queued: options.request({ kind: "apply", trigger: "pull-request", sha, force: true }) };
  };

  return {
    async afterDrift(report, adoption, run) {
      const episode = await episodes.current();
      const drifted = report.devices.some((d) => d.status === "drifted");
      if (!drifted) {
        if (!episode) return;
        await run.report("close drift proposal", () =>
          pulls.close(
            episode.pullNumber,
            `The drift this PR adopted is gone (run \`${report.runId}\`): the switches match git again. Closing.`,
          ),
        );
        await episodes.clear();
        return;
      }
      if (!adoption || adoption.adopted.length === 0) return;
      const fingerprint = adoptionFingerprint(adoption);
      if (episode?.fingerprint === fingerprint) return;
      const base = await options.headOf();
      const branch = episode?.branch ?? `reconciler/drift-${report.runId}`;
      const message = `${proposalTitle(adoption)}\n\nWritten by the reconciler from drift run ${report.runId}.`;
      await options.branch.push(base, branch, adoption.edits, message);
      const title = proposalTitle(adoption);
      const body = proposalBody(adoption, report, options.redact);
      let pullNumber = episode?.pullNumber;
      if (episode)
        await run.report("update drift proposal", () => pulls.update(episode.pullNumber, title, body));
      else pullNumber = await run.report("open drift proposal", () => pulls.open(branch, title, body));
      if (pullNumber === undefined) return;
      await episodes.save({
        pullNumber,
        branch,
        fingerprint,
        devices: adoption.adopted.map((a) => a.device),
        since: episode?.since ?? report.checkedAt,
      });
      run.log.info({ pullNumber, branch }, episode ? "drift proposal updated" : "drift proposal opened");
    },

    isProposal: async (pullNumber) => (await episodes.current())?.pullNumber === pullNumber,

    async closed(pullNumber, merged, by, run) {
      await episodes.clear();
      if (merged) {
        await run.report("comment", () =>
          pulls.comment(pullNumber, "Merged: git now says what the switches run; the drift is adopted."),
        );
        return;
      }
      if (!(await mayHeal(by))) {
        await run.report("comment", () =>
          pulls.comment(
            pullNumber,
            `Closed without merging, but the switches are not healed: \`drift.selfHeal\` is off and @${by ?? "someone"} is no admin. An admin can apply \`${options.baseBranch}\` (\`/reconciler apply\` on a merged PR) to put them back to git.`,
          ),
        );
        return;
      }
      const { sha, queued } = await revert();
      await run.report("comment", () =>
        pulls.comment(
          pullNumber,
          `Closed without merging: the switches go back to \`${options.baseBranch}\` (${sha.slice(0, 7)}) through the normal rollout (${queued}).`,
        ),
      );
    },

    async heal(pullNumber, by, run, apply) {
      if (!(await episodes.current()) || (await episodes.current())?.pullNumber !== pullNumber)
        return "`/reconciler heal` works on the reconciler's drift proposal PR only.";
      if (!(await mayHeal(by)))
        return `@${by} cannot heal: \`drift.selfHeal\` is off, and healing then needs an admin.`;
      const sha = await options.headOf();
      await episodes.clear();
      await run.report("close drift proposal", () =>
        pulls.close(
          pullNumber,
          `@${by} chose to heal: the switches go back to \`${options.baseBranch}\` (${sha.slice(0, 7)}) through the normal rollout (run \`${run.id}\`). Closing this proposal.`,
        ),
      );
      await apply({ kind: "apply", trigger: "comment", sha, force: true });
      return "";
    },
  };
}
