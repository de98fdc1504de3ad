import { cidrProblem, sshPublicKeyProblem } from "../../config/network-values";

const RSA_1024 =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCzZA2b0aCQzqpEUqeiXMmKxjRPkeSOFmYqZioa2JDHFSVvA+V4I7rTRT1wx08yTstgPP2B6IamV+eYhASx183CPaIAbdAvmf0L+wGQduvi9mT9XD2K6CDUT7m8OrCMzsbdYsjy8L3tgFrNfBoq85AytWFSCxPcftRYMLp+PMjOvw== short";
const RSA_3072 =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCue6/SeD1Bo/Xu2rFOlasRlnca++GHurST0ASJ0loYeIdzoDONLyko1ZUGAqZM5M36qnZXpfmw/Xh1WIjlRFpgr0VlM88R7Uv16Y+Koi/S6NKvflzZiJrI6AE4kKovHIBPpjTXgWRAtZiiRDoHR4hrovVKJdw+VeKw6TUW5Owkp5GhaB5xR2n4myY4mA061iQdMzlKWy3Eti7e9tp4fxuwj9jcRp9WPMLqyAVyvqn1B0+XYbQohEK9k1vbf6kdxr9wqDZ3tqsyQOBjaI1k3GVRbgBDao4srmlqzdDFHIW0/npg4Rq4p7pwow1yGIUVjLPQ39x4twGD/Wa7wP6m5PIrXjgSb/HFYob6KnhFDC/fwj0QYh0TbAgAhyducAy1l2HLF3C9slk4J9OtQh7SmkL4DT2yQqBiiecbGsVwrfgEIcFV4/1AYlph439ruqrIsAv00cbk4iL6AIacw8TZjn5zLuJ4eF3WVCcUP9vii86xfaQG9ax8bdNDr93aV5xjth0= long";
const ECDSA =
  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBMN1UadECcySV/Wh7c8pZf4Auuup2FfebkkqCnA00hYHIm/93E4ZcbjdZSMI6zsYsT9toicBZ+D+2ZcI1rhUwhE= ec";
const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGdSUARqp2gI+xvKjEqymP+rnHHXiL6y1Uj0uRKp0usl ops@example.com";

describe("cidrProblem", () => {
  it.each(["203.0.113.0/24", "198.51.100.17/32", "0.0.0.0/0", "2001:db8:1234::/48", "2001:db8::1/128", "::/0"])("accepts %s", (cidr) => {
    expect(cidrProblem(cidr)).toBeUndefined();
  });

  it.each([
    ["203.0.113.5", "is not a CIDR (expected address/prefix, e.g. 203.0.113.0/24 or 2001:db8::/32)"],
    ["203.0.113.5/24", "has host bits set; the network is 203.0.113.0/24"],
    ["2001:db8::1/64", "has host bits set; the network is 2001:db8:0:0:0:0:0:0/64"],
    ["300.1.1.0/24", 'has an invalid IP address "300.1.1.0"'],
    ["10.0.0.0/33", "has prefix /33, which is longer than /32"],
    ["2001:db8::/129", "has prefix /129, which is longer than /128"],
    ["010.0.0.0/8", 'has an invalid IP address "010.0.0.0"'],
  ])("rejects %s", (cidr, message) => {
    expect(cidrProblem(cidr)).toBe(message);
  });
});

describe("sshPublicKeyProblem", () => {
  it.each([ED25519, RSA_3072, ECDSA])("accepts a real key", (key) => {
    expect(sshPublicKeyProblem(key)).toBeUndefined();
  });

  it.each([
    ["a private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...", "is a private key; put the public key (the .pub file) here"],
    ["a truncated ed25519 key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGdSUARq", "has key data that does not hold a ssh-ed25519 key (truncated or mismatched)"],
    ["an ed25519 key of the wrong size", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAAQA=", "has key data of the wrong length for ssh-ed25519 (truncated?)"],
    ["a blob of another type", `ssh-ed25519 ${ECDSA.split(" ")[1]}`, "has key data that does not hold a ssh-ed25519 key (truncated or mismatched)"],
    ["a short RSA key", RSA_1024, "is an RSA key shorter than 2048 bits (or truncated); use ssh-ed25519 or RSA >= 2048"],
    ["no key data", "ssh-ed25519", "has no valid base64 key data after the key type"],
    [
      "an unknown type",
      "ssh-dss AAAA",
      expect.stringMatching(/^is not an SSH public key \(expected "<type> <base64> \[comment\]" with type one of ssh-ed25519, /),
    ],
  ])("rejects %s", (_what, key, message) => {
    expect(sshPublicKeyProblem(key)).toEqual(message);
  });
});
