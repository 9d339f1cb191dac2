import { describe, expect, it } from "vitest";
import {
  escapeData,
  escapeProperty,
  formatGithub,
  formatText,
  toRecord,
} from "../../../reconciler/src/cli/format-errors.ts";
import type { FabricError } from "../../../reconciler/src/fabric/index.ts";

const error: FabricError = {
  code: "unknown-group",
  message: 'device leaf2 is in group "rwo1", 100% wrong',
  hint: 'Did you mean "row1"?\nOtherwise: create it',
  position: { file: "devices/leaf2.yaml", line: 1, col: 16 },
};

describe("error output", () => {
  it("prints file:line:col: error[code]: message and the hint", () => {
    expect(formatText([error], [])).toBe(
      `devices/leaf2.yaml:1:16: error[unknown-group]: device leaf2 is in group "rwo1", 100% wrong\n  hint: Did you mean "row1"?\nOtherwise: create it\n`,
    );
  });

  it("prefixes paths for a fabric repo in a subfolder", () => {
    expect(toRecord(error, { pathPrefix: "fabric/" }).file).toBe("fabric/devices/leaf2.yaml");
  });

  it("escapes GitHub workflow command data and properties as @actions/core does", () => {
    expect(escapeData("a%b\r\nc")).toBe("a%25b%0D%0Ac");
    expect(escapeProperty("a:b,c%")).toBe("a%3Ab%2Cc%25");
    expect(formatGithub([error], [], { pathPrefix: "net,work" })).toBe(
      "::error file=net%2Cwork/devices/leaf2.yaml,line=1,col=16,title=fabric error%3A unknown-group::" +
        'device leaf2 is in group "rwo1", 100%25 wrong%0Ahint: Did you mean "row1"?%0AOtherwise: create it\n',
    );
  });
});
