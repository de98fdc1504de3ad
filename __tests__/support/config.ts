import { parseConfig } from "../../config/parse";
import { ConfigError } from "../../config/problems";

/** Every problem parsing reports for a raw configuration; `[]` when it is accepted. */
export const problemsOf = (raw: unknown): readonly string[] => {
  try {
    parseConfig(raw);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};
