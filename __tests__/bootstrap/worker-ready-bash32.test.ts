/**
 * worker-ready.sh runs where the deploy runs, a laptop included: macOS ships bash 3.2. No bash
 * older than 4.4 can be installed here (Debian bookworm offers only bash 5.2), so the script is held
 * to bash 3.2's language by shellcheck and by a lint of the constructs bash 3.2 lacks or treats
 * differently. The rule that bit: before bash 4.4, "${a[@]}" of an empty array is an unbound
 * variable under `set -u` (bash's CHANGES, bash-4.4-rc2 against bash-4.4-beta2, "New Features in
 * Bash", item 3a; /usr/share/doc/bash/CHANGES.gz on Debian).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { WORKER_READY_SCRIPT_PATH } from "../../constructs/coolify/coolify-servers";
import { describeWithTools, findTool } from "../support/tools";

/** Constructs bash 3.2 does not have (bash's CHANGES gives the version that added each) or that fail there under `set -u`. */
const NOT_IN_BASH_3_2: ReadonlyArray<readonly [RegExp, string]> = [
  [/\$\{[A-Za-z_][A-Za-z0-9_]*\[[@*]\]\}/, "array expansion that is an unbound variable under set -u when the array is empty (before 4.4)"],
  [/\b(declare|local|typeset)\s+-[a-zA-Z]*[An]/, "associative arrays or namerefs (4.0, 4.3)"],
  [/\b(mapfile|readarray|coproc)\b/, "mapfile, readarray, coproc (4.0)"],
  [/\$\{[A-Za-z_][A-Za-z0-9_]*(,,?|\^\^?)\}/, "case modification (4.0)"],
  [/\$\{[A-Za-z_][A-Za-z0-9_]*@[QEPAa]\}/, "parameter transformation (4.4)"],
  [/\[-\d+\]\}/, "negative array subscripts (4.3)"],
  [/\|&|&>>|;;&|;&\s*$/m, "|&, &>>, ;;& and ;& (4.0)"],
  [/\{[A-Za-z_][A-Za-z0-9_]*\}[<>]/, "automatic file descriptors (4.1)"],
  [/\bwait\s+-n\b/, "wait -n (4.3)"],
  [/\$EPOCH(SECONDS|REALTIME)\b/, "EPOCHSECONDS (5.0)"],
  [/\bshopt\s+-s\s+(globstar|lastpipe)\b/, "globstar, lastpipe (4.0, 4.2)"],
];

/** Lines of the script without comments, numbered as in the file. */
const codeLines = (source: string): Array<[number, string]> =>
  source
    .split("\n")
    .map((line, i): [number, string] => [i + 1, line.replace(/(^|\s)#.*$/, "")])
    .filter(([, line]) => line.trim() !== "");

describe("worker-ready.sh in bash 3.2's language", () => {
  it("uses no construct that bash 3.2 lacks or that fails there under set -u", () => {
    const found = codeLines(readFileSync(WORKER_READY_SCRIPT_PATH, "utf8")).flatMap(([number, line]) =>
      NOT_IN_BASH_3_2.filter(([pattern]) => pattern.test(line)).map(([, what]) => `line ${number}: ${what}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });

  it("the lint catches the construct that broke it", () => {
    const [pattern] = NOT_IN_BASH_3_2[0] ?? [];
    expect(pattern?.test(`curl -sS "\${data[@]}" -o "$body"`)).toBe(true);
  });
});

describeWithTools("worker-ready.sh under shellcheck", { shellcheck: findTool("shellcheck") }, () => {
  it("is shellcheck-clean as a bash script", () => {
    const result = spawnSync("shellcheck", ["--shell=bash", WORKER_READY_SCRIPT_PATH], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
