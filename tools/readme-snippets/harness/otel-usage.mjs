// Harness of packages/otel/README.md, Usage. The block as it stands, then what a worker does: an event recorded
// and delivered to the mock main server, a scrape of :9464/metrics that shows it, and the SIGTERM the block handles.
// @stdout ^scheduler_events_delivered_total\{worker_id="[^"]*",otel_scope_name="turtle-worker"\} 1$
// @snippet

scheduler.registerCampaign('c1');
scheduler.record('c1', { recipientId: 'r1', outcome: 'sent', at: new Date() });
await scheduler.flush();
const scrape = await (await fetch('http://127.0.0.1:9464/metrics')).text();
console.log(
  scrape
    .split('\n')
    .filter((line) => line.startsWith('scheduler_'))
    .join('\n'),
);
process.kill(process.pid, 'SIGTERM');
