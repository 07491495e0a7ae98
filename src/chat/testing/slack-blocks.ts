import { SLACK_LIMITS, type SlackBlock } from '../chat-reply.js';

/**
 * Checks Block Kit blocks against the rules Slack enforces on a message (block types we send, text
 * object shape, lengths, counts), and returns every breach; Slack would refuse the whole message.
 */
export function slackBlockProblems(blocks: unknown): string[] {
  const problems: string[] = [];
  const roundTripped: unknown = JSON.parse(JSON.stringify(blocks));
  if (!Array.isArray(roundTripped)) {
    return ['blocks is not an array'];
  }
  if (roundTripped.length > SLACK_LIMITS.blocks) {
    problems.push(`${roundTripped.length} blocks (max ${SLACK_LIMITS.blocks})`);
  }
  roundTripped.forEach((block: unknown, index) => {
    const where = `blocks[${index}]`;
    if (typeof block !== 'object' || block === null) {
      problems.push(`${where} is not an object`);
      return;
    }
    const typed = block as Partial<Record<string, unknown>>;
    switch (typed.type) {
      case 'divider':
        if (Object.keys(typed).length !== 1) {
          problems.push(`${where}: a divider has no other field`);
        }
        break;
      case 'section':
        problems.push(...textProblems(typed.text, `${where}.text`, SLACK_LIMITS.sectionText));
        break;
      case 'context': {
        const elements = typed.elements;
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > SLACK_LIMITS.contextElements) {
          problems.push(`${where}.elements must hold 1-${SLACK_LIMITS.contextElements} elements`);
          break;
        }
        elements.forEach((element: unknown, at) =>
          problems.push(...textProblems(element, `${where}.elements[${at}]`, SLACK_LIMITS.contextText)),
        );
        break;
      }
      default:
        problems.push(`${where}: unexpected type ${String(typed.type)}`);
    }
  });
  return problems;
}

function textProblems(text: unknown, where: string, limit: number): string[] {
  if (typeof text !== 'object' || text === null) {
    return [`${where} is not a text object`];
  }
  const { type, text: value } = text as Partial<Record<string, unknown>>;
  const problems: string[] = [];
  if (type !== 'mrkdwn') {
    problems.push(`${where}.type is ${String(type)}, not mrkdwn`);
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > limit) {
    problems.push(
      `${where}.text must be 1-${limit} characters (got ${typeof value === 'string' ? value.length : typeof value})`,
    );
  }
  return problems;
}

export type { SlackBlock };
