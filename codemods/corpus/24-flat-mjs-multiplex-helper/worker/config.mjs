import { readFile } from 'node:fs/promises';

const file = new URL('./worker.config.json', import.meta.url);
const fromFile = JSON.parse(await readFile(file, 'utf8'));

// env wins over the file (that's how staging points at its own server)
export const config = {
  ...fromFile,
  mainServerUrl: process.env.MAIN_SERVER_URL ?? fromFile.mainServerUrl,
};
