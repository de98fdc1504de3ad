/**
 * Reading the JSON file `PLATFORM_CONFIG` names. A file that cannot be read or is not exactly one
 * JSON value gives one line naming the file, line and column; a key given twice is an error (a
 * plain `JSON.parse` keeps the last one silently).
 */
import { readFileSync } from "node:fs";
import { type ParseError, printParseErrorCode, visit } from "jsonc-parser";

export const CONFIG_FILE_VARIABLE = "PLATFORM_CONFIG";

/** Byte order mark: RFC 8259 §8.1 lets a parser ignore it, and editors on Windows write it. */
const BOM = "\uFEFF";

export class ConfigFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigFileError";
  }
}

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EISDIR: "is a directory, not a JSON file",
  EACCES: "permission denied",
};

const readText = (file: string): string => {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new ConfigFileError(`${file}: cannot read ${CONFIG_FILE_VARIABLE}: ${READ_ERRORS[code] ?? code}`);
  }
};

interface Position {
  readonly line: number;
  readonly column: number;
}

const at = (file: string, { line, column }: Position): string => `${file}:${line + 1}:${column + 1}`;

const PARSE_ERRORS: Readonly<Record<string, string>> = {
  InvalidSymbol: "unexpected character",
  ValueExpected: "a value is expected",
  PropertyNameExpected: "a quoted key is expected",
  ColonExpected: "a colon is expected",
  CommaExpected: "a comma is expected",
  CloseBraceExpected: "a closing brace is expected",
  CloseBracketExpected: "a closing bracket is expected",
  EndOfFileExpected: "the file should end after the first value",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "comments are not allowed in JSON",
  UnexpectedEndOfString: "a string is not closed",
  UnexpectedEndOfNumber: "a number is cut off",
  InvalidUnicode: "invalid unicode escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter: "invalid character in a string",
};

/**
 * The first syntax error or repeated key, with its position. Values themselves come from
 * `JSON.parse` once the text is known to be strict JSON without repeated keys.
 */
const firstProblem = (text: string): { readonly position: Position; readonly message: string } | undefined => {
  const keys: Map<string, Position>[] = [];
  let found: { position: Position; message: string } | undefined;
  visit(
    text,
    {
      onObjectBegin: () => {
        keys.push(new Map());
      },
      onObjectEnd: () => {
        keys.pop();
      },
      onObjectProperty: (property, _offset, _length, line, column) => {
        const seen = keys[keys.length - 1];
        const first = seen.get(property);
        if (first && !found) {
          found = { position: { line, column }, message: `duplicate key "${property}" (first at line ${first.line + 1}, column ${first.column + 1})` };
        }
        seen.set(property, { line, column });
      },
      onError: (error: ParseError["error"], _offset, _length, line, column) => {
        const code = printParseErrorCode(error);
        found ??= { position: { line, column }, message: `invalid JSON: ${PARSE_ERRORS[code] ?? code}` };
      },
      onComment: (_offset, _length, line, column) => {
        found ??= { position: { line, column }, message: "invalid JSON: comments are not allowed in JSON" };
      },
    },
    { disallowComments: false, allowTrailingComma: false, allowEmptyContent: false },
  );
  return found;
};

/** The JSON value of a configuration file; throws `ConfigFileError` with the file, line and column. */
export const readConfigFile = (file: string): unknown => {
  if (file === "") {
    throw new ConfigFileError(`${CONFIG_FILE_VARIABLE} is set but empty: name a JSON configuration file, or unset it to synthesize the built-in example`);
  }
  const raw = readText(file);
  const text = raw.startsWith(BOM) ? raw.slice(BOM.length) : raw;
  if (text.trim() === "") throw new ConfigFileError(`${at(file, { line: 0, column: 0 })}: the file is empty; expected a JSON object with "environments"`);
  const problem = firstProblem(text);
  if (problem) throw new ConfigFileError(`${at(file, problem.position)}: ${problem.message}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(`${file}: invalid JSON: ${(error as Error).message}`);
  }
};
