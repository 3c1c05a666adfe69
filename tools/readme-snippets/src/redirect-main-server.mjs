// Preloaded (`node --import`) into every README block: `https://main.example.com`, the READMEs' main server, is
// answered by the mock main server at MAIN_SERVER_URL. Only fetch is redirected (the scheduler's transport uses it).
const target = process.env.MAIN_SERVER_URL;
const placeholder = 'https://main.example.com';
const realFetch = globalThis.fetch;

globalThis.fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (target === undefined || !url.startsWith(placeholder)) return realFetch(input, init);
  const redirected = target + url.slice(placeholder.length);
  return realFetch(input instanceof Request ? new Request(redirected, input) : redirected, init);
};
