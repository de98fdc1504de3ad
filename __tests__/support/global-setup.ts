import { setUpProviderDaemon } from "./provider-daemon";

export default setUpProviderDaemon;
