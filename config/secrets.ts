/** Recognizing a secret written out as a literal, by its name or by the shape of its value. */

/**
 * The one list of words that mark a variable's name as a secret: `anywhere` in the name
 * (`MYSQL_ROOT_PASSWORD`, `STRIPEAPIKEY`), as a whole `_`/`.` separated `part` (`DB_PASS`,
 * `SMTP_PWD`, `SENTRY_DSN`; not `BYPASS`), or as the `last` part (`API_KEY`; not `KEY_ID`).
 */
export const SECRET_NAME_WORDS: readonly (readonly [string, "anywhere" | "part" | "last"])[] = [
  ["PASSWORD", "anywhere"],
  ["PASSWD", "anywhere"],
  ["PASSPHRASE", "anywhere"],
  ["SECRET", "anywhere"],
  ["TOKEN", "anywhere"],
  ["PRIVATE", "anywhere"],
  ["CREDENTIAL", "anywhere"],
  ["APIKEY", "anywhere"],
  ["PASS", "part"],
  ["PWD", "part"],
  ["DSN", "part"],
  ["KEY", "last"],
];

const secretName = (key: string): boolean => {
  const name = key.toUpperCase();
  const parts = name.split(/[_.]/);
  return SECRET_NAME_WORDS.some(([word, where]) =>
    where === "anywhere" ? name.includes(word) : where === "part" ? parts.includes(word) : parts[parts.length - 1] === word,
  );
};

/**
 * Prefixes vendors put on their tokens so that scanners find them: GitHub (ghp_, gho_, ghu_, ghs_,
 * ghr_, github_pat_; docs.github.com "About authentication to GitHub", token formats), GitLab
 * (glpat-; docs.gitlab.com "Token prefixes"), Stripe (sk_/rk_ live and test; docs.stripe.com
 * "API keys"), Slack (xoxa/xoxb/xoxp/xoxr/xoxs-; api.slack.com "Token types"), AWS access key ids
 * (AKIA/ASIA + 16; docs.aws.amazon.com IAM "Unique identifiers"), Google API keys (AIza), read 2026-11.
 */
const TOKEN_PREFIX = /^(?:gh[opusr]_|github_pat_|glpat-|[sr]k_(?:live|test)_|xox[abprs]-|(?:AKIA|ASIA)[0-9A-Z]{16}|AIza)/;

const SECRET_VALUE_SHAPES: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z ]+-----/, "a PEM block"],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i, "a URL with a password"],
  [TOKEN_PREFIX, "a known API token format"],
  [/^eyJ[\w-]+\.eyJ[\w-]+\./, "a JSON Web Token"],
  [/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[A-Za-z0-9+/=_-]{32,}$/, "a long random string"],
  [/^[0-9a-f]{32,}$/i, "a long hex string"],
];

/** Characters of a generated token; words, paths, URLs and image references have others (`.`, `:`, spaces). */
const TOKEN_ALPHABET = /^[A-Za-z0-9+/=_-]{20,}$/;
/**
 * Share of the most bits per character a string of its length can carry above which it is random
 * rather than words: identifiers made of words stay near 0.75, generated tokens above 0.9.
 */
const RANDOM_SHARE_OF_MAXIMUM = 0.85;

const bitsPerCharacter = (value: string): number => {
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  return [...counts.values()].reduce((bits, count) => bits - (count / value.length) * Math.log2(count / value.length), 0);
};

const looksRandom = (value: string): boolean =>
  TOKEN_ALPHABET.test(value) &&
  /\d/.test(value) &&
  /[A-Za-z]/.test(value) &&
  !value.startsWith("/") &&
  bitsPerCharacter(value) > RANDOM_SHARE_OF_MAXIMUM * Math.log2(Math.min(value.length, 64));

/** Why a literal environment variable looks like a secret, or `undefined`. */
export const secretLiteralProblem = (key: string, value: string): string | undefined => {
  if (secretName(key)) return "its name marks it as a secret";
  const shape = SECRET_VALUE_SHAPES.find(([pattern]) => pattern.test(value));
  if (shape) return `its value looks like ${shape[1]}`;
  return looksRandom(value) ? "its value looks like a high-entropy (random) string" : undefined;
};
