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
 * OpenSearch https://docs.opensearch.org/latest/install-and-configure/install-opensearch/docker/.
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
  nginx: WEB_SERVER('nginx'),
  'nginx-unprivileged': { ...WEB_SERVER('nginx'), ports: [{ name: 'http', port: 8080, appProtocol: 'http' }] },
  httpd: WEB_SERVER('Apache httpd'),
  caddy: WEB_SERVER('Caddy'),
};

/**
 * What a well-known image is, from its reference (`postgres:16`, `docker.io/library/redis:alpine`,
 * `bitnami/postgresql@sha256:…`, `rabbitmq:4-management`); undefined for anything else.
 */
export function wellKnownImage(image: string | undefined): WellKnownImage | undefined {
  if (image === undefined) {
    return undefined;
  }
  const withoutDigest = image.split('@')[0] ?? '';
  const lastSegment = withoutDigest.split('/').at(-1) ?? '';
  const repository = lastSegment.split(':')[0]?.toLowerCase() ?? '';
  return Object.hasOwn(BY_REPOSITORY_NAME, repository) ? BY_REPOSITORY_NAME[repository] : undefined;
}
