/**
 * The local hcloud provider's rules for a running server's placement group, its power and disk on an
 * update, a volume's location, and deleting a protected resource, as
 * hetznercloud/terraform-provider-hcloud v1.59.0 and the Hetzner Cloud API apply them.
 */
import { UNKNOWN, type Value } from "../../local-provider/src/cty";
import {
  createdDisk,
  hcloudCreated,
  hcloudDeleteRefusal,
  hcloudRefusal,
  hcloudServerUpdate,
  hcloudVolumeAttachRefusal,
  hcloudVolumeCreated,
} from "../../local-provider/src/hcloud-rules";

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

describe("the local hcloud provider's power and disk rules for an update of a server", () => {
  const running = (serverType: string, extra: Record<string, unknown> = {}) => ({ ...server("running", 7), server_type: serverType, ...extra });
  const POWEROFF = "POST /servers/{id}/actions/poweroff";
  const CHANGE_TYPE = "POST /servers/{id}/actions/change_type";

  it("powers a running server off for a type change, and the API starts it again with its disk grown to the new type's", () => {
    expect(hcloudServerUpdate(running("cpx22"), running("cpx32"), 80)).toEqual({ powerCalls: [POWEROFF, CHANGE_TYPE], status: "running", diskGb: 160 });
  });

  it("refuses a type with a smaller disk than the upgraded one (invalid_server_type), and leaves the server off: the provider powered it off first", () => {
    const refused = hcloudServerUpdate(running("cpx32"), running("cpx22"), 160);
    expect(refused).toMatchObject({ powerCalls: [POWEROFF, CHANGE_TYPE], status: "off", diskGb: 160 });
    expect(refused.refusal).toMatch(
      /^invalid_server_type: the Hetzner Cloud API refuses to change server staging-coolify to cpx22: its 80 GB disk is smaller than the server's 160 GB/,
    );
  });

  it("keeps the disk with keep_disk, so that the way back down stays open", () => {
    const up = hcloudServerUpdate(running("cpx22"), running("cpx32", { keep_disk: true }), 80);
    expect(up).toEqual({ powerCalls: [POWEROFF, CHANGE_TYPE], status: "running", diskGb: 80 });
    expect(hcloudServerUpdate(running("cpx32"), running("cpx22", { keep_disk: true }), up.diskGb).refusal).toBeUndefined();
  });

  it("knows the disk of a type it creates, and applies no disk rule to a type it does not know", () => {
    expect([createdDisk("cpx22"), createdDisk("ccx23"), createdDisk("cx22")]).toEqual([80, 160, undefined]);
    expect(hcloudServerUpdate(running("cx22"), running("cpx22"), undefined).refusal).toBeUndefined();
  });

  it("powers a server off and on again for a change of its public network (primary IPs), and not at all for other changes", () => {
    const withIp = (id: number) => running("cpx22", { public_net: [{ ipv4: id, ipv4_enabled: true }] });
    expect(hcloudServerUpdate(withIp(1), withIp(2), 80)).toEqual({
      powerCalls: [POWEROFF, "POST /servers/{id}/actions/poweron"],
      status: "running",
      diskGb: 80,
    });
    expect(hcloudServerUpdate(running("cpx22", { labels: { a: "1" } }), running("cpx22", { labels: { a: "2" } }), 80)).toEqual({
      powerCalls: [],
      status: "running",
      diskGb: 80,
    });
  });
});

describe("the local hcloud provider's volume location rule", () => {
  const locations: Record<string, string> = { "11": "nbg1", "12": "fsn1", "14": "nbg1" };
  const locationOf = (id: string): string | undefined => locations[id];
  const volume = (serverId: string | null, location: Value = "nbg1") => ({ name: "staging-coolify-data", server_id: serverId, location });

  it("refuses to attach a volume to a server in another location", () => {
    expect(hcloudVolumeAttachRefusal(volume("11"), volume("12"), locationOf)).toBe(
      "the Hetzner Cloud API refuses to attach volume staging-coolify-data (in nbg1) to server 12 (in fsn1): a volume attaches only to a server in its own location (POST /volumes/{id}/actions/attach)",
    );
  });

  it("attaches one to a server in its location, and leaves an unchanged attachment or an unknown server alone", () => {
    expect(hcloudVolumeAttachRefusal(volume("11"), volume("14"), locationOf)).toBeUndefined();
    expect(hcloudVolumeAttachRefusal(volume("11"), { ...volume("11"), size: 20 }, locationOf)).toBeUndefined();
    expect(hcloudVolumeAttachRefusal(volume("12", "fsn1"), volume("13", "fsn1"), locationOf)).toBeUndefined();
    expect(hcloudVolumeAttachRefusal(null, volume("11"), locationOf)).toBeUndefined();
  });

  it("creates a volume given a server in that server's location", () => {
    expect(hcloudVolumeCreated(null, volume("12", UNKNOWN), locationOf)).toEqual(volume("12", "fsn1"));
    expect(hcloudVolumeCreated(volume("11"), volume("12"), locationOf)).toEqual(volume("12"));
  });
});
