/** The suites `npm run test:fast` leaves out, as path patterns (see layers.js). */
export declare const SLOW_SUITES: readonly string[];
