import { checkBatchId } from '../options.js';

// How many issued ids are remembered to catch a generator that repeats itself.
const RECENT = 4096;

/**
 * Issues batch ids from `createBatchId`, checked: an id out of form, or one still in use or issued recently,
 * would make the server take a new batch for a repeat and drop it. Such an id is reported and replaced by a
 * random UUID, so delivery goes on.
 */
export class BatchIds {
  readonly #create: () => string;
  readonly #inUse: (batchId: string) => boolean;
  readonly #onProblem: (error: Error) => void;
  readonly #recent = new Set<string>();
  readonly #order: string[] = [];
  #next = 0;

  constructor(create: () => string, inUse: (batchId: string) => boolean, onProblem: (error: Error) => void) {
    this.#create = create;
    this.#inUse = inUse;
    this.#onProblem = onProblem;
  }

  next(): string {
    let id: string;
    try {
      id = this.#create();
      checkBatchId(id);
      if (this.#inUse(id) || this.#recent.has(id)) {
        throw new TypeError(`Expected \`createBatchId\` to return a new id, got ${JSON.stringify(id)} again`);
      }
    } catch (error) {
      this.#onProblem(error instanceof Error ? error : new Error(String(error)));
      id = globalThis.crypto.randomUUID();
    }
    this.#remember(id);
    return id;
  }

  #remember(id: string): void {
    if (this.#order.length < RECENT) this.#order.push(id);
    else {
      this.#recent.delete(this.#order[this.#next] as string);
      this.#order[this.#next] = id;
      this.#next = (this.#next + 1) % RECENT;
    }
    this.#recent.add(id);
  }
}
