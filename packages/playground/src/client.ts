/** The page's side of a compute worker: typed requests, progress, streamed updates. */
import type { RequestType, Requests, ResponseMessage } from "./compute/protocol.js";

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?(fraction: number, label: string): void;
  onUpdate?(data: unknown): void;
}

export class ComputeClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 1;

  constructor() {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    this.worker.onmessage = (event: MessageEvent<ResponseMessage>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      const error = new Error(`worker failed: ${event.message || "could not load the compute worker"}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
  }

  request<K extends RequestType>(
    type: K, payload: Requests[K]["request"],
    handlers: { onProgress?: (fraction: number, label: string) => void; onUpdate?: (data: Requests[K]["result"]) => void } = {},
  ): Promise<Requests[K]["result"]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: handlers.onProgress, onUpdate: handlers.onUpdate as (d: unknown) => void });
      this.worker.postMessage({ id, type, payload });
    });
  }

  private receive(message: ResponseMessage): void {
    const p = this.pending.get(message.id);
    if (!p) return;
    if (message.kind === "progress") p.onProgress?.(message.fraction, message.label);
    else if (message.kind === "update") p.onUpdate?.(message.data);
    else {
      this.pending.delete(message.id);
      if (message.kind === "result") p.resolve(message.data);
      else p.reject(new Error(message.message));
    }
  }
}
