# The two commands a newcomer needs (see README.md).
.PHONY: run test stop-db bench-cache

run: ## Build and serve on http://localhost:3000 (starts a private PostgreSQL unless DATABASE_URL is set)
	@scripts/run.sh

test: ## Build and run every test against a throwaway PostgreSQL
	@scripts/test.sh

stop-db: ## Stop the private development PostgreSQL that `make run` started
	@scripts/postgres.sh stop .data/postgres

bench-cache: ## The Zipf cache benchmark against the private PostgreSQL (see README)
	@scripts/benchmark-cache.sh
