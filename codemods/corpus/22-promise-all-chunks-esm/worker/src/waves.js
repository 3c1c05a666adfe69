/** Splits a list into waves of `size`. */
export function* waves(list, size) {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}
