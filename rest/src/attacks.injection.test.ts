// Attacks, family 11 on the SQLite store. The cases live in attacks.injection.test-helpers.ts so the
// MongoDB adapter runs exactly the same list against its own server.
import { describeInjectionAttacks } from "./attacks.injection.test-helpers.js";
import { startTestRest } from "./harness.test-helpers.js";

describeInjectionAttacks("sqlite", () => startTestRest());
