export function attentionPanel(root: HTMLElement, _c: unknown): void { root.textContent = "todo"; }
