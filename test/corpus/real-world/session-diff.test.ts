/**
 * Verification by session diff (rollout/verify-reply.ts) on the real-world corpus: each pair's
 * remediation is typed into a config session of the simulator running the pair's running config; the
 * session's own `show session-config named S diffs`, fitted onto the running config as the plan saw it,
 * must give exactly the session's candidate config.
 */
import { describe, expect, it } from "vitest";
import { configDifference } from "../../../reconciler/sim/cli/compare.ts";
import { parseConfig as simParse } from "../../../reconciler/sim/index.ts";
import { parseConfig, remediate, scopeOfAll } from "../../../reconciler/src/eos/index.ts";
import { runningFromSessionDiff } from "../../../reconciler/src/rollout/verify-reply.ts";
import { configText, corpusSwitch, loadPairs } from "./judge.ts";

function sessionOf(runningText: string, commands: string[]) {
  const { cli } = corpusSwitch(runningText);
  const running = cli.run("show running-config");
  cli.run("configure session verify");
  for (let i = 0; i < commands.length; i++) cli.run(commands[i]!, commands[i + 1]);
  cli.run("end");
  return {
    running,
    diff: cli.run("show session-config named verify diffs"),
    candidate: cli.run("show session-config named verify"),
  };
}

describe("session diffs of the real-world corpus, fitted onto the running config the plan saw", () => {
  it("give each switch's candidate config, for every pair", () => {
    let fitted = 0;
    for (const pair of loadPairs()) {
      const runningText = configText(pair.running);
      const intendedText = configText(pair.intended);
      const running = parseConfig(runningText);
      const intended = parseConfig(intendedText);
      let commands: string[];
      try {
        commands = remediate(running, intended, scopeOfAll(running, intended)).commands;
      } catch {
        continue; // unplannable pairs are the corpus test's subject, not this one's
      }
      const session = sessionOf(runningText, commands);
      const reading = runningFromSessionDiff(session.diff, session.running);
      if (!reading.ok) throw new Error(`${pair.id}: ${reading.reason}`);
      expect(
        configDifference(simParse(reading.running), simParse(session.candidate)),
        pair.id,
      ).toBeUndefined();
      // A switch whose file heads the config differently (one comment line fewer) fits the same.
      const headed = runningFromSessionDiff(
        session.diff,
        `! Command: show running-config\n${session.running}`,
      );
      expect(
        headed.ok && configDifference(simParse(headed.running), simParse(session.candidate)),
        pair.id,
      ).toBeUndefined();
      fitted++;
    }
    expect(fitted).toBeGreaterThan(400);
  });
});
