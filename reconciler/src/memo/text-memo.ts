/**
 * Answers computed from a text alone (a config line, a JID), remembered by the text: a fabric of 2,000
 * switches repeats the same few hundred lines thousands of times, and every line is checked at every
 * validation and plan; every stanza's sender is looked up (issue 14). Bounded, so that a long-running
 * service that sees many fabrics does not grow without end.
 */
export function textMemo<T>(compute: (text: string) => T, maxTexts = 50_000): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    if (known.has(text)) return known.get(text) as T;
    const answer = compute(text);
    if (known.size >= maxTexts) known.clear();
    known.set(text, answer);
    return answer;
  };
}
