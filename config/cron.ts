/** Schedules as Coolify accepts them: five cron fields or one of its names. */
import { quote } from "./problems";

/** Schedules Coolify accepts by name (its VALID_CRON_STRINGS), with or without `@`. */
export const CRON_NAMES = ["every_minute", "hourly", "daily", "weekly", "monthly", "yearly"] as const;
const CRON_AT_NAMES = ["@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually", "@midnight"];
const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const CRON_FIELDS: readonly { readonly name: string; readonly min: number; readonly max: number; readonly names?: readonly string[] }[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTH_NAMES },
  { name: "day-of-week", min: 0, max: 7, names: DAY_NAMES },
];

const cronFieldProblem = (text: string, field: (typeof CRON_FIELDS)[number]): string | undefined => {
  const value = (token: string): number | undefined => {
    const named = field.names?.indexOf(token.toLowerCase()) ?? -1;
    if (named >= 0) return named + (field.name === "month" ? 1 : 0);
    return /^\d+$/.test(token) ? Number(token) : undefined;
  };
  for (const item of text.split(",")) {
    const match = /^(\*|[^-/]+(?:-[^-/]+)?)(?:\/(\d+))?$/.exec(item);
    if (!match) return `${field.name} ${quote(item)} is not a value, range, list or step`;
    const [, range, step] = match;
    if (step !== undefined && Number(step) < 1) return `${field.name} step ${quote(step)} must be at least 1`;
    if (range === "*") continue;
    for (const token of range.split("-")) {
      const number = value(token);
      if (number === undefined || number < field.min || number > field.max) {
        return `${field.name} ${quote(token)} is out of range ${field.min}-${field.max}`;
      }
    }
  }
  return undefined;
};

/** Checks a schedule: five cron fields or one of Coolify's names. Returns the reason when invalid. */
export const cronProblem = (schedule: string): string | undefined => {
  const trimmed = schedule.trim();
  if ((CRON_NAMES as readonly string[]).includes(trimmed) || CRON_AT_NAMES.includes(trimmed)) return undefined;
  const fields = trimmed.split(/\s+/);
  const usage = `use five fields "minute hour day-of-month month day-of-week" or one of ${[...CRON_NAMES, ...CRON_AT_NAMES].join(", ")}`;
  if (fields.length !== CRON_FIELDS.length) return `has ${fields.length} field${fields.length === 1 ? "" : "s"}; ${usage}`;
  for (const [i, field] of CRON_FIELDS.entries()) {
    const problem = cronFieldProblem(fields[i], field);
    if (problem) return `${problem}; ${usage}`;
  }
  return undefined;
};
