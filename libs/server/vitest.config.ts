import { libraryTestConfig } from '../../tools/build/vitest-preset.ts';

export default libraryTestConfig(import.meta.dirname);
