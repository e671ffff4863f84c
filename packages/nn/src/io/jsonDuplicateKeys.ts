/**
 * Finds a key repeated within one JSON object. `JSON.parse` silently keeps the last of
 * duplicate keys, so a file could say two different things about one tensor; this scan
 * (iterative, linear in the text) lets the reader refuse such a file instead.
 */

/** A repeated key and the keys of the objects enclosing it, outermost first. */
export interface DuplicateKey {
  readonly key: string;
  readonly path: readonly string[];
}

interface ObjectFrame {
  readonly keys: Set<string>;
  expectKey: boolean;
  lastKey: string;
}

/**
 * The first duplicate key of `json`, or null. `json` must already be valid JSON (parse it
 * first): the scan relies on every string being closed.
 */
export function findDuplicateKey(json: string): DuplicateKey | null {
  // One frame per open container; null stands for an array.
  const stack: (ObjectFrame | null)[] = [];
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (json.charCodeAt(j) !== 0x22) j += json.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top && top.expectKey) {
        const key = JSON.parse(json.slice(i, j + 1)) as string;
        if (top.keys.has(key)) {
          const path = stack.slice(0, -1).flatMap((frame) => (frame ? [frame.lastKey] : []));
          return { key, path };
        }
        top.keys.add(key);
        top.expectKey = false;
        top.lastKey = key;
      }
      i = j;
    } else if (c === 0x7b /* { */) stack.push({ keys: new Set(), expectKey: true, lastKey: "" });
    else if (c === 0x5b /* [ */) stack.push(null);
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top) top.expectKey = true;
    }
  }
  return null;
}
