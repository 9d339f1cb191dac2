/**
 * Drift triage as a pull request, end to end: real runner, git, Prosody and simulated switches; the
 * fake GitHub with signed webhooks. A drift episode is proposed as one PR that adopts the live config
 * (its plan changes nothing), updated on further drift, adopted by merge, reverted by closing or by
 * `/reconciler heal`, and closed when the drift disappears.
 */
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BRANCH, commentEvent, example, type Harness, REPO, startHarness } from "../github/harness.ts";
import { type FabricLab, startFabricLab } from "../support/fabric-lab.ts";

let lab: FabricLab;
let h: Harness;
const head = async () => (await simpleGit(lab.repo).revparse(["main"])).trim();

beforeAll(async () => {
  lab = await startFabricLab();
  h = await startHarness({
    runner: lab.runner(),
    workflow: {},
    headOf: head,
    driftProposals: { source: lab.repo },
  });
  h.fake.repo(REPO).roles.set("alice", "write");
  h.fake.repo(REPO).roles.set("olga", "admin");
}, 60_000);
afterAll(async () => {
  await h?.close();
  await lab?.cleanup();
});
// No reset between tests: once the first merges its proposal, main holds more than the lab's start.

const openProposals = () => [...h.fake.repo(REPO).pulls.values()].filter((p) => p.state === "open");
const comments = (pull: number) => (h.fake.repo(REPO).comments.get(pull) ?? []).map((c) => c.body ?? "");
async function checkDrift(): Promise<void> {
  h.service.requestDriftCheck();
  await h.service.queue.idle();
}
async function close(pull: number, merged: boolean, by: string): Promise<void> {
  const event = example("pull_request", (p) => p.action === "closed");
  event.number = pull;
  event.pull_request.number = pull;
  event.pull_request.base.ref = BRANCH;
  event.pull_request.merged = merged;
  event.sender.login = by;
  h.fake.repo(REPO).pulls.get(pull)!.state = "closed";
  expect((await h.deliver("pull_request", event)).status).toBe(202);
  await h.service.queue.idle();
}
const branchFile = async (branch: string, file: string) => simpleGit(lab.repo).show([`${branch}:${file}`]);
/** The plan of the proposal's head: it changes nothing on the switches. */
async function expectPlanChangesNothing(pull: { headRef: string }): Promise<void> {
  const sha = (await simpleGit(lab.repo).revparse([pull.headRef])).trim();
  const planned = await lab.runner().plan({ trigger: "cli", rev: sha });
  expect(planned.ok && planned.plan.summary).toMatchObject({ changed: 0, errors: 0 });
}
/** Merges the proposal by alice and delivers the push of main, as GitHub would, then waits for the run. */
async function mergeAndPush(pull: { number: number; headRef: string }): Promise<void> {
  await simpleGit(lab.repo).merge(["--ff-only", pull.headRef]);
  await close(pull.number, true, "alice");
  const push = example("push", (p) => p.ref === "refs/heads/master");
  push.after = await head();
  await h.deliver("push", push);
  await h.service.queue.idle();
}

describe("a drift episode as a pull request", () => {
  it("is proposed once, updated on further drift, and adopted by merge", async () => {
    lab.lab.fleet.get("leaf2").drift(["vlan 3999", "   name out-of-band"]);
    await checkDrift();
    expect(openProposals()).toHaveLength(1);
    const pull = openProposals()[0]!;
    expect(pull.headRef).toMatch(/^reconciler\/drift-/);
    expect(pull.title).toBe("Adopt live config drift on leaf2");
    expect(pull.body).toContain("| leaf2 | `devices/leaf2.yaml` |");
    expect(await branchFile(pull.headRef, "devices/leaf2.yaml")).toMatch(/vlan 3999\n\s+name out-of-band/);
    // The proposal's plan changes nothing on the switches.
    await expectPlanChangesNothing(pull);

    // The same drift seen again changes nothing; more drift updates the same PR.
    const patches = () =>
      h.fake.requests.filter((r) => r.method === "PATCH" && r.path.includes("/pulls/")).length;
    await checkDrift();
    expect(patches()).toBe(0);
    lab.lab.fleet.get("leaf1").drift(["vlan 3998", "   name lab"]);
    await checkDrift();
    expect(openProposals().map((p) => p.number)).toEqual([pull.number]);
    expect(patches()).toBe(1);
    expect(h.fake.repo(REPO).pulls.get(pull.number)!.title).toBe("Adopt live config drift on leaf1, leaf2");
    expect(await branchFile(pull.headRef, "devices/leaf1.yaml")).toContain("vlan 3998");

    // Merged: main now says what the switches run.
    await mergeAndPush(pull);
    expect(comments(pull.number).at(-1)).toContain("Merged: git now says what the switches run");
    expect(lab.lab.fleet.get("leaf2").runningConfig()).toContain("vlan 3999");
    await checkDrift();
    expect(openProposals()).toEqual([]);
  });

  it("is reverted by closing unmerged: not for a writer without selfHeal, yes for an admin", async () => {
    const leaf2 = () => lab.lab.fleet.get("leaf2").runningConfig();
    lab.lab.fleet.get("leaf2").drift(["vlan 3997", "   name temporary"]);
    await checkDrift();
    const first = openProposals()[0]!;
    await close(first.number, false, "alice");
    expect(comments(first.number).at(-1)).toContain(
      "the switches are not healed: `drift.selfHeal` is off and @alice is no admin",
    );
    expect(leaf2()).toContain("vlan 3997");

    await checkDrift();
    const second = openProposals()[0]!;
    expect(second.number).not.toBe(first.number);
    await close(second.number, false, "olga");
    expect(comments(second.number).at(-1)).toContain(
      "Closed without merging: the switches go back to `master`",
    );
    expect(leaf2()).not.toContain("vlan 3997");
    await checkDrift();
    expect(openProposals()).toEqual([]);
  });

  it("is reverted by an admin's /reconciler heal, and refused to a writer", async () => {
    lab.lab.fleet.get("leaf3").drift(["vlan 3996", "   name temporary"]);
    await checkDrift();
    const pull = openProposals()[0]!;
    const say = async (body: string, login: string) => {
      expect((await h.deliver("issue_comment", commentEvent(pull.number, body, login))).status).toBe(202);
      await h.service.queue.idle();
    };
    await say("/reconciler heal", "alice");
    expect(comments(pull.number).at(-1)).toContain(
      "@alice cannot heal: `drift.selfHeal` is off, and healing then needs an admin.",
    );
    expect(lab.lab.fleet.get("leaf3").runningConfig()).toContain("vlan 3996");
    await say("/reconciler heal", "olga");
    expect(lab.lab.fleet.get("leaf3").runningConfig()).not.toContain("vlan 3996");
    expect(h.fake.repo(REPO).pulls.get(pull.number)!.state).toBe("closed");
    expect(comments(pull.number).at(-1)).toContain("@olga chose to heal");
    // The heal is applied within the command's run: its page has the apply's report.
    const run = h.service.recent.list()[0]!;
    expect(run).toMatchObject({ kind: "command", trigger: "comment", outcome: "succeeded" });
    expect(comments(pull.number).at(-1)).toContain(`run \`${run.id}\``);
    const page = await (await fetch(`${h.service.url}/runs/${run.id}`)).text();
    expect(page).toContain("Plan for fabric");
    expect(page).toContain('href="../switches/leaf3"');
  });

  it("is closed with a comment when the drift disappears", async () => {
    lab.lab.fleet.get("spine1").drift(["vlan 3995", "   name temporary"]);
    await checkDrift();
    const pull = openProposals()[0]!;
    lab.lab.fleet.get("spine1").drift(["no vlan 3995"]);
    await checkDrift();
    expect(h.fake.repo(REPO).pulls.get(pull.number)!.state).toBe("closed");
    expect(comments(pull.number).at(-1)).toContain("The drift this PR adopted is gone");
  });

  it("adopts a line the baseline gives and the switch lost as a remove: entry; merging changes nothing", async () => {
    const leaf3 = lab.lab.fleet.get("leaf3");
    leaf3.setRunningConfig(leaf3.runningConfig().replace("ntp server 10.250.0.11 iburst\n", ""));
    await checkDrift();
    expect(openProposals()).toHaveLength(1);
    const pull = openProposals()[0]!;
    expect(pull.body).toContain("| leaf3 | `devices/leaf3.yaml` |");
    expect(pull.body).not.toContain("Not adopted");
    expect(await branchFile(pull.headRef, "devices/leaf3.yaml")).toContain(
      "\nremove:\n  - ntp server $" + "{ntp_secondary} iburst\n",
    );
    await expectPlanChangesNothing(pull);

    // Merged and applied: the switch keeps running without the line, and the episode is over.
    await mergeAndPush(pull);
    expect(leaf3.runningConfig()).not.toContain("ntp server 10.250.0.11");
    expect(leaf3.runningConfig()).toContain("ntp server 10.250.0.10 prefer iburst");
    await checkDrift();
    expect(openProposals()).toEqual([]);
  });

  it("adopts a line a group's section gives and the switch lost as an entry naming it; merging changes nothing", async () => {
    const leaf4 = lab.lab.fleet.get("leaf4");
    const before = leaf4.runningConfig();
    const lost = before.replace(/(\ninterface Ethernet3\n(?: {3}.*\n)*?) {3}spanning-tree portfast\n/, "$1");
    expect(lost).not.toBe(before);
    leaf4.setRunningConfig(lost);
    await checkDrift();
    expect(openProposals()).toHaveLength(1);
    const pull = openProposals()[0]!;
    expect(pull.body).toContain("| leaf4 | `devices/leaf4.yaml` |");
    expect(pull.body).not.toContain("Not adopted");
    // The entry goes before config: and its comment; the section's other lines stay the group's.
    const file = await branchFile(pull.headRef, "devices/leaf4.yaml");
    expect(file).toContain(
      "\nremove:\n  - interface Ethernet3: [spanning-tree portfast]\n\n# leaf4's Ethernet4",
    );
    expect(file).not.toContain("interface Ethernet3\n");
    await expectPlanChangesNothing(pull);

    // Merged and applied: the switch keeps its Ethernet3 without the line, and the episode is over.
    await mergeAndPush(pull);
    expect(leaf4.runningConfig()).toMatch(
      /\ninterface Ethernet3\n {3}description server access \(SERVERS\)\n {3}switchport access vlan 10\n!/,
    );
    await checkDrift();
    expect(openProposals()).toEqual([]);
  });
});
