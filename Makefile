# The two commands a newcomer needs (see README.md).
.PHONY: run test stop-db openapi

run: ## Build and serve on http://localhost:3000 (starts a private PostgreSQL unless DATABASE_URL is set)
	@scripts/run.sh

test: ## Build and run every test against a throwaway PostgreSQL
	@scripts/test.sh

stop-db: ## Stop the private development PostgreSQL that `make run` started
	@scripts/postgres.sh stop .data/postgres
