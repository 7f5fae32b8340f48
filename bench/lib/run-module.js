// Runs one of the bench's TypeScript helper processes in plain Node, without a TypeScript loader: through the bundle
// cache the local server loads its own code with (bin/module-cache.js), so a helper's memory and CPU carry no loader.
import { importModule } from '../../bin/module-cache.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await importModule(process.argv[2]);
