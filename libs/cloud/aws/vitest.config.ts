import { libraryTestConfig } from '../../../tools/build/vitest-preset.ts';

// The first call to a service loads its AWS SDK client (EC2's takes seconds on a busy machine).
export default libraryTestConfig(import.meta.dirname, { testTimeout: 30_000 });
