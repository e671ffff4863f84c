/**
 * One writer per output folder: `<folder>/.lock` is created exclusively (a complete file linked
 * into place, so no reader sees it half-written) and holds the holder's pid, host and start
 * time. A second process fails fast naming the holder; a lock left by a dead process on this
 * host is taken over with a message. Locks are released on exit, on SIGINT/SIGTERM and by the
 * `finally` of whoever took them.
 */
import { linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync, closeSync, existsSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { isMainThread } from "node:worker_threads";
import { FolderLockedError, type LockHolder } from "./errors.js";

/** A held lock. `release()` is idempotent. */
export interface FolderLock {
  readonly folder: string;
  readonly holder: LockHolder;
  release(): void;
}

/** Options of {@link acquireFolderLock}. */
export interface LockOptions {
  /** Told when a stale lock is taken over. */
  readonly onMessage?: (message: string) => void;
  /** Recorded in the lock file (e.g. the command line). */
  readonly command?: string;
}

/** Path of a folder's lock file. */
export function lockPath(folder: string): string {
  return join(folder, ".lock");
}

const held = new Map<string, { text: string; createdFolder: boolean }>();

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as LockHolder;
    return typeof value === "object" && value !== null && Number.isSafeInteger(value.pid) && typeof value.host === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process of this host is alive (EPERM: alive, someone else's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// Creates the lock file with its full content, failing with EEXIST when it exists.
function createExclusive(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, text);
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw error;
    // File systems without hard links: O_EXCL, content written right after.
    const fd = openSync(file, "wx");
    try {
      writeFileSync(fd, text);
    } finally {
      closeSync(fd);
    }
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // already gone
    }
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Takes `<folder>/.lock` (creating the folder). Throws {@link FolderLockedError} naming the
 * holder when a live process, another host, or another sweep of this process holds it.
 */
export function acquireFolderLock(folder: string, options: LockOptions = {}): FolderLock {
  const createdFolder = !existsSync(folder);
  mkdirSync(folder, { recursive: true });
  const file = lockPath(folder);
  const holder: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), ...(options.command ? { command: options.command } : {}) };
  const text = `${JSON.stringify(holder)}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      createExclusive(file, text);
      held.set(file, { text, createdFolder });
      installHandlers();
      return { folder, holder, release: () => releaseLock(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const existing = readText(file);
    if (existing === undefined) continue; // released meanwhile: try again
    const other = parseHolder(existing);
    const ours = other?.pid === process.pid && other.host === holder.host;
    const stale = other !== undefined && other.host === holder.host && (ours ? !held.has(file) : !alive(other.pid));
    if (!stale) {
      const hint = other === undefined
        ? `remove ${file} if no fcn-bench process writes to this folder`
        : other.host !== holder.host
          ? `another machine writes here; remove ${file} only if that process has ended`
          : ours ? "another sweep of this process writes here" : "wait for it to finish or stop it";
      throw new FolderLockedError(folder, other, hint);
    }
    // Move the stale lock aside; if what we moved is not what we judged stale, put it back.
    const aside = `${file}.stale.${process.pid}`;
    try {
      renameSync(file, aside);
    } catch {
      continue;
    }
    const moved = readText(aside);
    if (moved !== existing) {
      try {
        linkSync(aside, file);
      } catch {
        // someone else holds it now; the next attempt reports them
      }
    } else {
      options.onMessage?.(`took over the stale lock of ${folder} (pid ${other!.pid} on ${other!.host}, started ${other!.startedAt}, is no longer running)`);
    }
    try {
      unlinkSync(aside);
    } catch {
      // already gone
    }
  }
  const other = parseHolder(readText(file) ?? "");
  throw new FolderLockedError(folder, other, "it changed hands while we tried to take it");
}

function releaseLock(file: string): void {
  const entry = held.get(file);
  if (!entry) return;
  held.delete(file);
  // Remove only our own lock (not one a takeover put there).
  if (readText(file) === entry.text) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
  if (entry.createdFolder) {
    // A folder we created only to lock it (e.g. a refused merge) is removed again.
    try {
      const folder = join(file, "..");
      if (readdirSync(folder).length === 0) rmdirSync(folder);
    } catch {
      // not empty or gone
    }
  }
  if (held.size === 0) removeHandlers();
}

/** Releases every lock this process holds (exit and signal handlers). */
export function releaseAllLocks(): void {
  for (const file of [...held.keys()]) releaseLock(file);
}

/** Runs `body` holding the folder's lock; released however it ends. */
export async function withFolderLock<T>(folder: string, options: LockOptions, body: () => T | Promise<T>): Promise<T> {
  const lock = acquireFolderLock(folder, options);
  try {
    return await body();
  } finally {
    lock.release();
  }
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  releaseAllLocks();
  // Alone on this signal: restore the default and re-raise it, so the exit status says how we ended.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function onExit(): void {
  releaseAllLocks();
}

function installHandlers(): void {
  if (installed || !isMainThread) return;
  installed = true;
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on("exit", onExit);
}

function removeHandlers(): void {
  if (!installed) return;
  installed = false;
  for (const signal of SIGNALS) process.off(signal, onSignal);
  process.off("exit", onExit);
}
