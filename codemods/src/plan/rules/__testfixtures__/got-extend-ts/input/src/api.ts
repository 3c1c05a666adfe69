import got from 'got';

export const api = got.extend({ prefixUrl: process.env.MAIN_URL ?? 'http://localhost', retry: { limit: 2 } });
