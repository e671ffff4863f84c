/**
 * A panel's computation with the last request winning: at most one runs at a time, and a request
 * made while one runs (a control changed again) runs once it ends, with the controls as they are
 * then. `root.dataset.state` says computing, ready or error (the end-to-end test waits on it).
 *
 * `start` reads the controls and starts the work, or returns undefined when they are invalid
 * (having said why); `show` renders the result.
 */
export function latestWins<T>(root: HTMLElement, status: HTMLElement, start: () => Promise<T> | undefined, show: (result: T) => void): () => Promise<void> {
  let running = false;
  let again = false;
  const compute = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    const work = start();
    if (!work) return;
    running = true;
    root.dataset.state = "computing";
    try {
      show(await work);
      root.dataset.state = "ready";
    } catch (error) {
      status.textContent = `Error: ${(error as Error).message}`;
      root.dataset.state = "error";
    } finally {
      running = false;
      if (again) {
        again = false;
        void compute();
      }
    }
  };
  return compute;
}
