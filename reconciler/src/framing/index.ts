/** CLI framing per switch (`cliMode: auto`): a harmless probe at first contact, remembered per resource. */
export { configuredFramings, type DetectOptions, detectFramings } from "./detect.ts";
export { fileFramingMemory, memoryFraming } from "./memory.ts";
export { probeLines, readProbeReply } from "./probe.ts";
export type { DeviceFraming, FramingChannel, FramingMemory, FramingRecord } from "./types.ts";
