import type { ApolloServerPlugin } from '@apollo/server';

const EXAMPLE_QUERY = `query Dashboard {
  planStats {
    totalPlans
    monthlyCostTotal
    byServiceType { key count }
  }
  plans(first: 10) {
    totalCount
    edges { cursor summary { name platform monthlyCost worstSeverity } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/**
 * The page GET /graphql shows a browser. Apollo's own landing page and Nest's GraphiQL load their
 * code from a CDN, which a cluster without internet access cannot reach; this one is a single
 * self-contained page (inline script and style, nothing fetched but /graphql itself). Richer
 * tools (GraphiQL, Altair, Insomnia) work against the endpoint, since introspection stays on.
 */
export function landingPageHtml(endpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Exposure Planner GraphQL</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
  textarea, pre { width: 100%; box-sizing: border-box; font: 13px/1.4 ui-monospace, monospace; }
  textarea { height: 16rem; } #variables { height: 5rem; }
  pre { background: #f4f4f4; padding: .75rem; min-height: 6rem; white-space: pre-wrap; }
  button { font-size: 14px; padding: .3rem 1rem; margin: .5rem 0; }
</style>
</head>
<body>
<h1>Exposure Planner GraphQL</h1>
<p>POST queries to <code>${endpoint}</code> as JSON (<code>{"query": "…", "variables": {…}}</code>).
The schema is introspectable; docs/graphql.md in the repository has dashboard examples.</p>
<label for="query">Query</label>
<textarea id="query" spellcheck="false">${EXAMPLE_QUERY}</textarea>
<label for="variables">Variables (JSON)</label>
<textarea id="variables" spellcheck="false">{}</textarea>
<button id="run" type="button">Run</button>
<pre id="result"></pre>
<script>
  document.getElementById('run').addEventListener('click', async () => {
    const out = document.getElementById('result');
    out.textContent = '…';
    try {
      const variables = JSON.parse(document.getElementById('variables').value || '{}');
      const response = await fetch(${JSON.stringify(endpoint)}, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: document.getElementById('query').value, variables }),
      });
      out.textContent = JSON.stringify(await response.json(), null, 2);
    } catch (error) {
      out.textContent = String(error);
    }
  });
</script>
</body>
</html>
`;
}

export function localLandingPagePlugin(endpoint: string): ApolloServerPlugin {
  const html = landingPageHtml(endpoint);
  return {
    serverWillStart() {
      return Promise.resolve({ renderLandingPage: () => Promise.resolve({ html }) });
    },
  };
}
