/**
 * Answers about one line of config, remembered by the line's text: a fabric of 2,000 switches repeats
 * the same few hundred lines thousands of times, and every line is checked at every validation and plan
 * (issue 14). Bounded, so that a long-running service that sees many fabrics does not grow without end.
 */
export function lineMemo<T>(compute: (line: string) => T, maxLines = 50_000): (line: string) => T {
  const known = new Map<string, T>();
  return (line) => {
    if (known.has(line)) return known.get(line) as T;
    const answer = compute(line);
    if (known.size >= maxLines) known.clear();
    known.set(line, answer);
    return answer;
  };
}
