// Types for the streaming parser of @xmpp/xml 0.14 (ships no declarations), which the doctor's raw stream reads with.
declare module "@xmpp/xml" {
  import type { EventEmitter } from "node:events";
  import type { Element } from "@xmpp/client";

  export class Parser extends EventEmitter {
    write(data: string): void;
    on(event: "element", listener: (element: Element) => void): this;
    on(event: "start" | "end", listener: (element: Element) => void): this;
    on(event: "error", listener: (error: Error) => void): this;
  }
}
