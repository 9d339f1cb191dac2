export { EXCERPT_CHARS, excerpt } from "./excerpt.ts";
export { secretsOfEnvironment } from "./process-secrets.ts";
export { createRedactor, type Redactor } from "./redactor.ts";
