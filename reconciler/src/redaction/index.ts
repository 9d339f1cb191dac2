export { EXCERPT_CHARS, excerpt } from "./excerpt.ts";
export { createRedactor, type Redactor } from "./redactor.ts";
