import { describe, expect, it } from 'vitest';
import { lazyModule } from './lazy-module';

describe('lazyModule', () => {
  it('imports nothing until asked, then once for concurrent callers, then hands the module over synchronously', async () => {
    let imports = 0;
    const module = { name: 'fake' };
    const lazy = lazyModule(() => {
      imports += 1;
      return Promise.resolve(module);
    });
    expect(imports).toBe(0);
    expect(lazy.loaded()).toBeUndefined();
    const [first, second] = await Promise.all([lazy.load(), lazy.load()]);
    expect(first).toBe(module);
    expect(second).toBe(module);
    expect(lazy.loaded()).toBe(module);
    await lazy.load();
    expect(imports).toBe(1);
  });

  it('does not keep a failed import: the next call tries again', async () => {
    let imports = 0;
    const lazy = lazyModule(() => {
      imports += 1;
      return imports === 1 ? Promise.reject(new Error('EMFILE: too many open files')) : Promise.resolve('loaded');
    });
    await expect(lazy.load()).rejects.toThrow('EMFILE');
    expect(lazy.loaded()).toBeUndefined();
    await expect(lazy.load()).resolves.toBe('loaded');
    expect(lazy.loaded()).toBe('loaded');
    expect(imports).toBe(2);
  });
});
