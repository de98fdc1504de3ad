import { tearDownProviderDaemon } from "./provider-daemon";

export default tearDownProviderDaemon;
