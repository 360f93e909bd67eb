// Resilience benchmarks: `pnpm --filter @trellis/resilience bench` (after `pnpm build`). Writes
// docs/benchmarks/resilience-policies.md (per-call cost of policies against a bare call, raw
// cockatiel and opossum), resilience-limits.md (limiters, ejection, chaos when off) and
// resilience-prediction.md (leak prediction precision and recall on the scenario set). The
// recovery measurements (MTTR, hang detection, availability under chaos) need the whole app:
// `pnpm --filter @trellis/reference bench`.
import { resolve } from 'node:path';
import { runSuite } from '@trellis/bench';
import { writeLeakPredictionReport } from '../src/prediction/scenarios/report.js';
import { limitsBenchGroups } from './limits.js';
import { runPolicyBench } from './policies.js';

await runPolicyBench();
await runSuite({
  title: '@trellis/resilience limits, ejection and chaos',
  file: 'resilience-limits.md',
  command: 'pnpm --filter @trellis/resilience bench',
  groups: [...limitsBenchGroups],
});
await writeLeakPredictionReport(
  resolve(import.meta.dirname, '../../../docs/benchmarks/resilience-prediction.md'),
);
