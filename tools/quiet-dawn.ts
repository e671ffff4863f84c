/**
 * Keeps Dawn's native warnings (the `webgpu` package: "Couldn't load Vulkan", limits "artificially
 * reduced", EGL probing) out of the test output. Dawn prints them with fprintf on the test process's
 * stderr: no JS hook reaches them, and neither Dawn's toggles nor the flags the `webgpu` package
 * documents turn its logging off. Vitest's forked test processes pipe their stderr into the main
 * process, so this global setup (which runs there) filters them on their way to the terminal.
 * FCN_DAWN_LOGS=1 keeps them.
 */

/** One Dawn message: "Warning: …", then its " - While …" and "    at …" lines and a blank line. */
const DAWN_BLOCK = /^Warning: [^\n]*\n(?:(?: - | {4}at )[^\n]*\n)*\n?/gm;
/** A block is Dawn's when it cites Dawn's sources or is one of its source-less limit notices. */
const DAWN_ORIGIN = /\/dawn\/|artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit/;

/** `text` without Dawn's warning blocks; everything else, other "Warning:" lines included, is kept. */
export function withoutDawnWarnings(text: string): string {
  return text.replace(DAWN_BLOCK, (block) => (DAWN_ORIGIN.test(block) ? "" : block));
}

const installed = Symbol.for("fcn.quietDawn");

type Write = typeof process.stderr.write;

/** Wraps `stream.write` so Dawn's blocks are dropped; returns the function that restores it. */
export function filterDawnWarnings(stream: NodeJS.WriteStream): () => void {
  const marked = stream as NodeJS.WriteStream & { [installed]?: boolean };
  if (marked[installed]) return () => {};
  const write = stream.write as (this: NodeJS.WriteStream, ...args: unknown[]) => boolean;
  const filtered = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const text = typeof chunk === "string" ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString("utf8") : undefined;
    const kept = text?.includes("Warning: ") ? withoutDawnWarnings(text) : text;
    if (kept === text) return write.call(this, chunk, ...rest);
    const callback = rest.find((arg): arg is () => void => typeof arg === "function");
    if (kept === "") {
      if (callback) process.nextTick(callback);
      return true;
    }
    return callback ? write.call(this, kept, callback) : write.call(this, kept);
  };
  stream.write = filtered as Write;
  marked[installed] = true;
  return () => {
    stream.write = write as Write;
    marked[installed] = false;
  };
}

/** Vitest global setup: filter the main process's stderr for the whole run. */
export default function setup(): (() => void) | undefined {
  if (process.env.FCN_DAWN_LOGS === "1") return undefined;
  return filterDawnWarnings(process.stderr);
}
