/**
 * cdktf's jest matchers (toHaveResourceWithProperties, ...), for the suites that use them: loading
 * cdktf costs every suite that does not need it about half a second of CPU in jest's module registry.
 */
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

Testing.setupJest();
