import { defineConfig } from 'tsup';
import { libraryBuildConfig } from '../../tools/build/tsup-preset.ts';

export default defineConfig(libraryBuildConfig(import.meta.dirname));
