/**
 * Coolify's own validation of the values this platform sends it, so that a value Coolify would
 * answer with 422 (after creating half a resource) is refused at synth instead. Sources, all
 * coollabsio/coolify at tag v4.3.9: `bootstrap/helpers/api.php` (`sharedDataApplications()`, the
 * rules of every application create/update), `app/Support/ValidationPatterns.php` (the shared
 * patterns), `app/Rules/ValidGitBranch.php`, `app/Http/Controllers/Api/ProjectController.php`.
 * Each check returns what is wrong, in words that say what is allowed, or undefined.
 */

type Check = (value: string) => string | undefined;

const pattern =
  (regex: RegExp, allowed: string, maxLength?: number): Check =>
  (value) => {
    if (maxLength !== undefined && value.length > maxLength) return `is longer than Coolify's ${maxLength} characters`;
    return regex.test(value) ? undefined : `is refused by Coolify: ${allowed}`;
  };

/** `health_check_command`: nullable, string, max 1000, `^[a-zA-Z0-9 \-_.\/:=@,+]+$` (sharedDataApplications). */
export const healthCheckCommandProblem = pattern(
  /^[a-zA-Z0-9 \-_./:=@,+]+$/,
  "a health check command may hold only letters, digits, spaces and - _ . / : = @ , + (no |, ;, &, quotes or redirections; e.g. curl -fsS http://localhost/health)",
  1000,
);

/** `health_check_path`: `^[a-zA-Z0-9/\-_.~%,;]+$` (sharedDataApplications). */
export const healthCheckPathProblem = pattern(/^[a-zA-Z0-9/\-_.~%,;]+$/, "a health check path may hold only letters, digits and / - _ . ~ % , ;");

/** `base_directory`, `publish_directory`: ValidationPatterns::DIRECTORY_PATH_PATTERN, max 255. */
export const directoryPathProblem = pattern(/^\/([a-zA-Z0-9._\-/~@+]*)?$/, "a directory starting with / holding only letters, digits and . _ - / ~ @ +", 255);

/** `ports_exposes`: `^(\d+)(,\d+)*$` (sharedDataApplications). */
export const PORTS_EXPOSES_PATTERN = /^(\d+)(,\d+)*$/;

/** `docker_registry_image_name`: ValidationPatterns::DOCKER_IMAGE_NAME_PATTERN (`\A`/`\z` as `^`/`$`). */
const imageNameProblem = pattern(
  /^(?=.{1,255}$)(?:(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?:@sha256)?$/,
  "an image repository of lowercase letters, digits and separators, optionally behind a registry host (e.g. ghcr.io/acme/web)",
);

/** `docker_registry_image_tag`: ValidationPatterns::DOCKER_IMAGE_TAG_PATTERN. */
const imageTagProblem = pattern(
  /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
  "a tag of at most 128 letters, digits, _ . - that does not start with . or - (e.g. 1.4.2)",
);

/** Splits `registry/name:tag` (or `name@sha256:<digest>`) the way Coolify stores it: repository and tag apart. */
export const splitImage = (image: string): { name: string; tag?: string } => {
  const digest = /^(.*@sha256):([0-9a-f]{64})$/.exec(image);
  if (digest) return { name: digest[1], tag: digest[2] };
  const match = /^(.*\/)?([^/:]+):([^/:]+)$/.exec(image);
  return match ? { name: `${match[1] ?? ""}${match[2]}`, tag: match[3] } : { name: image };
};

/** An image reference whose repository and tag pass Coolify's rules for each. */
export const dockerImageProblem: Check = (image) => {
  const { name, tag } = splitImage(image);
  const nameProblem = imageNameProblem(name);
  if (nameProblem) return `${JSON.stringify(name)} ${nameProblem}`;
  const tagProblem = tag === undefined ? undefined : imageTagProblem(tag);
  return tagProblem && `tag ${JSON.stringify(tag)} ${tagProblem}`;
};

/** Environment variable keys: ValidationPatterns::ENVIRONMENT_VARIABLE_KEY_PATTERN, max 255. */
export const environmentVariableKeyProblem = pattern(
  /^[A-Za-z_][A-Za-z0-9_.]*$/,
  "a variable name starts with a letter or underscore and holds only letters, digits, underscores and dots",
  255,
);

/** `git_branch`: app/Rules/ValidGitBranch.php. */
export const gitBranchProblem: Check = (branch) => {
  if (!/^[a-zA-Z0-9\-_/.]+$/.test(branch)) return "is refused by Coolify: a branch may hold only letters, digits and - _ / .";
  if (/\.\.|\/\/|@\{/.test(branch) || /^[/.]|[/.]$/.test(branch)) {
    return "is refused by Coolify: a branch may not contain .. or // nor start or end with / or .";
  }
  return undefined;
};

/**
 * `git_repository`: app/Rules/ValidGitRepositoryUrl.php (applied by ApplicationsController.php at
 * lines 1338 and 1820, v4.3.9). Refused anywhere: shell metacharacters, quotes, `\\`, `!?*^%=+#`,
 * line breaks, NUL, `../` and `..\\`; `git@` URLs as `git@<host>:<path>`; http(s) URLs with a
 * host that is a name (not an IP address, localhost or *.local), no query or fragment and a path of
 * `[a-zA-Z0-9-_/.@~]`; `git://<host>[:port]<:|/><path>`; nothing else.
 */
export const gitRepositoryUrlProblem: Check = (url) => {
  const refused = "is refused by Coolify's git URL rule:";
  if (/[;|&$`(){}[\]<>"'\\!?*^%=+#\n\r\0]/.test(url) || /\.\.[/\\]/.test(url)) {
    return `${refused} no shell or URL special characters (; | & $ \` ( ) { } [ ] < > " ' \\ ! ? * ^ % = + #), line breaks or ../`;
  }
  if (url.startsWith("git@")) return /^git@[a-zA-Z0-9.-]+:[a-zA-Z0-9\-_/.~]+$/.test(url) ? undefined : `${refused} use git@<host>:<owner>/<repo>.git`;
  if (url.startsWith("git://")) {
    return /^git:\/\/[a-zA-Z0-9.-]+(:[0-9]+)?[:/][a-zA-Z0-9\-_/.~]+$/.test(url) ? undefined : `${refused} use git://<host>/<owner>/<repo>.git`;
  }
  if (/^https?:\/\//.test(url)) {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    const host = parsed?.hostname ?? "";
    if (!parsed || host === "" || /^[0-9.]+$/.test(host) || host.startsWith("[") || ["localhost", "0.0.0.0"].includes(host) || host.endsWith(".local")) {
      return `${refused} an http(s) URL needs a public host name (no IP address, localhost or .local)`;
    }
    if (!/^[a-zA-Z0-9\-_/.@~]+$/.test(parsed.pathname)) return `${refused} the path may hold only letters, digits and - _ / . @ ~`;
    return undefined;
  }
  return `${refused} it must start with https://, http://, git://, or git@`;
};

/** S3 bucket names: ValidationPatterns::isValidS3BucketName (pattern, no `..`/`.-`/`-.`, not an IPv4 address). */
export const s3BucketProblem: Check = (bucket) => {
  if (!/^(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket) || /\.\.|\.-|-\./.test(bucket) || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    return `${JSON.stringify(bucket)} is refused by Coolify: 3-63 lowercase letters, digits, dots and dashes, starting and ending with a letter or digit, no .. .- -. and not an IPv4 address`;
  }
  return undefined;
};

/** Project descriptions: ProjectController's `descriptionRules()`, ValidationPatterns::DESCRIPTION_PATTERN, max 255. */
export const descriptionProblem = pattern(
  /^[\p{L}\p{M}\p{N}\s\-_.,!?()'"+=*@/&]+$/u,
  "a description may hold letters, digits, spaces and - _ . , ! ? ( ) ' \" + = * @ / &",
  255,
);

/** Project names: ProjectController's `nameRules()`: at least 3 characters (ValidationPatterns::nameRules). */
export const PROJECT_NAME_MIN_LENGTH = 3;

/** `build_pack`: App\Enums\BuildPackTypes at v4.3.9 (the contract's enums); the platform offers those without compose. */
export const BUILD_PACKS = ["nixpacks", "dockerfile", "static", "railpack"] as const;
