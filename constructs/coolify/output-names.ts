import { terraformId } from "../../config/naming";

/**
 * Output name of a per-resource value, e.g. `app_shop__web_uuid`. Resource names hold single
 * dashes only, so the double underscore keeps project and resource apart.
 */
export const resourceOutputName = (kind: "app" | "db", project: string, resource: string, value: string): string =>
  `${kind}_${terraformId(project)}__${terraformId(resource)}_${value}`;
