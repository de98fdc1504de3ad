/**
 * What Coolify deletes with a compose service, read from the service's document. coollabsio/coolify
 * v4.3.9: the API's delete (`DELETE /api/v1/services/{uuid}`, `delete_volumes` and
 * `delete_configurations` true unless the request says otherwise: app/Http/Controllers/Api/
 * ServicesController.php lines 973, 1025-1027; terraform-provider-coolify v0.1.17 sends neither,
 * internal/client/services.go DeleteService) runs DeleteService, which
 * - runs `docker volume rm -f` on every named volume of the service's containers
 *   (app/Actions/Service/DeleteService.php lines 18-48); the parser records any source that is not a
 *   local path as one (bootstrap/helpers/parsers.php serviceParser lines 2243-2284), except a
 *   `cifs` or `nfs` volume, which it skips; an anonymous volume belongs to the old container, and the
 *   new service's container starts with a new one;
 * - removes the service's own directory, /data/coolify/services/<uuid> (app/Models/Service.php
 *   deleteConfigurations, lines 202-209), where a relative source (`./`, `~`, `..`) lives
 *   (bootstrap/helpers/shared.php replaceLocalSource);
 * - keeps the files of an absolute bind: its record goes by a query that runs no model event
 *   (app/Models/ServiceApplication.php lines 63-67, ServiceDatabase.php lines 48-51).
 */
import { parse } from "yaml";

type ComposeVolume = string | { readonly type?: string; readonly source?: string };
interface ComposeDocument {
  readonly services?: Record<string, { readonly volumes?: readonly ComposeVolume[] } | null>;
  readonly volumes?: Record<string, { readonly driver_opts?: { readonly type?: string } } | null>;
}

/** bootstrap/helpers/shared.php sourceIsLocal. */
const isLocal = (source: string): boolean => ["./", "/", "~", ".."].some((start) => source.startsWith(start));

/**
 * What of a service's storage Coolify deletes with it, one line each (`<container>: <what>`), empty
 * when its data is only in absolute host paths. A document that does not parse counts as losing
 * everything it might hold.
 */
export const lostWithService = (compose: string): string[] => {
  let document: ComposeDocument;
  try {
    document = (parse(compose) ?? {}) as ComposeDocument;
  } catch {
    return ["a compose document that does not parse: whatever its volumes hold"];
  }
  return Object.entries(document.services ?? {}).flatMap(([container, spec]) =>
    (spec?.volumes ?? []).flatMap((volume) => {
      const source = typeof volume === "string" ? (volume.includes(":") ? volume.split(":")[0] : "") : (volume.source ?? "");
      if (source === "") return [`${container}: an anonymous volume`];
      if (!isLocal(source)) {
        const driver = document.volumes?.[source]?.driver_opts?.type;
        return driver === "cifs" || driver === "nfs" ? [] : [`${container}: the named volume ${source}`];
      }
      return source.startsWith("/") ? [] : [`${container}: ${source}, inside the service's own directory`];
    }),
  );
};
