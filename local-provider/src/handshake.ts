/**
 * What Terraform puts in a provider plugin's environment when it starts one: go-plugin's handshake
 * cookie for Terraform providers and the plugin protocols it offers. The plugin checks them; tests
 * and the benchmark set them to start a plugin the way Terraform does.
 *
 * Sources: hashicorp/terraform v1.11 `internal/plugin/serve.go` (`Handshake`: the cookie key and
 * value, protocol versions 5 and 6); hashicorp/go-plugin `server.go` (the handshake line
 * `core|app|network|address|protocol|cert`).
 */
export const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
export const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
export const PROTOCOL_VERSION = "6";

/** The environment Terraform 1.11 starts a plugin with (without AutoMTLS's client certificate). */
export const TERRAFORM_PLUGIN_ENV = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: "5,6" };
