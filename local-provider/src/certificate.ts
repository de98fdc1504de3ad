/**
 * The self-signed server certificate go-plugin's automatic mutual TLS expects: P-256, valid for
 * `localhost`, usable as its own trust anchor (as hashicorp/go-plugin `mtls.go` makes them; its client
 * trusts the certificate from the handshake line and dials with server name `localhost`). Made with
 * node:crypto and a few lines of DER: a certificate library costs more start-up time than the whole
 * handshake.
 */
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";

const der = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  const length = body.length;
  const header =
    length < 0x80 ? Buffer.from([tag, length]) : length < 0x100 ? Buffer.from([tag, 0x81, length]) : Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  return Buffer.concat([header, body]);
};

const sequence = (...parts: Buffer[]): Buffer => der(0x30, ...parts);

const oid = (dotted: string): Buffer => {
  const [first, second, ...rest] = dotted.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) groups.unshift((value & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
};

const utcTime = (date: Date): Buffer => der(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-:T]/g, "")}Z`));

const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  sequence(oid(id), ...(critical ? [der(0x01, Buffer.from([0xff]))] : []), der(0x04, value));

const ECDSA_WITH_SHA256 = sequence(oid("1.2.840.10045.4.3.2"));
const COMMON_NAME = "2.5.4.3";
const BASIC_CONSTRAINTS = "2.5.29.19";
const KEY_USAGE = "2.5.29.15";
const EXTENDED_KEY_USAGE = "2.5.29.37";
const SUBJECT_ALT_NAME = "2.5.29.17";
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

export interface ServerCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** The DER bytes, base64 without padding: the last field of go-plugin's handshake line. */
  readonly handshakeField: string;
}

const pem = (label: string, body: Buffer): string =>
  `-----BEGIN ${label}-----\n${body
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .trimEnd()}\n-----END ${label}-----\n`;

export const makeServerCertificate = (now = new Date()): ServerCertificate => {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const name = sequence(der(0x31, sequence(oid(COMMON_NAME), der(0x0c, Buffer.from("localhost")))));
  const serial = randomBytes(16);
  // DER integers are minimal and signed: a first byte of 0x40..0x7f is neither padding nor negative.
  serial[0] = (serial[0] & 0x3f) | 0x40;
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, serial),
    ECDSA_WITH_SHA256,
    name,
    sequence(utcTime(new Date(now.getTime() - 60_000)), utcTime(new Date(now.getTime() + 24 * 3600_000))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    der(
      0xa3,
      sequence(
        extension(BASIC_CONSTRAINTS, true, sequence(der(0x01, Buffer.from([0xff])))),
        // digitalSignature, keyEncipherment, keyCertSign
        extension(KEY_USAGE, true, der(0x03, Buffer.from([0x02, 0xa4]))),
        extension(EXTENDED_KEY_USAGE, false, sequence(oid(SERVER_AUTH), oid(CLIENT_AUTH))),
        extension(SUBJECT_ALT_NAME, false, sequence(der(0x82, Buffer.from("localhost")))),
      ),
    ),
  );
  const signature = sign("sha256", tbs, { key: privateKey, dsaEncoding: "der" });
  const certificate = sequence(tbs, ECDSA_WITH_SHA256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return {
    certificatePem: pem("CERTIFICATE", certificate),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    handshakeField: certificate.toString("base64").replace(/=+$/, ""),
  };
};
