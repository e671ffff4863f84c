/**
 * The compute worker: everything @fcn/* computes runs here, so the page never freezes. The page
 * starts two (one for the explorer and attention, one for training) so a run does not block the other.
 */
import { attention } from "./compute/attention.js";
import { explore } from "./compute/explore.js";
import type { RequestMessage, ResponseMessage } from "./compute/protocol.js";
import { cancellation, train } from "./compute/train.js";

const post = (message: ResponseMessage, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

/** Typed arrays in a result move to the page instead of being copied. */
function buffersOf(value: unknown, out: Transferable[] = [], seen = new Set<ArrayBuffer>()): Transferable[] {
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer as ArrayBuffer;
    if (!seen.has(buffer)) {
      seen.add(buffer);
      out.push(buffer);
    }
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) buffersOf(v, out, seen);
  }
  return out;
}

self.onmessage = async (event: MessageEvent<RequestMessage>) => {
  const { id, type, payload } = event.data;
  const progress = (fraction: number, label: string) => post({ id, kind: "progress", fraction, label });
  try {
    let data: unknown;
    if (type === "explore") data = explore(payload as RequestMessage<"explore">["payload"], progress);
    else if (type === "attention") data = attention(payload as RequestMessage<"attention">["payload"], progress);
    else if (type === "train") {
      data = await train(payload as RequestMessage<"train">["payload"], (update) => {
        // Points are sent once and kept by the page; transfer only the grid.
        post({ id, kind: "update", data: update }, [update.grid.probabilities.buffer as ArrayBuffer]);
      });
      data = { ...(data as object), grid: undefined, points: undefined };
    } else if (type === "stop") {
      cancellation.token++;
      data = null;
    } else throw new Error(`unknown request ${String(type)}`);
    post({ id, kind: "result", data }, buffersOf(data));
  } catch (error) {
    post({ id, kind: "error", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
};
