/**
 * The words Mattermost would notify someone for: it splits a post at anything but letters, digits
 * and ":.-_@", and a word that starts with "@" and a letter or digit is a mention (@channel, @here,
 * @all, @name). StandardMentionParser.ProcessText in
 * https://github.com/mattermost/mattermost/blob/master/server/channels/app/mention_parser_standard.go
 */
export function mattermostMentions(text: string): string[] {
  return text.split(/[^\p{L}\p{N}:.\-_@]+/u).filter((word) => /^@[\p{L}\p{N}]/u.test(word));
}

/** What Mattermost turns into a mention in a slash command's text (slack.go: expandAnnouncement, replaceUserIds). */
export const SLACK_STYLE_MENTION = /<!(channel|here|all|everyone)>|<@[a-zA-Z0-9]+>/;
