/** The seeds' published tables (src/reference/published.json, copied from the shared reference). */
import published from "../reference/published.json";

export type PublishedTables = typeof published;

/** The published tables, keyed as in published.json. */
export const PUBLISHED: PublishedTables = published;
