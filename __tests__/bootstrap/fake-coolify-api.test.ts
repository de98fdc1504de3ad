/**
 * The fake Coolify API answers as Coolify v4.3.9's contract says, so that a bootstrap call Coolify
 * would refuse fails in the tests too.
 */
import { loadRoutes } from "../fixtures/bootstrap/fake-coolify-api";
import { describeWithTools } from "../support/tools";
import { FakeCoolify, TestPostgres, TOOLS } from "./harness";

describe("the fake Coolify API's routes", () => {
  it("come from the contract and the OpenAPI document, with the abilities routes/api.php gives them", () => {
    const routes = loadRoutes();
    const route = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path);

    expect(routes.length).toBeGreaterThan(250);
    expect(route("POST", "/enable")).toMatchObject({ guard: "api-switch", ability: "write", action: "enable_api" });
    expect(route("GET", "/enable")).toMatchObject({ action: "post_required" });
    expect(route("GET", "/version")).toMatchObject({ guard: "api", ability: "read" });
    expect(route("GET", "/health")).toMatchObject({ guard: "public" });
    expect(route("POST", "/applications/dockerimage")?.body?.required).toEqual(
      expect.arrayContaining(["project_uuid", "server_uuid", "docker_registry_image_name"]),
    );
  });
});

describeWithTools("the fake Coolify API, driven by Coolify's contract", TOOLS, () => {
  let postgres: TestPostgres;
  let coolify: FakeCoolify;
  let root: string;

  beforeAll(async () => {
    postgres = new TestPostgres();
    coolify = new FakeCoolify(postgres);
    await coolify.startInstalled({ apiEnabled: false });
    root = coolify.addToken(["root"]);
  });

  afterAll(() => {
    coolify?.stop();
    postgres?.stop();
  });

  it("refuses GET /api/v1/enable with 405: since Coolify 4.2 enabling the API is a POST", () => {
    const answer = coolify.call("GET", "/api/v1/enable", root);
    expect(answer).toEqual({ status: 405, body: JSON.stringify({ message: "This endpoint has changed to a POST request." }) });
    expect(postgres.query("SELECT is_api_enabled FROM instance_settings WHERE id = 0;")).toBe("f");
  });

  it("answers 404 for a path Coolify does not have and 405 for a method a path does not take", () => {
    expect(coolify.call("GET", "/api/v1/instance/settings", root).status).toBe(404);
    expect(coolify.call("GET", "/api/v2/version", root).status).toBe(404);
    expect(coolify.call("DELETE", "/api/v1/version", root).status).toBe(405);
    expect(coolify.call("PUT", "/api/v1/servers/abc/validate", root).status).toBe(405);
  });

  it("answers 401 without a token or with an unknown one", () => {
    expect(coolify.call("POST", "/api/v1/enable").status).toBe(401);
    expect(coolify.call("GET", "/api/v1/version", "unknown-token").status).toBe(401);
  });

  it("answers 403 to a token without the route's ability; root passes every check", () => {
    const reader = coolify.addToken(["read"]);
    const deployer = coolify.addToken(["deploy"]);

    expect(coolify.call("POST", "/api/v1/enable", reader)).toEqual({ status: 403, body: JSON.stringify({ message: "Missing required permissions: write" }) });
    expect(coolify.call("POST", "/api/v1/enable", root).status).toBe(200);
    expect(coolify.call("GET", "/api/v1/version", reader).status).toBe(200);
    expect(coolify.call("GET", "/api/v1/version", deployer).status).toBe(403);
    expect(coolify.call("POST", "/api/v1/servers/abc/validate", reader).status).toBe(403);
  });

  it("answers 403 while the API is off, and to callers outside allowed_ips", () => {
    postgres.query("UPDATE instance_settings SET is_api_enabled = false WHERE id = 0;");
    expect(coolify.call("GET", "/api/v1/version", root)).toEqual({ status: 403, body: JSON.stringify({ success: true, message: "API is disabled." }) });
    postgres.query("UPDATE instance_settings SET is_api_enabled = true, allowed_ips = '203.0.113.0/24' WHERE id = 0;");
    expect(coolify.call("GET", "/api/v1/version", root).status).toBe(403);
    postgres.query("UPDATE instance_settings SET allowed_ips = '203.0.113.0/24,127.0.0.0/8' WHERE id = 0;");
    expect(coolify.call("GET", "/api/v1/version", root).status).toBe(200);
  });

  it("answers 422 for a body without a required field, with a value outside an enum or with a field Coolify does not take", () => {
    const missing = coolify.call("POST", "/api/v1/applications/dockerimage", root, { project_uuid: "p", environment_name: "production" });
    expect(missing.status).toBe(422);
    expect(Object.keys(JSON.parse(missing.body).errors)).toEqual(expect.arrayContaining(["server_uuid", "docker_registry_image_name"]));

    const outsideEnum = coolify.call("POST", "/api/v1/applications/dockerimage", root, {
      project_uuid: "p",
      server_uuid: "s",
      environment_name: "production",
      environment_uuid: "e",
      docker_registry_image_name: "nginx",
      redirect: "sometimes",
    });
    expect(outsideEnum.status).toBe(422);
    expect(JSON.parse(outsideEnum.body).errors).toEqual({ redirect: ["The selected redirect is invalid."] });

    const unknown = coolify.call("POST", "/api/v1/s3-storages", root, { name: "b", bucket: "b", is_validated: true });
    expect(unknown.status).toBe(422);
    expect(JSON.parse(unknown.body).errors.is_validated).toEqual(["This field is not allowed."]);
  });
});
