/** The local provider's import (local-provider/src/import.ts) against the real Coolify provider schema: the ids' attributes, the rest empty. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { importedState } from "../../local-provider/src/import";
import type { ProviderSchema } from "../../local-provider/src/schema";
import { PROVIDER_SCHEMAS } from "../support/terraform";

const coolify = (): ProviderSchema => {
  const name = readdirSync(PROVIDER_SCHEMAS).find((entry) => entry.startsWith("coolify")) ?? "coolify.json";
  const file = JSON.parse(readFileSync(join(PROVIDER_SCHEMAS, name), "utf8")) as { provider_schemas: Record<string, ProviderSchema> };
  return Object.values(file.provider_schemas)[0];
};

describe("local provider import", () => {
  const schema = coolify();
  const block = (type: string) => schema.resource_schemas?.[type]?.block ?? { attributes: {} };
  const set = (type: string, id: string) =>
    Object.fromEntries(
      Object.entries(importedState(type, id, block(type))).filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0)),
    );

  it("sets what each Coolify import id names, as terraform-provider-coolify v0.1.17 does", () => {
    expect(set("coolify_project", "og888os")).toEqual({ uuid: "og888os" });
    expect(set("coolify_environment", "og888os:preview")).toEqual({ project_uuid: "og888os", name: "preview" });
    expect(set("coolify_database_backup", "dk0w8gc:3")).toEqual({ database_uuid: "dk0w8gc", id: 3 });
    expect(set("coolify_environment_variable", "service:k8s0w4c:x4kgs8w")).toEqual({ service_uuid: "k8s0w4c", uuid: "x4kgs8w" });
    expect(set("coolify_notification_discord", "current")).toEqual({ id: "current" });
  });

  it("places an application, service or database by the four-part id, and gives an application the provider's import defaults", () => {
    expect(set("coolify_database_redis", "p1:s1:preview:d1")).toEqual({ project_uuid: "p1", server_uuid: "s1", environment_name: "preview", uuid: "d1" });
    expect(set("coolify_service", "s9")).toEqual({ uuid: "s9" });
    const app = set("coolify_application_docker_image", "p1:s1:production:a1");
    expect(app).toEqual(expect.objectContaining({ project_uuid: "p1", server_uuid: "s1", environment_name: "production", uuid: "a1" }));
    expect(app).toEqual(
      expect.objectContaining({ health_check_enabled: false, health_check_path: "/", is_force_https_enabled: true, static_image: "nginx:alpine" }),
    );
    expect(set("coolify_application_private_git", "a1")).toEqual(expect.objectContaining({ uuid: "a1", environment_name: "production" }));
  });

  it.each([
    ["coolify_environment", "og888os", /expected "project_uuid:environment_name"/],
    ["coolify_database_backup", "dk0w8gc:x", /backup_id must be a positive integer/],
    ["coolify_scheduled_task", "database:a:b", /expected one of application, service/],
    ["coolify_notification_discord", "1", /imported by the id "current"/],
    ["coolify_project", "a:b", /expected the resource's UUID/],
    ["coolify_application", "p:s:a", /expected UUID or project_uuid:server_uuid:environment_name:uuid/],
  ])("refuses %s with the id %s", (type, id, message) => {
    expect(() => importedState(type, id, block(type))).toThrow(message);
  });
});
