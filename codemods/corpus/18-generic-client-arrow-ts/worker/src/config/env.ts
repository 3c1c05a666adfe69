export interface Env {
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly flushSize: number;
}

function read(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

export function loadEnv(): Env {
  return {
    apiUrl: read('NW_API_URL'),
    apiKey: read('NW_API_KEY', 'local'),
    flushSize: Number(read('NW_FLUSH_SIZE', '40')),
  };
}
