import { parseConfig } from "../../config/parse";
import { ConfigError } from "../../config/problems";

/** Every problem a `ConfigError` thrown by `read` lists; `[]` when it throws none. */
export const problemsFrom = (read: () => unknown): readonly string[] => {
  try {
    read();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

/** Every problem parsing reports for a raw configuration; `[]` when it is accepted. */
export const problemsOf = (raw: unknown): readonly string[] => problemsFrom(() => parseConfig(raw));
