// Brings the cdktf matchers (toHaveResourceWithProperties, ...) into the type checker.
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

Testing.setupJest();
