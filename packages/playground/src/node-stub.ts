/**
 * Stands in for the Node built-ins that the libraries' file I/O imports (@fcn/nn's safetensors
 * save/load, @fcn/data's CIFAR-10 reader). The page never calls them; Vite's own placeholder
 * throws as soon as a named import is touched (in the dev server), this one only when called.
 */
function unavailable(name: string): () => never {
  return () => {
    throw new Error(`${name} reads or writes files and is not available in the browser`);
  };
}

export const closeSync = unavailable("fs.closeSync");
export const fsyncSync = unavailable("fs.fsyncSync");
export const openSync = unavailable("fs.openSync");
export const readFileSync = unavailable("fs.readFileSync");
export const renameSync = unavailable("fs.renameSync");
export const unlinkSync = unavailable("fs.unlinkSync");
export const writeSync = unavailable("fs.writeSync");
export const stat = unavailable("fs.stat");
export const open = unavailable("fs.open");
export const join = unavailable("path.join");
export default {};
