import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../reconciler/src/pr-workflow/index.ts";

describe("parseCommand", () => {
  it.each([
    ["/reconciler plan", { name: "plan", args: "" }],
    [
      "  \n/reconciler apply INC-4711 core outage\nmore text",
      { name: "apply", args: "INC-4711 core outage" },
    ],
    ["/reconciler UNLOCK", { name: "unlock", args: "" }],
    ["/reconciler", { name: "help", args: "" }],
    ["/reconciler help", { name: "help", args: "" }],
    ["/reconciler nuke it", { name: "unknown", args: "it", written: "nuke" }],
  ])("reads %j", (body, command) => {
    expect(parseCommand(body)).toEqual(command);
  });

  it.each(["looks good; /reconciler apply later", "/reconcilerapply", "> /reconciler apply", ""])(
    "reads no command in %j",
    (body) => {
      expect(parseCommand(body)).toBeUndefined();
    },
  );
});
