/** Tiny DOM helpers: elements with attributes, labelled controls. */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, attributes: Record<string, string | number | boolean> = {}, ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false) continue;
    if (name === "text") node.textContent = String(value);
    else if (name === "class") node.className = String(value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children);
  return node;
}

let uid = 0;
/** A `<label>` bound to its control by id. */
export function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  if (!control.id) control.id = `c${++uid}`;
  const label = el("label", { for: control.id, class: "field" }, el("span", { text }), control);
  return label;
}

export function select(options: readonly (readonly [string, string])[], value: string): HTMLSelectElement {
  const s = el("select");
  for (const [v, text] of options) s.append(el("option", { value: v, text }));
  s.value = value;
  return s;
}

export function numberInput(value: number, attributes: Record<string, string | number> = {}): HTMLInputElement {
  return el("input", { type: "number", value, inputmode: "decimal", ...attributes });
}

/** Calls `fn` once, `ms` after the last of a burst of calls. */
export function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
