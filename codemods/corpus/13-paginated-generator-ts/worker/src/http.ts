import axios, { type AxiosInstance } from 'axios';

export function createHttp(baseURL: string): AxiosInstance {
  const http = axios.create({ baseURL, timeout: 20_000, headers: { 'User-Agent': 'paged-worker/1.0' } });
  // surface server error messages instead of axios' generic ones
  http.interceptors.response.use(undefined, (error: { response?: { data?: { error?: string } }; message: string }) => {
    const detail = error.response?.data?.error;
    return Promise.reject(new Error(detail ?? error.message));
  });
  return http;
}
