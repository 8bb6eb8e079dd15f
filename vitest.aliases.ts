// Tests run on TypeScript sources: map workspace packages to their src entry points.
import { fileURLToPath } from "node:url";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export const workspaceAliases = [
  { find: /^@kaleem\/shared\/contracts$/, replacement: here("./shared/src/contracts/index.ts") },
  { find: /^@kaleem\/shared\/testing$/, replacement: here("./shared/src/testing/index.ts") },
  { find: /^@kaleem\/shared\/text$/, replacement: here("./shared/src/text/normalize.ts") },
  { find: /^@kaleem\/shared\/client$/, replacement: here("./shared/src/contracts/client.ts") },
  { find: /^@kaleem\/shared\/otel$/, replacement: here("./shared/src/adapters/otel/tracing.ts") },
  { find: /^@kaleem\/shared\/adapters$/, replacement: here("./shared/src/adapters/index.ts") },
  { find: /^@kaleem\/shared$/, replacement: here("./shared/src/index.ts") },
  { find: /^@kaleem\/workers\/commerce\/testing$/, replacement: here("./workers/src/commerce/testing/index.ts") },
  { find: /^@kaleem\/workers\/commerce$/, replacement: here("./workers/src/commerce/index.ts") },
  { find: /^@kaleem\/workers\/channels\/testing$/, replacement: here("./workers/src/channels/testing/index.ts") },
  { find: /^@kaleem\/workers\/channels$/, replacement: here("./workers/src/channels/index.ts") },
  { find: /^@kaleem\/workers$/, replacement: here("./workers/src/index.ts") },
  { find: /^@kaleem\/rest$/, replacement: here("./rest/src/index.ts") },
  { find: /^@kaleem\/hub$/, replacement: here("./hub/src/index.ts") },
  { find: /^@kaleem\/launcher$/, replacement: here("./launcher/src/main.ts") },
];
