import { closestName, fabricError } from "../errors.ts";
import { type FabricRule, fieldPosition } from "./rule.ts";

/** Every group a device names has a file in groups/. */
export const groupsExist: FabricRule = {
  name: "groupsExist",
  check(context) {
    const { fabric, groupFiles } = context;
    const errors = Object.values(fabric.devices).flatMap((device) =>
      device.groups.flatMap((group, index) => {
        if (groupFiles.has(group)) return [];
        const guess = closestName(group, groupFiles);
        return [
          fabricError(
            "unknown-group",
            fieldPosition(context, device.position.file, ["groups", index]),
            `device ${device.name} is in group "${group}", which has no file groups/${group}.yaml`,
            guess
              ? `Did you mean "${guess}"? Otherwise create groups/${group}.yaml.`
              : `Create groups/${group}.yaml or remove "${group}" from groups (known groups: ${[...groupFiles].join(", ") || "none"}).`,
          ),
        ];
      }),
    );
    return { errors };
  },
};

/** Rollout order names existing groups that have members; a device outside the order is a warning. */
export const rolloutGroupsHaveMembers: FabricRule = {
  name: "rolloutGroupsHaveMembers",
  needsSettings: true,
  check(context) {
    const { fabric, groupFiles } = context;
    const errors = fabric.rollout.order.flatMap((name, index) => {
      const position = fieldPosition(context, "fabric.yaml", ["rollout", "order", index]);
      if (!groupFiles.has(name)) {
        const guess = closestName(name, groupFiles);
        return [
          fabricError(
            "unknown-group",
            position,
            `rollout.order names group "${name}", which has no file groups/${name}.yaml`,
            guess ? `Did you mean "${guess}"?` : "Name a group that has a file in groups/, or remove it.",
          ),
        ];
      }
      const group = fabric.groups[name];
      if (group && group.members.length === 0) {
        return [
          fabricError(
            "empty-rollout-group",
            position,
            `rollout.order names group "${name}", which has no members`,
            `Add "${name}" to the groups: of at least one device, or remove it from rollout.order.`,
          ),
        ];
      }
      return [];
    });
    const ordered = new Set(fabric.rollout.order);
    const warnings =
      ordered.size === 0
        ? []
        : Object.values(fabric.devices)
            .filter((device) => !device.groups.some((group) => ordered.has(group)))
            .map((device) =>
              fabricError(
                "not-in-rollout-order",
                fieldPosition(context, device.position.file, ["groups"]),
                `device ${device.name} is in none of the rollout.order groups, so it is changed last`,
                `Add one of ${fabric.rollout.order.join(", ")} to its groups, or add one of its groups to rollout.order.`,
              ),
            );
    return { errors, warnings };
  },
};

/** A group that nobody is in and no rollout names is probably a leftover. */
export const unusedGroups: FabricRule = {
  name: "unusedGroups",
  check({ fabric }) {
    const ordered = new Set(fabric.rollout.order);
    const warnings = Object.values(fabric.groups)
      .filter((group) => group.members.length === 0 && !ordered.has(group.name))
      .map((group) =>
        fabricError(
          "unused-group",
          group.position,
          `group ${group.name} has no members`,
          `Add it to a device's groups:, or delete ${group.position.file}.`,
        ),
      );
    return { warnings };
  },
};
