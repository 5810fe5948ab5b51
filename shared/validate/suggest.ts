/** "Did you mean …?" for typos in ids, types and property names. */

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0
      row[j] = Math.min(
        (row[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        previous + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1),
      )
      previous = current
    }
  }
  return row[b.length] ?? 0
}

/** The closest candidate within a third of the word's length, if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > 100) return undefined
  let best: string | undefined
  let bestScore = Math.max(2, Math.ceil(word.length / 3)) + 1
  for (const candidate of candidates) {
    const score = distance(word, candidate)
    if (score < bestScore) {
      best = candidate
      bestScore = score
    }
  }
  return best
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = closest(word, candidates)
  return hit === undefined ? '' : `Did you mean "${hit}"? `
}

/** `didYouMean`'s text and the word it suggests (a finding's `suggestion` parameter), from one look. */
export function suggest(word: string, candidates: Iterable<string>): { text: string; params: { suggestion?: string } } {
  const hit = closest(word, candidates)
  return hit === undefined ? { text: '', params: {} } : { text: `Did you mean "${hit}"? `, params: { suggestion: hit } }
}
