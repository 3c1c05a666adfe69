// `pnpm bench`: the scheduler's hot path, record(), side by side in one process with the physical floor (pushing
// the same objects onto an array), OpenTelemetry's BatchSpanProcessor (the span end path, a no-op exporter) and
// p-queue's add. Prints throughput, ratios and memory per pending event. Asserts nothing.
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { type RecipientEvent, ServerUpdateScheduler } from '@scope/scheduler';
import PQueue from 'p-queue';

const N = 200_000;
const ROUNDS = 9;
const gc = (globalThis as { gc?: () => void }).gc;

const at = new Date('2026-11-28T10:00:00Z').toISOString();
const events: RecipientEvent[] = Array.from({ length: N }, (_, i) => ({ recipientId: `r${i}`, outcome: 'sent', at }));
const idle = Object.assign(async () => ({ status: 200 }), { shape: 'bulk' as const });
const noopExporter: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };

/** A contender: `prepare` builds what a round needs (not timed), `run` does the N operations (timed). */
interface Contender {
  readonly name: string;
  prepare(): unknown;
  run(state: unknown): void;
}

const contenders: Contender[] = [
  {
    name: 'floor: array push',
    prepare: () => [] as RecipientEvent[],
    run(state) {
      const array = state as RecipientEvent[];
      for (let i = 0; i < N; i++) array.push(events[i] as RecipientEvent);
    },
  },
  {
    name: 'ServerUpdateScheduler.record (validated)',
    prepare() {
      // Nothing falls due during the round: it measures taking events in, which is what a worker's loop pays.
      const scheduler = new ServerUpdateScheduler({
        transport: idle,
        maxPendingEvents: 10 * N,
        maxBatchEvents: 10 * N,
      });
      scheduler.registerCampaign('c1', { emailsPerMinute: 10 });
      return scheduler;
    },
    run(state) {
      const scheduler = state as ServerUpdateScheduler;
      for (let i = 0; i < N; i++) scheduler.record('c1', events[i] as RecipientEvent);
    },
  },
  {
    name: 'OpenTelemetry BatchSpanProcessor (span.end)',
    prepare() {
      const processor = new BatchSpanProcessor(noopExporter, {
        maxQueueSize: N,
        maxExportBatchSize: 512,
        scheduledDelayMillis: 3_600_000,
      });
      const provider = new BasicTracerProvider({ spanProcessors: [processor] });
      const tracer = provider.getTracer('bench');
      return Array.from({ length: N }, () => tracer.startSpan('send'));
    },
    run(state) {
      const spans = state as ReturnType<ReturnType<typeof trace.getTracer>['startSpan']>[];
      for (let i = 0; i < N; i++) spans[i]?.end();
    },
  },
  {
    name: 'p-queue add (not started)',
    prepare: () => new PQueue({ autoStart: false }),
    run(state) {
      const queue = state as PQueue;
      for (let i = 0; i < N; i++) void queue.add(() => events[i]);
    },
  },
];

function throughput(contender: Contender): number {
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const state = contender.prepare();
    gc?.();
    const started = process.hrtime.bigint();
    contender.run(state);
    const ns = Number(process.hrtime.bigint() - started);
    rates.push(N / (ns / 1e9));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)] as number;
}

function bytesPerEvent(contender: Contender): number | null {
  if (!gc) return null;
  const state = contender.prepare();
  gc();
  const before = process.memoryUsage().heapUsed;
  contender.run(state);
  gc();
  const after = process.memoryUsage().heapUsed;
  // Keep the state alive until measured.
  if (state === undefined) return null;
  return (after - before) / N;
}

const results = contenders.map((contender) => ({
  contender,
  rate: throughput(contender),
  bytes: bytesPerEvent(contender),
}));
const scheduler = results[1] as (typeof results)[number];
console.log(
  `record() and its peers, ${N.toLocaleString('en-US')} operations a round, median of ${ROUNDS} rounds (Node ${process.version})`,
);
console.table(
  results.map(({ contender, rate, bytes }) => ({
    what: contender.name,
    'operations/s': Math.round(rate).toLocaleString('en-US'),
    'ns each': (1e9 / rate).toFixed(1),
    'record() vs this': contender === scheduler.contender ? '1.00' : `${(scheduler.rate / rate).toFixed(2)}x the rate`,
    'bytes per pending item': bytes === null ? 'run with --expose-gc' : bytes.toFixed(1),
  })),
);
console.log(
  'The floor keeps only a pointer per event; record() also validates the event and keeps a run time per 16 events;\n' +
    'the span processor and p-queue are given prepared spans and functions, so the table compares the taking-in alone.',
);
if (trace) process.exit(0);
