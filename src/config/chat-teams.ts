import { at } from '../common/at.js';
import { TEAM_NAME, TEAM_NAME_RULE } from '../auth/principal.js';

/** The chat systems whose requests carry a workspace (and channel) to map to a team. */
export const CHAT_PLATFORMS = ['slack', 'mattermost', 'teams'] as const;
export type ChatPlatform = (typeof CHAT_PLATFORMS)[number];

/**
 * CHAT_TEAMS, parsed: `platform:workspace` or `platform:workspace/channel` → team. The workspace is
 * Slack's team_id, Mattermost's team_id, or the Teams tenant id; the channel is the channel id.
 */
export type ChatTeamMap = Readonly<Record<string, string>>;

const ENTRY = /^([a-z]+):([^/=\s]+)(?:\/([^/=\s]+))?=(.*)$/;

/**
 * `slack:T123=payments,slack:T123/C456=search,mattermost:abc=payments,teams:<tenant>=ops`: every
 * problem is reported (the service does not start with a half-understood mapping).
 */
export function parseChatTeams(value: string): { map: ChatTeamMap; problems: string[] } {
  const map: Record<string, string> = {};
  const problems: string[] = [];
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const entry of entries) {
    const match = ENTRY.exec(entry);
    if (!match) {
      problems.push(`"${entry}" is not platform:workspace[/channel]=team`);
      continue;
    }
    // ENTRY's platform, workspace and team groups are not optional: only the channel may be absent.
    const [platform, workspace, channel, team] = [at(match, 1), at(match, 2), match[3], at(match, 4)];
    if (!(CHAT_PLATFORMS as readonly string[]).includes(platform)) {
      problems.push(`"${entry}": the platform must be one of ${CHAT_PLATFORMS.join(', ')}`);
      continue;
    }
    if (!TEAM_NAME.test(team)) {
      problems.push(`"${entry}": the team must be ${TEAM_NAME_RULE}`);
      continue;
    }
    const key = chatTeamKey(platform as ChatPlatform, workspace, channel);
    const mapped = map[key];
    if (mapped !== undefined && mapped !== team) {
      problems.push(`${key} is mapped twice (${mapped} and ${team})`);
      continue;
    }
    map[key] = team;
  }
  return { map: Object.freeze(map), problems };
}

function chatTeamKey(platform: ChatPlatform, workspace: string, channel?: string): string {
  return channel === undefined ? `${platform}:${workspace}` : `${platform}:${workspace}/${channel}`;
}

/** The team of a chat request: its channel's mapping, else its workspace's, else none (null). */
export function chatTeamOf(
  map: ChatTeamMap,
  platform: ChatPlatform,
  workspace: string | undefined,
  channel: string | undefined,
): string | null {
  if (workspace === undefined || workspace === '') {
    return null;
  }
  const byChannel = channel ? map[chatTeamKey(platform, workspace, channel)] : undefined;
  return byChannel ?? map[chatTeamKey(platform, workspace)] ?? null;
}
