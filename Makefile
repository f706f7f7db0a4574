# Baton: one command runs it (make up), one runs every test (make test).
CONFIG   ?= Debug
DATA_DIR ?= .baton
URLS     ?= http://127.0.0.1:5080
BATON    := dotnet src/Baton.Cli/bin/$(CONFIG)/net10.0/baton.dll

.PHONY: build up up-bg down seed test chaos bench bench-quick clean screenshots pack publish agent

build:
	dotnet build Baton.slnx -c $(CONFIG) -nologo -v quiet

## Runs Baton in the foreground (server, API, docs, SQLite in $(DATA_DIR)); Ctrl-C stops it.
up: build
	$(BATON) up --urls $(URLS) --data-dir $(DATA_DIR)

## Starts Baton in the background (pid in $(DATA_DIR)/baton.pid, output in $(DATA_DIR)/baton.log).
up-bg: build
	@mkdir -p $(DATA_DIR)
	@nohup $(BATON) up --urls $(URLS) --data-dir $(DATA_DIR) > $(DATA_DIR)/baton.log 2>&1 &
	@for i in $$(seq 1 120); do \
	  if curl -fs $(URLS)/healthz/ready > /dev/null 2>&1; then break; fi; \
	  if [ $$i = 120 ]; then echo "Baton did not become ready; see $(DATA_DIR)/baton.log"; exit 1; fi; \
	  sleep 0.5; \
	done
	@cat $(DATA_DIR)/baton.log | grep -v '^[0-9:. ]*\(info\|warn\|dbug\|trce\):' || true
	@echo "Baton is running in the background (pid $$(cat $(DATA_DIR)/baton.pid)); 'make down' stops it."

## Stops the background Baton started by 'make up-bg'.
down:
	@if [ ! -f $(DATA_DIR)/baton.pid ]; then echo "Baton is not running (no $(DATA_DIR)/baton.pid)"; exit 0; fi; \
	pid=$$(cat $(DATA_DIR)/baton.pid); kill $$pid 2>/dev/null || true; \
	for i in $$(seq 1 60); do kill -0 $$pid 2>/dev/null || break; sleep 0.5; done; \
	if kill -0 $$pid 2>/dev/null; then kill -9 $$pid; fi; rm -f $(DATA_DIR)/baton.pid; echo "Baton stopped."

## Creates the sample project 'demo' in $(DATA_DIR).
seed: build
	$(BATON) seed --data-dir $(DATA_DIR)

## Every test, on SQLite and on a throwaway PostgreSQL cluster.
test:
	scripts/test.sh

## Long chaos check (not part of `make test`, which runs a cut-down one): its own PostgreSQL, 3 replicas behind
## a round-robin front, 8 agents, 10,000 runs while replicas, agents and PostgreSQL are killed; then a checker
## of the stored history (lost, duplicated, log gaps, stuck). Result in bench/results/chaos.json; see docs/operations.md.
chaos:
	dotnet build -c Release tools/Baton.Chaos -nologo -v quiet
	dotnet tools/Baton.Chaos/bin/Release/net10.0/baton-chaos.dll --out bench/results/chaos.json

## Refreshes docs/screenshots from the UI tests (Debian's Chromium; the tests save what they see).
screenshots: build
	BATON_UI_SCREENSHOTS=$(CURDIR)/docs/screenshots dotnet test tests/Baton.Ui.Tests --no-build -nologo

## Benchmarks (figures and how to read them: docs/BENCHMARKS.md).
## The throughput bench's 4 agents are the native baton-agent (BATON_BENCH_AGENT); the other benches use `baton agent`.
bench: agent
	dotnet build -c Release src/Baton.Cli
	dotnet run -c Release --project bench/Baton.Bench -- recipes
	dotnet run -c Release --project bench/Baton.Bench -- masking
	dotnet run -c Release --project bench/Baton.Bench -- execution src/Baton.Cli/bin/Release/net10.0/baton.dll 1000 bench/results/latest.json
	scripts/with-postgres.sh dotnet run -c Release --project bench/Baton.Bench -- observability src/Baton.Cli/bin/Release/net10.0/baton.dll 100000 100 bench/results/latest.json
	scripts/ensure-package.sh chromium /usr/bin/chromium
	dotnet run -c Release --project bench/Baton.Bench -- ui src/Baton.Cli/bin/Release/net10.0/baton.dll bench/results/latest.json
	dotnet build -c Release bench/Baton.Bench.Hangfire -nologo -v quiet
	BATON_BENCH_AGENT=dist/baton-agent scripts/with-postgres.sh dotnet run -c Release --project bench/Baton.Bench -- throughput src/Baton.Cli/bin/Release/net10.0/baton.dll bench/Baton.Bench.Hangfire/bin/Release/net10.0/Baton.Bench.Hangfire.dll 2000 60 bench/results/latest.json
	scripts/ensure-package.sh wrk
	scripts/with-postgres.sh dotnet run -c Release --project bench/Baton.Bench -- api src/Baton.Cli/bin/Release/net10.0/baton.dll 10 bench/results/latest.json
	bench/recipes-http.sh
	scripts/ensure-package.sh hyperfine
	bench/cli.sh
	dotnet run -c Release --project bench/Baton.Bench -- report bench/results/latest.json docs/BENCHMARKS.md

## The same benchmarks cut down for a quick look while working (no observability or UI bench, no scripts):
## figures go to bench/results/quick.json, never to docs/BENCHMARKS.md. Under 3 minutes on 2 cores once built.
## Throughput has no idle reading and warms each side for 10 s at most (the full bench: 120 s), the API bench 5 s
## (full: 60 s), so their figures are colder than `make bench`'s; PostgreSQL's statistics still need their 11 s
## waits, twice for each side of the throughput bench. One throwaway PostgreSQL serves both.
bench-quick: agent
	dotnet build -c Release src/Baton.Cli -nologo -v quiet
	dotnet build -c Release bench/Baton.Bench -nologo -v quiet
	dotnet build -c Release bench/Baton.Bench.Hangfire -nologo -v quiet
	scripts/ensure-package.sh wrk
	dotnet run --no-build -c Release --project bench/Baton.Bench -- recipes
	dotnet run --no-build -c Release --project bench/Baton.Bench -- masking
	dotnet run --no-build -c Release --project bench/Baton.Bench -- execution src/Baton.Cli/bin/Release/net10.0/baton.dll 100 bench/results/quick.json
	BATON_BENCH_AGENT=dist/baton-agent scripts/with-postgres.sh sh -c '\
	  dotnet run --no-build -c Release --project bench/Baton.Bench -- throughput src/Baton.Cli/bin/Release/net10.0/baton.dll bench/Baton.Bench.Hangfire/bin/Release/net10.0/Baton.Bench.Hangfire.dll 300 0 bench/results/quick.json 10 && \
	  dotnet run --no-build -c Release --project bench/Baton.Bench -- api src/Baton.Cli/bin/Release/net10.0/baton.dll 5 bench/results/quick.json 5'
	dotnet run --no-build -c Release --project bench/Baton.Bench -- report bench/results/quick.json --no-doc

clean:
	dotnet clean Baton.slnx -nologo -v quiet

## Packaging (docs/operations.md, "Packaging").
## The .NET tool package dist/Baton.<version>.nupkg; install it with
## `dotnet tool install --global --add-source dist Baton`.
pack:
	dotnet pack src/Baton.Cli -c Release -o dist/ -nologo

## One self-contained executable dist/linux-x64/baton (no .NET needed on the target machine), with
## what cannot be inside a single file beside it: wwwroot/ (the UI's assets) and its manifest,
## appsettings.json, and the .pdb symbols (line numbers in stack traces; safe to delete).
## ReadyToRun (code compiled ahead of time): a client command starts in about 0.3 s instead of 0.5 s
## (docs/BENCHMARKS.md), for a larger file (179 MB, not 118) and a slower publish.
publish:
	dotnet publish src/Baton.Cli -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true -p:PublishReadyToRun=true -o dist/linux-x64/ -nologo

## The native agent dist/baton-agent (Native AOT, linux-x64): the same agent as `baton agent` in one 12 MB executable
## that needs no .NET on the agent machine and idles at about 38 MB instead of 100 (docs/adr/0013-native-aot-agent.md).
## Its symbols are beside it (baton-agent.dbg: names in native stack traces; safe to delete). About 2 minutes.
agent:
	dotnet publish src/Baton.Agent.Cli -c Release -r linux-x64 -o dist/ -nologo
