export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly attempts = 3,
  ) {}

  post<T>(path: string, body: unknown): Promise<T | undefined> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T | undefined> {
    return this.request<T>('PUT', path, body);
  }

  private async request<T>(method: string, path: string, body: unknown): Promise<T | undefined> {
    let last: unknown;
    for (let i = 0; i < this.attempts; i++) {
      try {
        const res = await fetch(new URL(path, this.baseUrl), {
          method,
          headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey },
          body: JSON.stringify(body),
        });
        if (!res.ok) throw new ApiError(`${method} ${path}: ${res.status}`, res.status);
        return (await res.json()) as T;
      } catch (err) {
        last = err;
      }
    }
    console.error('ApiClient gave up', last);
    return undefined;
  }
}
