/**
 * Messages between the page and its compute workers. Every request carries an id; the worker
 * answers with progress messages, then one result or error. Training also streams updates.
 */
import type { ExploreRequest, ExploreResult } from "./explore.js";
import type { AttentionRequest, AttentionResult } from "./attention.js";
import type { TrainRequest, TrainUpdate } from "./train.js";

export interface Requests {
  explore: { request: ExploreRequest; result: ExploreResult };
  attention: { request: AttentionRequest; result: AttentionResult };
  train: { request: TrainRequest; result: TrainUpdate };
  stop: { request: Record<string, never>; result: null };
}

export type RequestType = keyof Requests;

export interface RequestMessage<K extends RequestType = RequestType> {
  readonly id: number;
  readonly type: K;
  readonly payload: Requests[K]["request"];
}

export type ResponseMessage =
  | { readonly id: number; readonly kind: "progress"; readonly fraction: number; readonly label: string }
  | { readonly id: number; readonly kind: "update"; readonly data: unknown }
  | { readonly id: number; readonly kind: "result"; readonly data: unknown }
  | { readonly id: number; readonly kind: "error"; readonly message: string };

/** What a long computation reports while it runs. */
export type Progress = (fraction: number, label: string) => void;
