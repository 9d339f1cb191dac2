// Preloaded with `node --import` by the start-up test: writes every module the process loads (ES
// modules as the loader resolves them, CommonJS ones from require's cache at exit) to the file named
// by RECORD_LOADS_TO, one URL or path a line.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const file = process.env.RECORD_LOADS_TO;
register("./record-loads-hooks.mjs", import.meta.url, { data: { file } });
process.on("exit", () => {
  const cache = createRequire(import.meta.url).cache;
  appendFileSync(file, `${Object.keys(cache).join("\n")}\n`);
});
