/**
 * `find` with its answers kept by a text key, shared by every plan: for a pure function asked many
 * times per plan with few distinct arguments (the same CIDRs, port names). The map is cleared when
 * it holds `keepAtMost` answers, so that no input can grow it without bound.
 */
export function keptAnswers<Argument, Answer>(
  keyOf: (argument: Argument) => string,
  find: (argument: Argument) => Answer,
  keepAtMost = 4_096,
): (argument: Argument) => Answer {
  const answers = new Map<string, Answer>();
  return (argument) => {
    const key = keyOf(argument);
    if (answers.has(key)) {
      return answers.get(key) as Answer;
    }
    const answer = find(argument);
    if (answers.size >= keepAtMost) {
      answers.clear();
    }
    answers.set(key, answer);
    return answer;
  };
}
