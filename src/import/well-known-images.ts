import type { Role } from '../planner/types.js';

/** A port an image listens on by default, named as the planner's Services name it. */
export type WellKnownPort = {
  name: string;
  port: number;
  /** Admin, clustering or metrics: reached from inside the cluster only. */
  internal?: boolean;
  appProtocol?: string;
};

export type WellKnownImage = {
  /** What the image is, for the notes: "PostgreSQL". */
  product: string;
  role: Role;
  /** The ports its official image listens on when nothing is configured, first the one clients use. */
  ports: WellKnownPort[];
  /** A data store keeps its data: a StatefulSet, so each replica keeps its volume and name. */
  stateful: boolean;
  /** Set when it was recognised by a word of the image's name (`redis-cluster`), not the name itself. */
  namedBy?: string;
};

/*
 * Default ports, each from the image's own documentation (Docker Hub "official image" pages and the
 * products' port references): PostgreSQL https://www.postgresql.org/docs/current/runtime-config-connection.html,
 * MySQL https://dev.mysql.com/doc/mysql-port-reference/en/mysql-ports-reference-tables.html,
 * MongoDB https://www.mongodb.com/docs/manual/reference/default-mongodb-port/,
 * Redis https://redis.io/docs/latest/operate/oss_and_stack/management/config-file/,
 * Memcached https://github.com/memcached/memcached/wiki/ConfiguringServer,
 * RabbitMQ https://www.rabbitmq.com/docs/networking#ports,
 * Kafka https://kafka.apache.org/documentation/#brokerconfigs_listeners,
 * NATS https://docs.nats.io/running-a-nats-service/configuration#connectivity,
 * ClickHouse https://clickhouse.com/docs/guides/sre/network-ports,
 * Elasticsearch https://www.elastic.co/docs/reference/elasticsearch/configuration-reference/networking-settings,
 * OpenSearch https://docs.opensearch.org/latest/install-and-configure/install-opensearch/docker/,
 * SQL Server https://learn.microsoft.com/en-us/sql/linux/quickstart-install-connect-docker,
 * Cassandra https://cassandra.apache.org/doc/stable/cassandra/managing/configuration/cass_yaml_file.html,
 * ScyllaDB https://docs.scylladb.com/manual/stable/operating-scylla/admin.html#networking,
 * CouchDB https://docs.couchdb.org/en/stable/setup/cluster.html#ports-and-firewalls,
 * Neo4j https://neo4j.com/docs/operations-manual/current/configuration/ports/,
 * InfluxDB https://docs.influxdata.com/influxdb/v2/reference/config-options/#http-bind-address,
 * MinIO https://min.io/docs/minio/container/operations/install-deploy-manage/deploy-minio-single-node-single-drive.html,
 * ZooKeeper https://zookeeper.apache.org/doc/current/zookeeperAdmin.html#sc_configuration,
 * Redpanda https://docs.redpanda.com/current/reference/properties/broker-properties/,
 * CockroachDB https://www.cockroachlabs.com/docs/stable/cockroach-start#networking,
 * Redis Stack https://redis.io/docs/latest/operate/oss_and_stack/install/install-stack/docker/.
 */
const POSTGRES: WellKnownImage = {
  product: 'PostgreSQL',
  role: 'database',
  ports: [{ name: 'postgres', port: 5432 }],
  stateful: true,
};
const MYSQL: WellKnownImage = {
  product: 'MySQL',
  role: 'database',
  ports: [
    { name: 'mysql', port: 3306 },
    { name: 'mysqlx', port: 33060, internal: true },
  ],
  stateful: true,
};
const MARIADB: WellKnownImage = { ...MYSQL, product: 'MariaDB', ports: [{ name: 'mysql', port: 3306 }] };
const MONGO: WellKnownImage = {
  product: 'MongoDB',
  role: 'database',
  ports: [{ name: 'mongodb', port: 27017 }],
  stateful: true,
};
const REDIS: WellKnownImage = {
  product: 'Redis',
  role: 'cache',
  ports: [{ name: 'redis', port: 6379 }],
  stateful: false,
};
const VALKEY: WellKnownImage = { ...REDIS, product: 'Valkey' };
const MEMCACHED: WellKnownImage = {
  product: 'Memcached',
  role: 'cache',
  ports: [{ name: 'memcache', port: 11211 }],
  stateful: false,
};
const RABBITMQ: WellKnownImage = {
  product: 'RabbitMQ',
  role: 'queue',
  ports: [
    { name: 'amqp', port: 5672 },
    { name: 'management', port: 15672, internal: true, appProtocol: 'http' },
  ],
  stateful: true,
};
const KAFKA: WellKnownImage = {
  product: 'Kafka',
  role: 'queue',
  ports: [{ name: 'kafka', port: 9092 }],
  stateful: true,
};
const NATS: WellKnownImage = {
  product: 'NATS',
  role: 'queue',
  ports: [
    { name: 'client', port: 4222 },
    { name: 'monitoring', port: 8222, internal: true, appProtocol: 'http' },
    { name: 'cluster', port: 6222, internal: true },
  ],
  stateful: false,
};
const CLICKHOUSE: WellKnownImage = {
  product: 'ClickHouse',
  role: 'database',
  ports: [
    { name: 'http', port: 8123, appProtocol: 'http' },
    { name: 'native', port: 9000 },
  ],
  stateful: true,
};
const ELASTICSEARCH: WellKnownImage = {
  product: 'Elasticsearch',
  role: 'database',
  ports: [
    { name: 'http', port: 9200, appProtocol: 'http' },
    { name: 'transport', port: 9300, internal: true },
  ],
  stateful: true,
};
const OPENSEARCH: WellKnownImage = { ...ELASTICSEARCH, product: 'OpenSearch' };
const REDIS_STACK: WellKnownImage = {
  ...REDIS,
  product: 'Redis Stack',
  ports: [
    { name: 'redis', port: 6379 },
    { name: 'redisinsight', port: 8001, internal: true, appProtocol: 'http' },
  ],
};
const TIMESCALEDB: WellKnownImage = { ...POSTGRES, product: 'TimescaleDB' };
const SQL_SERVER: WellKnownImage = {
  product: 'SQL Server',
  role: 'database',
  ports: [{ name: 'mssql', port: 1433 }],
  stateful: true,
};
const CASSANDRA: WellKnownImage = {
  product: 'Cassandra',
  role: 'database',
  ports: [
    { name: 'cql', port: 9042 },
    { name: 'intra-node', port: 7000, internal: true },
  ],
  stateful: true,
};
const SCYLLA: WellKnownImage = { ...CASSANDRA, product: 'ScyllaDB' };
const COUCHDB: WellKnownImage = {
  product: 'CouchDB',
  role: 'database',
  ports: [{ name: 'http', port: 5984, appProtocol: 'http' }],
  stateful: true,
};
const NEO4J: WellKnownImage = {
  product: 'Neo4j',
  role: 'database',
  ports: [
    { name: 'bolt', port: 7687 },
    { name: 'http', port: 7474, appProtocol: 'http' },
  ],
  stateful: true,
};
const INFLUXDB: WellKnownImage = {
  product: 'InfluxDB',
  role: 'database',
  ports: [{ name: 'http', port: 8086, appProtocol: 'http' }],
  stateful: true,
};
const MINIO: WellKnownImage = {
  product: 'MinIO',
  role: 'database',
  ports: [
    { name: 'http', port: 9000, appProtocol: 'http' },
    { name: 'console', port: 9001, internal: true, appProtocol: 'http' },
  ],
  stateful: true,
};
const ZOOKEEPER: WellKnownImage = {
  product: 'ZooKeeper',
  role: 'database',
  ports: [
    { name: 'client', port: 2181 },
    { name: 'peer', port: 2888, internal: true },
    { name: 'leader-election', port: 3888, internal: true },
  ],
  stateful: true,
};
const REDPANDA: WellKnownImage = {
  product: 'Redpanda',
  role: 'queue',
  ports: [
    { name: 'kafka', port: 9092 },
    { name: 'admin', port: 9644, internal: true, appProtocol: 'http' },
  ],
  stateful: true,
};
const COCKROACHDB: WellKnownImage = {
  product: 'CockroachDB',
  role: 'database',
  ports: [
    { name: 'postgres', port: 26257 },
    { name: 'admin-ui', port: 8080, internal: true, appProtocol: 'http' },
  ],
  stateful: true,
};
const WEB_SERVER = (product: string): WellKnownImage => ({
  product,
  role: 'frontend',
  ports: [{ name: 'http', port: 80, appProtocol: 'http' }],
  stateful: false,
});

/** By the image's repository name, the last path segment without tag or digest. */
const BY_REPOSITORY_NAME: Record<string, WellKnownImage> = {
  postgres: POSTGRES,
  postgresql: POSTGRES,
  postgis: POSTGRES,
  mysql: MYSQL,
  'mysql-server': MYSQL,
  mariadb: MARIADB,
  mongo: MONGO,
  mongodb: MONGO,
  'mongodb-community-server': MONGO,
  redis: REDIS,
  'redis-stack-server': REDIS,
  valkey: VALKEY,
  memcached: MEMCACHED,
  rabbitmq: RABBITMQ,
  kafka: KAFKA,
  'cp-kafka': KAFKA,
  nats: NATS,
  'clickhouse-server': CLICKHOUSE,
  clickhouse: CLICKHOUSE,
  elasticsearch: ELASTICSEARCH,
  opensearch: OPENSEARCH,
  'redis-stack': REDIS_STACK,
  timescaledb: TIMESCALEDB,
  'timescaledb-ha': TIMESCALEDB,
  cassandra: CASSANDRA,
  scylla: SCYLLA,
  couchdb: COUCHDB,
  neo4j: NEO4J,
  influxdb: INFLUXDB,
  minio: MINIO,
  zookeeper: ZOOKEEPER,
  'cp-zookeeper': ZOOKEEPER,
  redpanda: REDPANDA,
  cockroach: COCKROACHDB,
  nginx: WEB_SERVER('nginx'),
  'nginx-unprivileged': { ...WEB_SERVER('nginx'), ports: [{ name: 'http', port: 8080, appProtocol: 'http' }] },
  httpd: WEB_SERVER('Apache httpd'),
  caddy: WEB_SERVER('Caddy'),
};

/** By the last two path segments, where the last alone says nothing (`mcr.microsoft.com/mssql/server`). */
const BY_PATH: Record<string, WellKnownImage> = {
  'mssql/server': SQL_SERVER,
  'azure-sql-edge': SQL_SERVER,
};

/**
 * Words of an image's name that make it a tool around a data store rather than the store: an
 * exporter, an operator, a backup job, an admin UI or client (`postgres-exporter`, `mongo-express`,
 * `redis-commander`, `kafka-ui`, `cp-kafka-connect`, `mysql-backup`).
 */
const TOOL_WORDS = new Set([
  'exporter',
  'exporters',
  'operator',
  'backup',
  'backups',
  'dump',
  'restore',
  'migrate',
  'migrations',
  'ui',
  'gui',
  'web',
  'admin',
  'dashboard',
  'commander',
  'express',
  'insight',
  'browser',
  'hq',
  'connect',
  'rest',
  'cli',
  'client',
  'workbench',
]);

/**
 * What a well-known image is, from its reference (`postgres:16`, `docker.io/library/redis:alpine`,
 * `bitnami/postgresql@sha256:…`, `rabbitmq:4-management`); undefined for anything else.
 */
export function wellKnownImage(image: string | undefined): WellKnownImage | undefined {
  if (image === undefined) {
    return undefined;
  }
  const segments = repositoryPath(image);
  const repository = segments.at(-1) ?? '';
  const lastTwo = segments.slice(-2).join('/');
  if (Object.hasOwn(BY_PATH, lastTwo)) {
    return BY_PATH[lastTwo];
  }
  if (Object.hasOwn(BY_PATH, repository)) {
    return BY_PATH[repository];
  }
  return Object.hasOwn(BY_REPOSITORY_NAME, repository) ? BY_REPOSITORY_NAME[repository] : undefined;
}

/**
 * A data store recognised by a word of the image's name when the name itself is not listed
 * (`bitnami/redis-cluster`, `percona/percona-server-mongodb`, `acme/postgres16-custom` is not: a
 * word must be the engine's name), unless another word says it is a tool around one
 * (`postgres-exporter`, `mongo-express`). Undefined otherwise, and for web servers.
 */
export function dataStoreNamedIn(image: string | undefined): WellKnownImage | undefined {
  if (image === undefined) {
    return undefined;
  }
  const words = (repositoryPath(image).at(-1) ?? '').split(/[-_.]+/);
  if (words.some((word) => TOOL_WORDS.has(word))) {
    return undefined;
  }
  for (const word of words) {
    const known = Object.hasOwn(BY_REPOSITORY_NAME, word) ? BY_REPOSITORY_NAME[word] : undefined;
    if (known !== undefined && known.role !== 'frontend') {
      return { ...known, namedBy: word };
    }
  }
  return undefined;
}

/** `docker.io/library/redis:7@sha256:…` → [docker.io, library, redis], lowercased, without tag or digest. */
function repositoryPath(image: string): string[] {
  const withoutDigest = image.split('@')[0] ?? '';
  const segments = withoutDigest.toLowerCase().split('/');
  const last = segments.pop() ?? '';
  return [...segments, last.split(':')[0] ?? ''];
}
