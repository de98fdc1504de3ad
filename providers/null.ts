import { NullProvider } from "@cdktf/provider-null/lib/provider";
import type { Construct } from "constructs";

export const nullProvider = (scope: Construct): NullProvider => new NullProvider(scope, "null");
