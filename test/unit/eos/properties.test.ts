import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyCommands,
  compareInScope,
  parseConfig,
  remediate,
  renderConfig,
  scopedText,
} from "../../../reconciler/src/eos/index.ts";
import type { ManagedScope } from "../../../reconciler/src/fabric/types.ts";
import { arbConfig, arbSpelling, MANAGED_SECTIONS, renderArbitraryConfig } from "./arbitrary-config.ts";

const arbText = arbConfig.map((config) => renderArbitraryConfig(config));
/** Intended configs as people write them: any indentation, defaults spelled out, masks, folded VLANs. */
const arbIntendedText = fc
  .tuple(arbConfig, arbSpelling)
  .map(([config, spelling]) => renderArbitraryConfig(config, spelling));
const arbScope = fc
  .subarray(MANAGED_SECTIONS, { minLength: 1 })
  .chain((sections) =>
    fc
      .subarray(["^description ", "^mtu ", "^switch-group pod1"])
      .map((ignore): ManagedScope => ({ sections, ignore })),
  );
const FULL: ManagedScope = { sections: MANAGED_SECTIONS, ignore: [] };
const RUNS = { numRuns: Number(process.env.EOS_PROPERTY_RUNS ?? 300) };

/** Top-level commands of a script, without bodies of multi-line values. */
function topLevelCommands(commands: string[]): string[] {
  const out: string[] = [];
  let inBanner = false;
  for (const line of commands) {
    if (inBanner) {
      inBanner = line !== "EOF";
      continue;
    }
    if (line.startsWith(" ")) continue;
    if (line.startsWith("banner ")) inBanner = true;
    out.push(line);
  }
  return out;
}

describe("remediation laws over generated configs", () => {
  it("applying the remediation to running yields intended", () => {
    fc.assert(
      fc.property(arbText, arbIntendedText, (runningText, intendedText) => {
        const running = parseConfig(runningText);
        const intended = parseConfig(intendedText);
        const { commands } = remediate(running, intended, FULL);
        const check = compareInScope(applyCommands(running, commands), intended, FULL);
        expect(check).toEqual({ equal: true });
      }),
      RUNS,
    );
  });

  it("remediating twice yields nothing the second time", () => {
    fc.assert(
      fc.property(arbText, arbIntendedText, arbScope, (runningText, intendedText, scope) => {
        const intended = parseConfig(intendedText);
        const first = remediate(parseConfig(runningText), intended, scope);
        expect(remediate(first.predicted, intended, scope).commands).toEqual([]);
        // Through text too: what the switch would show after the batch parses to the same thing.
        const shown = parseConfig(renderConfig(first.predicted));
        expect(remediate(shown, intended, scope).commands).toEqual([]);
      }),
      RUNS,
    );
  });

  it("nothing outside the scope appears in a remediation or changes in the prediction", () => {
    fc.assert(
      fc.property(arbText, arbText, arbScope, (runningText, intendedText, scope) => {
        const running = parseConfig(runningText);
        const { commands, predicted } = remediate(running, parseConfig(intendedText), scope);
        for (const line of topLevelCommands(commands)) {
          const target = line.replace(/^(?:no|default) /, "");
          expect(
            scope.sections.some((s) => target === s || target.startsWith(`${s} `)),
            line,
          ).toBe(true);
        }
        const ignore = scope.ignore.map((source) => new RegExp(source));
        for (const line of commands) {
          const text = line.trim().replace(/^(?:no|default) /, "");
          expect(
            ignore.some((re) => re.test(text)),
            line,
          ).toBe(false);
        }
        const outside = (t: { children: readonly { text: string }[] }) =>
          t.children.filter((n) => !scope.sections.some((s) => n.text === s || n.text.startsWith(`${s} `)));
        expect(outside(predicted)).toEqual(outside(running));
      }),
      RUNS,
    );
  });

  it("the script means the same to a switch that ignores indentation (every mode is left by `exit`)", () => {
    fc.assert(
      fc.property(arbText, arbIntendedText, (runningText, intendedText) => {
        const running = parseConfig(runningText);
        const intended = parseConfig(intendedText);
        const { commands } = remediate(running, intended, FULL);
        let inBanner = false;
        const flat = commands.map((line) => {
          if (inBanner) {
            inBanner = line !== "EOF";
            return line;
          }
          if (line.startsWith("banner ")) inBanner = true;
          return line.trimStart();
        });
        // Without indentation the predictor follows modes as EOS does: known mode headers enter a
        // mode, `exit` leaves it, a header of an outer mode falls back to it.
        expect(compareInScope(applyCommands(running, flat), intended, FULL)).toEqual({ equal: true });
      }),
      RUNS,
    );
  });

  it("the scoped text of a config parses back to the same config in scope", () => {
    fc.assert(
      fc.property(arbIntendedText, arbScope, (text, scope) => {
        const tree = parseConfig(text);
        const scoped = scopedText(tree, scope);
        expect(compareInScope(parseConfig(scoped), tree, scope)).toEqual({ equal: true });
        expect(scopedText(parseConfig(scoped), scope)).toBe(scoped);
      }),
      RUNS,
    );
  });

  it("a config equal to running needs nothing, whatever its spelling", () => {
    fc.assert(
      fc.property(arbConfig, arbSpelling, (config, spelling) => {
        const running = parseConfig(renderArbitraryConfig(config));
        expect(
          remediate(running, parseConfig(renderArbitraryConfig(config, spelling)), FULL).commands,
        ).toEqual([]);
        expect(remediate(running, parseConfig(renderConfig(running)), FULL).commands).toEqual([]);
      }),
      RUNS,
    );
  });
});
