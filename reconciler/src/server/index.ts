export {
  type ConfigResult,
  parseServiceConfig,
  readServiceSecrets,
  type ServiceConfig,
  type ServiceSecrets,
} from "./config.ts";
export { createServiceMetrics, type ServiceMetrics } from "./metrics.ts";
export { createRunQueue, type Job, type RunQueue } from "./run-queue.ts";
export {
  type ResolvedServiceConfig,
  type RunningService,
  type StartServiceOptions,
  startService,
} from "./service.ts";
export { createWebhookHandler, jobFor } from "./webhook.ts";
