import { describe, expect, it } from 'vitest';
import { computeHealthScore } from './integration-health-score';

const now = 1_800_000_000_000;

describe('computeHealthScore', () => {
  it('is 100 with no activity, and with recent fast successes', () => {
    expect(computeHealthScore({ metrics: undefined, now }).score).toBe(100);
    expect(computeHealthScore({ metrics: { calls: 4, failures: 0, latencyP95Ms: 200, lastSuccessAt: now }, now })).toEqual({
      score: 100,
      grade: 'healthy',
      terms: { success: 1, latency: 1, recency: 1 },
    });
  });

  it('weighs error rate, latency and time since the last success', () => {
    const score = computeHealthScore(
      { metrics: { calls: 4, failures: 2, latencyP95Ms: 2_000, lastSuccessAt: now - 3_600_000 }, now },
      { latencyTargetMs: 1_000, recencyHalfLifeMs: 3_600_000 },
    );
    expect(score.terms).toEqual({ success: 0.5, latency: 0.5, recency: 0.5 });
    expect(score).toMatchObject({ score: 50, grade: 'degraded' });
  });

  it('scores activity that never succeeded as unhealthy', () => {
    expect(computeHealthScore({ metrics: { calls: 3, failures: 3, latencyP95Ms: 5, lastSuccessAt: undefined }, now })).toMatchObject({
      score: 30,
      grade: 'unhealthy',
      terms: { success: 0, latency: 1, recency: 0 },
    });
    expect(computeHealthScore({ metrics: undefined, testFailed: true, now }).terms.recency).toBe(0);
    expect(computeHealthScore({ metrics: undefined, lastTestSuccessAt: now - 7_200_000, now }).terms.recency).toBeCloseTo(0.25);
  });
});
