import { Fn, type IResolvable, Op, type Precondition, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";

/** Coolify's own tokens carry 40 random characters; ours may not be weaker. */
export const API_TOKEN_MIN_LENGTH = 40;
/**
 * Coolify asks for 8 (Laravel's Password::min(8), coollabsio/coolify v4.3.9
 * app/Providers/AppServiceProvider.php); the root user is root on every server, and its password is
 * its only factor, for which NIST SP 800-63B-4 section 3.1.1.2 asks for at least 15 characters.
 */
export const ROOT_PASSWORD_MIN_LENGTH = 16;
export const DEFAULT_ROOT_USERNAME = "root";

/**
 * Symbols the installer can carry: it writes the root user into `.env` with `sed "s|…|…|"` and
 * Docker Compose interpolates that file, so quotes, `$`, `|`, `&`, backslash and spaces would be
 * cut, mangled or expanded.
 */
const PASSWORD_SYMBOLS = "!#%()*+,./:;<=>?@[]^_{}~-";
// `]` first and `-` last keep both literal inside the bracket expression.
const PASSWORD_CHARACTERS = `^[]A-Za-z0-9!#%()*+,./:;<=>?@[^_{}~-]+$`;

interface Rule {
  readonly holds: (value: string) => IResolvable;
  /** Completes "<variable> …", naming what is allowed. */
  readonly says: string;
}

const matches =
  (pattern: string): Rule["holds"] =>
  (value) =>
    Fn.can(Fn.regex(Fn.rawString(pattern), value));
const atLeast =
  (length: number): Rule["holds"] =>
  (value) =>
    Op.gte(Fn.lengthOf(value), length);

const PASSWORD_RULES: readonly Rule[] = [
  { holds: atLeast(ROOT_PASSWORD_MIN_LENGTH), says: `must be at least ${ROOT_PASSWORD_MIN_LENGTH} characters long` },
  { holds: matches("[a-z]"), says: "must contain a lowercase letter" },
  { holds: matches("[A-Z]"), says: "must contain an uppercase letter" },
  { holds: matches("[0-9]"), says: "must contain a digit" },
  { holds: matches("[^A-Za-z0-9]"), says: "must contain a symbol" },
  { holds: matches(PASSWORD_CHARACTERS), says: `may contain only letters, digits and the symbols ${PASSWORD_SYMBOLS}` },
];

const EMAIL_RULES: readonly Rule[] = [
  { holds: matches("^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]+[.][A-Za-z]{2,63}$"), says: "must be an email address like ops@example.com" },
];

const USERNAME_RULES: readonly Rule[] = [{ holds: matches("^[A-Za-z0-9 _-]{3,255}$"), says: "must be 3 to 255 letters, digits, spaces, _ or -" }];

const TOKEN_RULES: readonly Rule[] = [
  { holds: atLeast(API_TOKEN_MIN_LENGTH), says: `must be at least ${API_TOKEN_MIN_LENGTH} characters long` },
  { holds: matches("^[A-Za-z0-9_-]+$"), says: "may contain only letters, digits, - and _" },
];

const PRIVATE_KEY_RULES: readonly Rule[] = [
  { holds: matches("-----BEGIN [A-Z ]*PRIVATE KEY-----"), says: "must be a PEM/OpenSSH private key (-----BEGIN … PRIVATE KEY-----)" },
];

export interface BootstrapVariablesProps {
  /** Environment name, for the messages of the checks. */
  readonly environment: string;
}

/**
 * The values the bootstrap needs that must not live in the repository, as Terraform variables
 * (`TF_VAR_<name>`). Coolify silently skips its root user when the email or password breaks its
 * rules, so `preconditions` check those rules at plan time, before anything connects. They are
 * preconditions for the bootstrap resource rather than variable `validation` blocks because
 * Terraform (1.11) prints the rejected value of a sensitive variable next to a failed validation
 * rule; a failed precondition prints only its message.
 */
export class BootstrapVariables extends Construct {
  readonly sshPrivateKey: TerraformVariable;
  readonly rootUsername: TerraformVariable;
  readonly rootEmail: TerraformVariable;
  readonly rootPassword: TerraformVariable;
  readonly apiToken: TerraformVariable;
  readonly readToken: TerraformVariable;
  readonly preconditions: Precondition[] = [];

  constructor(scope: Construct, id: string, { environment }: BootstrapVariablesProps) {
    super(scope, id);
    // Variables live at the stack root so their names stay plain for TF_VAR_<name>.
    const stack = TerraformStack.of(this);
    const variable = (name: string, description: string, rules: readonly Rule[], options: { sensitive: boolean; default?: string }) => {
      const created = new TerraformVariable(stack, name, { type: "string", description, sensitive: options.sensitive, default: options.default });
      for (const rule of rules) {
        this.preconditions.push({ condition: rule.holds(created.stringValue), errorMessage: `Environment "${environment}": ${name} ${rule.says}.` });
      }
      return created;
    };

    this.sshPrivateKey = variable(
      "coolify_ssh_private_key",
      "Private key matching one of the environment's SSH public keys; the bootstrap logs in to the Coolify host as root with it",
      PRIVATE_KEY_RULES,
      { sensitive: true },
    );
    this.rootUsername = variable("coolify_root_username", "Name of Coolify's root user", USERNAME_RULES, {
      sensitive: false,
      default: DEFAULT_ROOT_USERNAME,
    });
    this.rootEmail = variable("coolify_root_email", "Login email of Coolify's root user", EMAIL_RULES, { sensitive: true });
    this.rootPassword = variable(
      "coolify_root_password",
      "Password of Coolify's root user (Coolify's rules: length, mixed case, digit, symbol)",
      PASSWORD_RULES,
      {
        sensitive: true,
      },
    );
    this.apiToken = variable(
      "coolify_token",
      `Plain API token the bootstrap seeds for the root user and root team (at least ${API_TOKEN_MIN_LENGTH} of A-Z a-z 0-9 - _; e.g. openssl rand -hex 32)`,
      TOKEN_RULES,
      { sensitive: true },
    );
    this.readToken = variable(
      "coolify_read_token",
      `Plain API token with only the read ability the bootstrap seeds for pull-request plans (at least ${API_TOKEN_MIN_LENGTH} of A-Z a-z 0-9 - _; not coolify_token)`,
      TOKEN_RULES,
      { sensitive: true },
    );
    this.preconditions.push({
      condition: Op.neq(this.readToken.stringValue, this.apiToken.stringValue),
      errorMessage: `Environment "${environment}": coolify_read_token must differ from coolify_token (a plan's token may only read).`,
    });
  }
}
