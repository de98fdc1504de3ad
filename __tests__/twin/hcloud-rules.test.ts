/**
 * The local hcloud provider's rules for a running server's placement group and for deleting a
 * protected resource, as
 * hetznercloud/terraform-provider-hcloud v1.59.0 and the Hetzner Cloud API apply them.
 */
import { UNKNOWN } from "../../local-provider/src/cty";
import { hcloudCreated, hcloudDeleteRefusal, hcloudRefusal } from "../../local-provider/src/hcloud-rules";

const server = (status: string, group: number | null) => ({ name: "staging-coolify", status, placement_group_id: group });

describe("the local hcloud provider's placement group rules", () => {
  it("refuses to add a running server to a placement group (server_not_stopped)", () => {
    expect(hcloudRefusal("hcloud_server", server("running", null), server("running", 7))).toMatch(/^server_not_stopped/);
  });

  it("refuses to take a running server out of its placement group, or move it to another, as the provider does", () => {
    expect(hcloudRefusal("hcloud_server", server("running", 7), server("running", null))).toMatch(/^removing a running server from a placement group/);
    expect(hcloudRefusal("hcloud_server", server("running", 7), server("running", 8))).toMatch(/^removing a running server/);
  });

  it("lets a stopped server change its group, and any server keep it", () => {
    expect(hcloudRefusal("hcloud_server", server("off", null), server("off", 7))).toBeUndefined();
    expect(hcloudRefusal("hcloud_server", server("running", 7), server("running", 7))).toBeUndefined();
    expect(hcloudRefusal("hcloud_server", null, server("running", 7))).toBeUndefined();
  });

  it("starts a server it creates, and leaves updates and other types alone", () => {
    expect(hcloudCreated("hcloud_server", null, { name: "a", status: UNKNOWN })).toEqual({ name: "a", status: "running" });
    expect(hcloudCreated("hcloud_server", server("off", null), server("off", null))).toEqual(server("off", null));
    expect(hcloudCreated("hcloud_volume", null, { status: UNKNOWN })).toEqual({ status: UNKNOWN });
  });
});

describe("the local hcloud provider's delete protection rule", () => {
  it("refuses to delete (or replace) a server, primary IP, volume or network whose delete protection is on, as the API does (protected)", () => {
    for (const type of ["hcloud_server", "hcloud_primary_ip", "hcloud_volume", "hcloud_network"]) {
      expect(hcloudDeleteRefusal(type, { name: "production-worker-2", delete_protection: true }, null)).toBe(
        `protected: ${type} production-worker-2 has delete protection on; the Hetzner Cloud API refuses to delete it (error code "protected")`,
      );
    }
  });

  it("deletes an unprotected resource, and lets a protected one be updated, lifting its protection included", () => {
    expect(hcloudDeleteRefusal("hcloud_server", { name: "a", delete_protection: false }, null)).toBeUndefined();
    expect(hcloudDeleteRefusal("hcloud_server", { name: "a", delete_protection: true }, { name: "a", delete_protection: false })).toBeUndefined();
    expect(hcloudDeleteRefusal("hcloud_server", null, { name: "a", delete_protection: true })).toBeUndefined();
    expect(hcloudDeleteRefusal("coolify_server", { name: "a", delete_protection: true }, null)).toBeUndefined();
  });
});

describe("the local hcloud provider's rules for resizing and replacing a server", () => {
  const host = (serverType: string, deleteProtection: boolean) => ({ ...server("running", 7), server_type: serverType, delete_protection: deleteProtection });

  it("resizes a running server in place: the provider powers it off and the API starts it again, nothing to refuse", () => {
    expect(hcloudRefusal("hcloud_server", host("cpx22", true), host("cpx32", true))).toBeUndefined();
  });

  it("refuses to replace a protected server through the same rule as a delete (protected), and replaces an unprotected one", () => {
    expect(hcloudRefusal("hcloud_server", host("cpx22", true), null)).toMatch(/^protected: hcloud_server staging-coolify has delete protection on/);
    expect(hcloudRefusal("hcloud_server", host("cpx22", false), null)).toBeUndefined();
  });
});
