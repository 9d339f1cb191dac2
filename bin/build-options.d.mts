// Types of build-options.mjs for the benchmarks that build with it (bench/scale.ts).
import type { BuildOptions, Plugin } from "esbuild";

export function commonOptions(root: string): BuildOptions;
export function precompiledValidatorsPlugin(root: string, scratch: string): Promise<Plugin>;
