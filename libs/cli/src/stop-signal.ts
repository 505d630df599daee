/** Resolves on SIGINT or SIGTERM, or when `also` resolves (e.g. stdin closing); removes its signal listeners. */
export function stopSignal(also?: Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void also?.then(stop);
  });
}
