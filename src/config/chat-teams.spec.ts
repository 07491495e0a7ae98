import { chatTeamOf, parseChatTeams } from './chat-teams.js';

describe(chatTeamOf.name, () => {
  const { map } = parseChatTeams(
    'slack:T123=payments,slack:T123/C456=search,mattermost:abc=payments,teams:0f1e-tenant=ops',
  );

  it.each([
    ['slack', 'T123', 'C999', 'payments'],
    ['slack', 'T123', 'C456', 'search'],
    ['slack', 'T123', undefined, 'payments'],
    ['slack', 'T999', 'C456', null],
    ['mattermost', 'abc', 'any', 'payments'],
    ['teams', '0f1e-tenant', '19:x@thread.skype', 'ops'],
    ['mattermost', 'T123', undefined, null],
    ['slack', undefined, 'C456', null],
  ] as const)('%s workspace %s channel %s → %s', (platform, workspace, channel, team) => {
    expect(chatTeamOf(map, platform, workspace, channel)).toBe(team);
  });
});
