import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.ts';

/** Runs every project at once (`npx vitest run`); `npm test` runs them per project through Nx. */
export default defineConfig({ test: { projects } });
