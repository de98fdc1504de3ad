/**
 * Terraform reads every string of a configuration as a template: `${...}` is evaluated and `%{...}`
 * is a directive, in JSON syntax too (developer.hashicorp.com/terraform/language/syntax/json,
 * "Expression Mapping"; escapes `$${` and `%%{` from language/expressions/strings). Strings from the
 * platform configuration are data, never expressions: the model escapes them here, once, before any
 * construct sees them, so that a compose file's `${VAR}` reaches Coolify as written and
 * `${file("/proc/self/environ")}` in a value is never evaluated in the plan job.
 */
import { isRecord } from "../config/problems";

/** The string Terraform evaluates to exactly `value`. */
export const terraformLiteral = (value: string): string => value.replaceAll("${", () => "$${").replaceAll("%{", () => "%%{");

/** Every string inside a configuration value, taken literally. */
export const terraformLiterals = <T>(value: T): T => {
  if (typeof value === "string") return terraformLiteral(value) as T;
  if (Array.isArray(value)) return value.map(terraformLiterals) as T;
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, terraformLiterals(item)])) as T;
  return value;
};
