import { describe, expect, it } from "vitest";
import type { FreezeWindow } from "../../../reconciler/src/fabric/types.ts";
import {
  activeFreezes,
  decideFreeze,
  describeFreeze,
  fixedClock,
} from "../../../reconciler/src/freeze/index.ts";
import { minimalFiles } from "../../fixtures/fabric/minimal.ts";
import { errorsOf, validFabric, describe as where } from "../fabric/expect-validation.ts";

const at = { file: "fabric.yaml", line: 1, col: 1 };
const weekend: FreezeWindow = {
  name: "weekend",
  reason: "nobody on call for the core",
  timeZone: "Europe/Berlin",
  schedule: { kind: "cron", cron: "0 18 * * 5", durationMs: 62 * 3600_000 },
  position: at,
};
const yearEnd: FreezeWindow = {
  name: "year-end",
  reason: "year-end change freeze",
  timeZone: "America/New_York",
  schedule: { kind: "range", from: "2026-12-20", until: "2027-01-04T09:00" },
  position: at,
};

describe("freeze windows", () => {
  it("a cron window is in force from its start in its time zone for its duration", () => {
    // Friday 2026-11-27 18:00 in Berlin is 17:00 UTC (CET, +01:00).
    expect(activeFreezes([weekend], new Date("2026-11-27T16:59:00Z"))).toEqual([]);
    const [active] = activeFreezes([weekend], new Date("2026-11-27T17:00:00Z"));
    expect(active?.startedAt.toISOString()).toBe("2026-11-27T17:00:00.000Z");
    expect(active?.until.toISOString()).toBe("2026-11-30T07:00:00.000Z");
    expect(activeFreezes([weekend], new Date("2026-11-30T06:59:00Z"))).toHaveLength(1);
    expect(activeFreezes([weekend], new Date("2026-11-30T07:00:00Z"))).toEqual([]);
  });

  it("a cron window follows daylight saving time in its zone", () => {
    // In summer Berlin is +02:00: Friday 18:00 is 16:00 UTC.
    expect(activeFreezes([weekend], new Date("2026-07-03T15:59:00Z"))).toEqual([]);
    expect(activeFreezes([weekend], new Date("2026-07-03T16:00:00Z"))).toHaveLength(1);
  });

  it("a date range reads dates without an offset as local time, up to but not including until", () => {
    // 2026-12-20 00:00 in New York is 05:00 UTC; 2027-01-04 09:00 is 14:00 UTC.
    expect(activeFreezes([yearEnd], new Date("2026-12-20T04:59:59Z"))).toEqual([]);
    expect(activeFreezes([yearEnd], new Date("2026-12-20T05:00:00Z"))).toHaveLength(1);
    expect(activeFreezes([yearEnd], new Date("2027-01-04T13:59:59Z"))).toHaveLength(1);
    expect(activeFreezes([yearEnd], new Date("2027-01-04T14:00:00Z"))).toEqual([]);
  });

  it("names every window in force, the longest lasting first", () => {
    const now = new Date("2027-01-01T20:00:00Z"); // a Friday, 21:00 in Berlin
    const names = activeFreezes([weekend, yearEnd], now).map((a) => a.window.name);
    expect(names).toEqual(["year-end", "weekend"]);
  });
});

describe("freeze decision", () => {
  const clock = fixedClock("2026-11-28T10:00:00Z");

  it("is open outside every window and frozen inside one, saying which, until when and why", () => {
    expect(decideFreeze([yearEnd], clock.now())).toEqual({ kind: "open" });
    const frozen = decideFreeze([weekend], clock.now());
    expect(frozen.kind).toBe("frozen");
    if (frozen.kind !== "frozen") return;
    expect(describeFreeze(frozen.active[0]!)).toBe(
      'change freeze "weekend" until 2026-11-30 08:00 Europe/Berlin (2026-11-30T07:00:00.000Z): nobody on call for the core',
    );
  });

  it("is overridden only by an override that names who and why", () => {
    const override = { by: "alice", reason: "INC-4711 core outage" };
    expect(decideFreeze([weekend], clock.now(), override)).toMatchObject({ kind: "overridden", override });
    expect(decideFreeze([weekend], clock.now(), { by: "alice", reason: "  " }).kind).toBe("frozen");
    // An override outside a window changes nothing: there is nothing to override.
    expect(decideFreeze([yearEnd], clock.now(), override)).toEqual({ kind: "open" });
  });
});

describe("rollout.freeze in fabric.yaml", () => {
  const withFreeze = (windows: string) => ({
    "fabric.yaml": `${minimalFiles["fabric.yaml"]}  freeze:\n${windows}`,
  });

  it("normalises both kinds of window, defaulting the time zone to UTC", () => {
    const { fabric } = validFabric(
      withFreeze(
        '    - name: weekend\n      reason: no on-call\n      cron: "0 18 * * 5"\n      duration: 2d14h\n' +
          "    - name: year-end\n      reason: freeze\n      from: 2026-12-20\n      until: 2027-01-04\n      timeZone: Europe/Berlin\n",
      ),
    );
    expect(fabric.rollout.freeze.map((w) => [w.name, w.timeZone, w.schedule])).toEqual([
      ["weekend", "UTC", { kind: "cron", cron: "0 18 * * 5", durationMs: 62 * 3600_000 }],
      ["year-end", "Europe/Berlin", { kind: "range", from: "2026-12-20", until: "2027-01-04" }],
    ]);
  });

  it("reports an unknown time zone at its place, with how to fix it", () => {
    const errors = errorsOf(
      withFreeze(
        '    - name: w\n      reason: r\n      cron: "0 18 * * 5"\n      duration: 1h\n      timeZone: Europe/Berlln\n',
      ),
    );
    expect(errors.map(where)).toEqual(["fabric.yaml:22:17 freeze-window"]);
    expect(errors[0]!.message).toBe('freeze window "w": "Europe/Berlln" is not an IANA time zone');
    expect(errors[0]!.hint).toMatch(/Europe\/Berlin/);
  });

  it("reports a cron expression that does not parse, and a range that ends before it starts", () => {
    const errors = errorsOf(
      withFreeze(
        '    - name: a\n      reason: r\n      cron: "0 25 * * 5"\n      duration: 1h\n' +
          "    - name: b\n      reason: r\n      from: 2027-01-04\n      until: 2026-12-20\n",
      ),
    );
    expect(errors.map(where)).toEqual(["fabric.yaml:20:13 freeze-window", "fabric.yaml:25:14 freeze-window"]);
    expect(errors[1]!.message).toBe('freeze window "b": until (2026-12-20) is not after from (2027-01-04)');
  });

  it("refuses a window that mixes cron and dates, or lacks a duration", () => {
    const errors = errorsOf(
      withFreeze('    - name: a\n      reason: r\n      cron: "0 18 * * 5"\n      from: 2026-12-20\n'),
    );
    expect(errors.every((e) => e.code === "schema")).toBe(true);
    expect(errors[0]!.position.file).toBe("fabric.yaml");
  });
});
