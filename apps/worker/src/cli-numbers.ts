import { InvalidArgumentError } from 'commander';

/** A commander parser for a whole number >= `min` in decimal digits (`0x10` and `1e3` are refused, not read). */
export const wholeNumber = (min: number) => (text: string) => {
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new InvalidArgumentError(`expected a whole number >= ${min} in decimal digits`);
  }
  return Number(text);
};
