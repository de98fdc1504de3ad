/**
 * Resources that already exist (in Coolify, `apps.adopted`; in Hetzner and Cloudflare,
 * `adoptedInfra`): each gets an import block with its provider import id, so that the first plan
 * imports it instead of creating a copy. A path that matches no resource of the stack fails the
 * synth, so a renamed resource is never created anew.
 */
import { Aspects, TerraformResource, type TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { ConfigError } from "../config/problems";

export const importAdopted = (
  stack: TerraformStack,
  environment: string,
  adopted: Readonly<Record<string, string>> | undefined,
  field = "apps.adopted",
  tool = "npm run adopt",
): void => {
  if (!adopted || Object.keys(adopted).length === 0) return;
  const prefix = `${stack.node.path}/`;
  const imported = new Set<string>();
  Aspects.of(stack).add({
    visit(node: IConstruct) {
      if (!(node instanceof TerraformResource) || !node.node.path.startsWith(prefix)) return;
      const path = node.node.path.slice(prefix.length);
      const id = adopted[path];
      if (id === undefined || imported.has(path)) return;
      node.importFrom(id);
      imported.add(path);
    },
  });
  stack.node.addValidation({
    validate: () => {
      const unmatched = Object.keys(adopted).filter((path) => !imported.has(path));
      if (unmatched.length > 0) {
        throw new ConfigError(
          unmatched.map(
            (path) =>
              `environment ${JSON.stringify(environment)}: ${field}[${JSON.stringify(path)}]: matches no resource of ${stack.node.path} (allowed: the construct path of a resource the configuration creates, as ${tool} writes it)`,
          ),
        );
      }
      return [];
    },
  });
};
