/** The playground page: four panels behind tabs, two compute workers. */
import "./style.css";
import { ComputeClient } from "./client.js";
import { attentionPanel } from "./panels/attention.js";
import { explorerPanel } from "./panels/explorer.js";
import { resultsPanel } from "./panels/results.js";
import { trainPanel } from "./panels/train.js";

const panels = [
  { id: "explorer", title: "Kronecker graphs", mount: (root: HTMLElement) => explorerPanel(root, compute) },
  { id: "train", title: "Train live", mount: (root: HTMLElement) => trainPanel(root, trainer) },
  { id: "attention", title: "Fractal attention", mount: (root: HTMLElement) => attentionPanel(root, compute) },
  { id: "results", title: "Results viewer", mount: (root: HTMLElement) => resultsPanel(root) },
] as const;

const compute = new ComputeClient();
const trainer = new ComputeClient();
const tabs = document.querySelector<HTMLElement>("#tabs")!;
const main = document.querySelector<HTMLElement>("main")!;
const mounted = new Set<string>();

function show(id: string): void {
  for (const p of panels) {
    const tab = document.getElementById(`tab-${p.id}`)!;
    const section = document.getElementById(p.id)!;
    const active = p.id === id;
    tab.setAttribute("aria-selected", String(active));
    tab.tabIndex = active ? 0 : -1;
    section.hidden = !active;
    if (active && !mounted.has(p.id)) {
      mounted.add(p.id);
      p.mount(section);
    }
  }
  // "#/id", not "#id": an anchor named like the section would scroll the header away.
  if (location.hash !== `#/${id}`) history.replaceState(null, "", `#/${id}`);
}

for (const p of panels) {
  const tab = document.createElement("button");
  tab.id = `tab-${p.id}`;
  tab.setAttribute("role", "tab");
  tab.setAttribute("aria-controls", p.id);
  tab.textContent = p.title;
  tab.addEventListener("click", () => show(p.id));
  tab.addEventListener("keydown", (e) => {
    const i = panels.findIndex((q) => q.id === p.id);
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const next = panels[(i + step + panels.length) % panels.length];
    show(next.id);
    document.getElementById(`tab-${next.id}`)!.focus();
  });
  tabs.append(tab);
  const section = document.createElement("section");
  section.id = p.id;
  section.setAttribute("role", "tabpanel");
  section.setAttribute("aria-labelledby", tab.id);
  section.hidden = true;
  main.append(section);
}

const initial = location.hash.replace(/^#\/?/, "");
show(panels.some((p) => p.id === initial) ? initial : "explorer");
