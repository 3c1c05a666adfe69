// Quick fix from the outage review: never more than one call per `ms`.
// Calls that come too soon are simply skipped (fine for progress statuses, NOT for events).
let lastServerUpdate = 0;

function throttle(fn, ms) {
  return function throttled(...args) {
    const now = Date.now();
    if (now - lastServerUpdate < ms) return Promise.resolve(false);
    lastServerUpdate = now;
    return fn.apply(this, args);
  };
}

module.exports = { throttle };
