-- The service's two roles and its database, idempotently: the owner (migrations) and the app role
-- (the service's own login, bound by row-level security). Run as a superuser by psql, with the
-- passwords set first as psql variables (`\set owner_pw '...'`, `\set app_pw '...'`), given on
-- standard input so they never appear in a command line. Used by scripts/postgres.sh and by the
-- cluster's first Patroni leader (scripts/cluster.sh).
SELECT 'CREATE ROLE inyeon_owner' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'inyeon_owner') \gexec
SELECT 'CREATE ROLE inyeon_app' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'inyeon_app') \gexec
ALTER ROLE inyeon_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'owner_pw';
ALTER ROLE inyeon_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'app_pw';
SELECT 'CREATE DATABASE inyeon OWNER inyeon_owner' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'inyeon') \gexec
REVOKE ALL ON DATABASE inyeon FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE inyeon TO inyeon_app;
\connect inyeon
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO inyeon_owner;
