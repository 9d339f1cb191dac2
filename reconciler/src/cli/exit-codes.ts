export { ExitCode } from "../reconcile/exit-codes.ts";
