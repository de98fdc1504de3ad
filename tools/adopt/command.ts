/**
 * How both adoption commands end: the report on success; for a user's mistake (the adopted
 * configuration failing its checks, an API or file answering badly) one message and "nothing was
 * written", exit code 1, no stack trace.
 */
import { ConfigError } from "../../config/problems";
import { ConfigFileError } from "../../config/read";
import { AdoptError } from "./coolify-read";

export const runAdoptionCommand = async (adoptAndReport: () => Promise<string>): Promise<void> => {
  try {
    console.log(await adoptAndReport());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`The adopted configuration does not pass the checks; nothing was written.\n${error.message}`);
    } else if (error instanceof AdoptError || error instanceof ConfigFileError) {
      console.error(`${error.message}\nNothing was written.`);
    } else {
      throw error;
    }
    process.exitCode = 1;
  }
};

/** Each of `flags` with its value from `--flag value` pairs; an AdoptError for anything else, or a flag missing. */
export const requiredFlags = <F extends string>(args: readonly string[], flags: readonly F[], usage: string): Record<F, string> => {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (!(flags as readonly string[]).includes(flag) || value === undefined) throw new AdoptError(`unexpected argument ${JSON.stringify(flag)}; ${usage}`);
    values.set(flag, value);
  }
  const missing = flags.filter((flag) => !values.get(flag));
  if (missing.length > 0) throw new AdoptError(`missing ${missing.join(", ")}; ${usage}`);
  return Object.fromEntries(flags.map((flag) => [flag, values.get(flag) ?? ""])) as Record<F, string>;
};
