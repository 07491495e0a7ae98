/*
 * Shared by the findings (EXP001/EXP002 and the sensitive-port checks, findings/checks.ts) and the
 * Compose import, which reads a published data-store port as a data store it keeps internal.
 */

/** Ports that give control of a host, a runtime, the cluster or a data store; `dataStore` ones are EXP001/EXP002's business on data-store roles. */
export const SENSITIVE_PORTS: ReadonlyMap<number, { service: string; dataStore: boolean }> = new Map([
  [22, { service: 'SSH', dataStore: false }],
  [23, { service: 'Telnet', dataStore: false }],
  [3389, { service: 'RDP', dataStore: false }],
  [5900, { service: 'VNC', dataStore: false }],
  [2375, { service: 'Docker API without TLS', dataStore: false }],
  [2376, { service: 'Docker API', dataStore: false }],
  [2379, { service: 'etcd client', dataStore: false }],
  [2380, { service: 'etcd peer', dataStore: false }],
  [6443, { service: 'kube-apiserver', dataStore: false }],
  [10250, { service: 'kubelet API', dataStore: false }],
  [10255, { service: 'kubelet read-only API', dataStore: false }],
  [1433, { service: 'SQL Server', dataStore: true }],
  [1521, { service: 'Oracle', dataStore: true }],
  [3306, { service: 'MySQL', dataStore: true }],
  [5432, { service: 'PostgreSQL', dataStore: true }],
  [5984, { service: 'CouchDB', dataStore: true }],
  [6379, { service: 'Redis', dataStore: true }],
  [9042, { service: 'Cassandra', dataStore: true }],
  [9200, { service: 'Elasticsearch', dataStore: true }],
  [11211, { service: 'Memcached', dataStore: true }],
  [27017, { service: 'MongoDB', dataStore: true }],
]);
