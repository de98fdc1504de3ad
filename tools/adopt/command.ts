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
