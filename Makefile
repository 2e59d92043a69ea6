# The two commands a newcomer needs (see README.md).
.PHONY: run test release release-verify stop-db bench-cache bench-recommendations bench-chat bench-http eval-matching

run: ## Build and serve on http://localhost:3000 (starts a private PostgreSQL unless DATABASE_URL is set)
	@scripts/run.sh

test: ## Build and run every test against a throwaway PostgreSQL
	@scripts/test.sh

release: ## A relocatable release bundle (static Swift runtime, resources, VERSION, the system packages it needs) in .build-release/
	@scripts/release.sh build

release-verify: ## Start the newest bundle on a fresh Debian root (debootstrap) with only its listed packages
	@scripts/release.sh verify

stop-db: ## Stop the private development PostgreSQL that `make run` started
	@scripts/postgres.sh stop .data/postgres

bench-cache: ## The Zipf cache benchmark against the private PostgreSQL (see README)
	@scripts/benchmark.sh cache

bench-recommendations: ## Recommendation latency with 100,000 people, release build (see README)
	@scripts/benchmark.sh recommendations

bench-http: ## The endpoints over real HTTP at 10,000, 100,000 and 1,000,000 people, release build, with the pgbench ceiling and a plot (see README); PEOPLE=10000,100000 for a shorter run
	@scripts/benchmark.sh http --people $${PEOPLE:-10000,100000,1000000}

bench-chat: ## Chat throughput and delivery latency with 1,000 open sockets, release build (see README)
	@scripts/benchmark.sh chat

eval-matching: ## Score the public speed-dating set with the recommendation engine (needs ../shared)
	@scripts/eval-matching.sh
