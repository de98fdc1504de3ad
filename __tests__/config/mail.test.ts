/** The mail an environment's domain sends, as configuration (records: constructs/dns). */
import { copyOf, trial } from "../fixtures/config";
import { problemsOf } from "../support/config";

const withMail = (mail: unknown) => problemsOf({ environments: [{ ...copyOf(trial), dns: { ...trial.dns, mail } }] });

describe("dns.mail", () => {
  it("accepts MX, SPF, DKIM and a DMARC policy", () => {
    expect(
      withMail({
        mx: [{ host: "mx1.mail.example.net", priority: 10 }],
        spf: "v=spf1 include:_spf.mail.example.net ~all",
        dkim: [{ selector: "s1", value: "v=DKIM1; k=rsa; p=MIIB" }],
        dmarcPolicy: "quarantine",
      }),
    ).toEqual([]);
  });

  it("rejects an SPF policy that lets anyone send, a DMARC policy that enforces nothing, and a malformed DKIM key", () => {
    expect(withMail({ spf: "v=spf1 +all", dkim: [{ selector: "S 1", value: "p=MIIB" }], dmarcPolicy: "none" })).toEqual([
      'environment "trial": dns.mail.spf: "v=spf1 +all" is not an SPF record like v=spf1 include:_spf.mail.example.net -all (ending in -all or ~all)',
      'environment "trial": dns.mail.dkim[0].selector: "S 1" is not a DKIM selector (lowercase letters, digits, dashes)',
      'environment "trial": dns.mail.dkim[0].value: "p=MIIB" is not a DKIM record like v=DKIM1; k=rsa; p=MIIB...',
      'environment "trial": dns.mail.dmarcPolicy: "none" is not a known DMARC policy (allowed: reject, quarantine)',
    ]);
  });
});
