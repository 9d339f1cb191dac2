import type { RegisterCommand } from "../context.ts";
import { registerDiff } from "./diff.ts";
import { registerRender } from "./render.ts";
import { registerValidate } from "./validate.ts";

/** Every CLI command, in the order `--help` lists them. Add new commands here. */
export const commands: RegisterCommand[] = [registerValidate, registerRender, registerDiff];
