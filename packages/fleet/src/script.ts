/**
 * The fleet's one Lua script, registered with ioredis `defineCommand` as `fleetScript` (one round trip per call,
 * atomic, on Redis's clock: `TIME` is read inside it, so the clients' clocks never matter). Its operations:
 *
 * - `acquire`: the request budget, a sliding log: a grant is recorded in a sorted set at Redis's time, and one is
 *   given only while fewer than `budget` grants lie in the last `windowMs`, the fleet is not paused, and the log is
 *   not new (a log that was lost, by a first start or a restart without persistence, admits nothing for one window,
 *   since the grants of the window before are gone; a client that had grants backfills them on resync). Answers
 *   `{ 1, grantUs, generation, used }`, `{ 2, 0, generation, used }` (resync: the generation the client knows is
 *   not the log's; call again with it and the client's grants of the last window as ages in µs), or
 *   `{ 10 | 11 | 12, waitUs, generation, used }` (wait: for the window, for a pause, for a new log's first window).
 * - `pause`: pauses the whole fleet for `pauseMs` from now (a Retry-After); a longer pause already set stays.
 * - `heartbeat`: a member's heartbeat, alive for `ttlMs`; answers the members alive now (ids, sorted).
 * - `leave`: a member leaves at once.
 *
 * KEYS: log, pause, generation, stats, members.
 */
export const FLEET_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local op = ARGV[1]

if op == 'acquire' then
  local budget = tonumber(ARGV[2])
  local window = tonumber(ARGV[3]) * 1000
  local member = ARGV[4]
  local known = ARGV[5]
  local worker = ARGV[6]
  local waited = tonumber(ARGV[7])
  local generation = redis.call('GET', KEYS[3])
  if not generation then
    generation = string.format('%.0f', now)
    redis.call('SET', KEYS[3], generation)
  end
  if known ~= generation then
    return {2, 0, generation, redis.call('ZCARD', KEYS[1])}
  end
  for i = 8, #ARGV do
    local at = now - tonumber(ARGV[i])
    if at > now - window then
      redis.call('ZADD', KEYS[1], at, 'backfill:' .. member .. ':' .. i)
    end
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  local used = redis.call('ZCARD', KEYS[1])
  local fresh = tonumber(generation) + window - now
  if fresh > 0 then
    return {12, fresh, generation, used}
  end
  local paused = redis.call('GET', KEYS[2])
  if paused and tonumber(paused) > now then
    return {11, tonumber(paused) - now, generation, used}
  end
  if used < budget then
    redis.call('ZADD', KEYS[1], now, member)
    redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
    redis.call('HINCRBY', KEYS[4], 'requests', 1)
    redis.call('HINCRBY', KEYS[4], 'requests:' .. worker, 1)
    redis.call('HINCRBY', KEYS[4], 'waitedMs', waited)
    redis.call('HINCRBY', KEYS[4], 'waitedMs:' .. worker, waited)
    redis.call('PEXPIRE', KEYS[4], 86400000)
    return {1, now, generation, used + 1}
  end
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {10, tonumber(oldest[2]) + window - now + 1, generation, used}
end

if op == 'pause' then
  local untilUs = now + tonumber(ARGV[2]) * 1000
  local current = redis.call('GET', KEYS[2])
  if not current or tonumber(current) < untilUs then
    redis.call('SET', KEYS[2], string.format('%.0f', untilUs), 'PX', tonumber(ARGV[2]) + 1000)
    return untilUs
  end
  return tonumber(current)
end

if op == 'heartbeat' then
  redis.call('ZADD', KEYS[5], now + tonumber(ARGV[3]) * 1000, ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
  redis.call('PEXPIRE', KEYS[5], tonumber(ARGV[3]) * 2)
  return redis.call('ZRANGE', KEYS[5], 0, -1)
end

if op == 'leave' then
  return redis.call('ZREM', KEYS[5], ARGV[2])
end

return redis.error_reply('fleetScript: unknown operation ' .. tostring(op))
`;

/** The client with the fleet script registered. */
export interface ScriptedRedis {
  fleetScript(...args: (string | number)[]): Promise<unknown>;
}

/** Registers the fleet script on an ioredis client (once; later calls reuse it). */
export function withFleetScript(redis: object): ScriptedRedis {
  const client = redis as Partial<ScriptedRedis> & {
    defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  };
  if (typeof client.fleetScript !== 'function')
    client.defineCommand('fleetScript', { numberOfKeys: 5, lua: FLEET_SCRIPT });
  return client as ScriptedRedis;
}
