export function resultsPanel(root: HTMLElement): void { root.textContent = "todo"; }
