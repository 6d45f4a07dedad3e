# Harness — the two commands that matter: `make experiment EXP=name` and `make test`.
DOTNET  ?= dotnet
CONFIG  ?= Release
BACKEND ?= cpu
EXP     ?= snf7_vs_snap29
RESULTS ?= results

ifneq ($(filter cuda external,$(BACKEND)),)
CLI_DIR := src/Harness.Cli/bin/$(BACKEND)/$(CONFIG)/net10.0
else
CLI_DIR := src/Harness.Cli/bin/$(CONFIG)/net10.0
endif
HARNESS := $(DOTNET) $(CLI_DIR)/Harness.Cli.dll

# SEEDS=, EPOCHS=, DEVICE= become --set overrides; SET='k=v k2=v2' passes any others.
OVERRIDES := $(if $(SEEDS),--set seeds=$(SEEDS)) $(if $(EPOCHS),--set epochs=$(EPOCHS)) \
             $(if $(DEVICE),--set device=$(DEVICE)) $(foreach kv,$(SET),--set $(kv))

# make bench: harness versus PyTorch (scripts/bench/run.py). By default: the harness, the harness with 4 seeds
# fused (per-seed img/s), the harness with glibc's malloc defaults, PyTorch as installed, and PyTorch with the
# harness's malloc settings. BENCH_SIDES may add +jemalloc, +tcmalloc, +channels_last, +seed_parallelK,
# +openmp_wait (harness with OpenMP's spinning default), +passive_wait (anchor), +loaded (a busy process beside it);
# BENCH_WORKLOADS: deep, deep-50-mono, deep-fmnist, alexnet, alexnet-fmnist; BENCH_ARGS passes any other driver option
# (BENCH_ARGS=--profile-layers: milliseconds per training phase and per layer, forward and backward, for each side).
BENCH_REPEAT    ?= 3
BENCH_THREADS   ?= 2
BENCH_WORKLOADS ?= deep,deep-fmnist
BENCH_SIDES     ?= harness,anchor,harness+seed_parallel4,harness+system_malloc,anchor+tuned_malloc,anchor+tuned_malloc+channels_last
BENCH_EPOCHS    ?= 2
BENCH_ARGS      ?=
BENCH_PYTHON    ?= /usr/bin/python3
SUDO            := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# make parity: the harness's trainer against PyTorch, same weights and batches (scripts/parity/parity.py).
PARITY_WORKLOADS ?= deep,deep-fmnist,cifar-small
PARITY_DTYPES    ?= float64
PARITY_ARGS      ?=

export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: build experiment run report plan submit test clean bench parity fmnist-anchor mlflow-ui publish reproduce

build:
	$(DOTNET) build src/Harness.Cli -c $(CONFIG) -p:Backend=$(BACKEND) -nologo -v q -clp:ErrorsOnly

## make experiment EXP=name [SEEDS=n] [EPOCHS=n] [DEVICE=cpu|cuda|auto]: train, then report
experiment: build
	$(HARNESS) run experiments/$(EXP).yaml --results $(RESULTS) $(OVERRIDES)
	$(HARNESS) report $(RESULTS)/$(EXP)

## make reproduce [SEEDS=n] [EPOCHS=n] [REPRODUCE_EXPS='a b'] [FMNIST_DIR=...] [CIFAR_DOWNLOAD=1]: every published
## experiment whose data are here (the others skipped, with a message), each trained and reported, then one study
## report in $(RESULTS)/study (harness study). A run that fails is reported and the next experiment goes on.
REPRODUCE_EXPS ?= snf7_vs_snap29 snf7_vs_snap29_mono snf7_vs_snap29_alexnet fashion_mnist cifar10_dropout snf7_real
FMNIST_DIR     ?= /usr/share/datasets/fashion-mnist
CIFAR_DIR      ?= data/cifar10
CIFAR_DOWNLOAD ?=
reproduce: build
	@notrun=""; start=$$(date +%s); mkdir -p $(RESULTS); for e in $(REPRODUCE_EXPS); do \
	  why=""; \
	  case $$e in \
	    fashion_mnist) [ -d "$(FMNIST_DIR)" ] || why="data absent: no $(FMNIST_DIR) (apt-get install dataset-fashion-mnist)";; \
	    cifar10_dropout) [ -n "$(CIFAR_DOWNLOAD)" ] || [ -e "$(CIFAR_DIR)/cifar-10-binary.tar.gz" ] || [ -d "$(CIFAR_DIR)/cifar-10-batches-bin" ] \
	      || why="data absent: no $(CIFAR_DIR)/cifar-10-binary.tar.gz (place it there, or CIFAR_DOWNLOAD=1 to download)";; \
	  esac; \
	  if [ -z "$$why" ] && ! err=$$($(HARNESS) plan experiments/$$e.yaml $(OVERRIDES) 2>&1 >/dev/null); then \
	    why="data not reachable: $$(echo "$$err" | grep -m1 -o 'folder not found: .*\|file not found.*' || echo 'harness plan failed')"; fi; \
	  if [ -n "$$why" ]; then echo "reproduce: skipping $$e: $$why"; notrun="$$notrun --not-run '$$e=$$why'"; continue; fi; \
	  echo "reproduce: $$e"; t0=$$(date +%s); \
	  $(HARNESS) run experiments/$$e.yaml --results $(RESULTS) $(OVERRIDES) || echo "reproduce: $$e: harness run failed (see above); going on"; \
	  [ -d $(RESULTS)/$$e ] && $(HARNESS) report $(RESULTS)/$$e || echo "reproduce: $$e: no report"; \
	  t=$$(( $$(date +%s) - t0 )); echo "reproduce: $$e took $$((t / 60)) min $$((t % 60)) s (run and report)"; \
	  echo "$$(date -u +%FT%TZ) $$e $$t s $(strip $(OVERRIDES))" >> $(RESULTS)/reproduce-times.log; \
	done; \
	eval $(HARNESS) study $(REPRODUCE_EXPS) --results $(RESULTS) $$notrun; \
	t=$$(( $$(date +%s) - start )); echo "reproduce: the whole study took $$((t / 3600)) h $$((t % 3600 / 60)) min $$((t % 60)) s"; \
	echo "$$(date -u +%FT%TZ) study $$t s $(strip $(OVERRIDES))" >> $(RESULTS)/reproduce-times.log

run: build
	$(HARNESS) run experiments/$(EXP).yaml --results $(RESULTS) $(OVERRIDES)

report: build
	$(HARNESS) report $(RESULTS)/$(EXP)

plan: build
	$(HARNESS) plan experiments/$(EXP).yaml $(OVERRIDES)

## make submit EXP=name [SLURM='--partition gpu --time 04:00:00 ...']: submit the unfinished runs to Slurm
submit: build
	$(HARNESS) submit experiments/$(EXP).yaml --slurm --results $(RESULTS) $(OVERRIDES) $(SLURM)

test:
	$(DOTNET) test tests/Harness.Tests -c $(CONFIG) -nologo

## make bench [BENCH_REPEAT=3] [BENCH_THREADS=2 or 2,1] [BENCH_SIDES=...]: a benchmark, never a test
bench:
	$(MAKE) build CONFIG=Release BACKEND=cpu
	@$(BENCH_PYTHON) -c 'import torch' 2>/dev/null || { echo "installing Debian's python3-torch for the PyTorch anchor"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-torch; }
	$(BENCH_PYTHON) scripts/bench/run.py --harness "$(DOTNET) src/Harness.Cli/bin/Release/net10.0/Harness.Cli.dll" \
	  --python $(BENCH_PYTHON) --repeat $(BENCH_REPEAT) --threads $(BENCH_THREADS) --workloads $(BENCH_WORKLOADS) \
	  --sides $(BENCH_SIDES) --epochs $(BENCH_EPOCHS) --out $(RESULTS)/bench $(BENCH_ARGS)

## make parity [PARITY_DTYPES=float64,float32] [PARITY_ARGS='--steps 20']: same weights and batches in the harness's
## trainer and in PyTorch; prints the largest relative differences and ends with "parity ok" or "parity FAILED"
parity:
	$(MAKE) build CONFIG=Release BACKEND=cpu
	@$(BENCH_PYTHON) -c 'import torch' 2>/dev/null || { echo "installing Debian's python3-torch for the PyTorch side"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-torch; }
	$(BENCH_PYTHON) scripts/parity/parity.py --harness "$(DOTNET) src/Harness.Cli/bin/Release/net10.0/Harness.Cli.dll" \
	  --workloads $(PARITY_WORKLOADS) --dtypes $(PARITY_DTYPES) --out $(RESULTS)/parity $(PARITY_ARGS)

## make fmnist-anchor [FMNIST_ANCHOR_ARGS='--device cuda --adam both']: Fashion-MNIST trained to the end in plain
## PyTorch as the fashion_mnist spec trains it (scripts/parity/fmnist_train.py), 5 seeds x 10 epochs; a tidy CSV in
## $(RESULTS)/fmnist-anchor.csv and the mean per epoch. Hours on a 2-core CPU for alexnet-fmnist; minutes on a GPU.
FMNIST_ANCHOR_ARGS ?= --workloads deep-fmnist,alexnet-fmnist
fmnist-anchor:
	@$(BENCH_PYTHON) -c 'import torch' 2>/dev/null || { echo "installing Debian's python3-torch"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-torch; }
	@mkdir -p $(RESULTS)
	$(BENCH_PYTHON) scripts/parity/fmnist_train.py --data $(FMNIST_DIR) --out $(RESULTS)/fmnist-anchor.csv $(FMNIST_ANCHOR_ARGS)

## make publish [BACKEND=cpu|cuda|external]: a self-contained linux-x64 bundle (no .NET needed where it runs),
## compressed to dist/harness-BACKEND-linux-x64.tar.gz; BACKEND=external carries no libtorch (see README "GPU")
publish:
	rm -rf dist/harness-$(BACKEND)-linux-x64
	$(DOTNET) publish src/Harness.Cli -c Release -r linux-x64 --self-contained -p:Backend=$(BACKEND) \
	  -p:DebugType=none -p:ErrorOnDuplicatePublishOutputFiles=false -o dist/harness-$(BACKEND)-linux-x64 -nologo -v q -clp:ErrorsOnly
	cp scripts/check-libtorch.sh dist/harness-$(BACKEND)-linux-x64/
	tar -C dist -czf dist/harness-$(BACKEND)-linux-x64.tar.gz harness-$(BACKEND)-linux-x64
	@du -h dist/harness-$(BACKEND)-linux-x64.tar.gz

clean:
	rm -rf src/*/bin src/*/obj tests/*/bin tests/*/obj tools/*/bin tools/*/obj

## make mlflow-ui: a local MLflow server (SQLite, 127.0.0.1:5000) to browse runs; then `harness sync` or run with MLFLOW_TRACKING_URI
MLFLOW_PORT ?= 5000
mlflow-ui:
	@command -v mlflow >/dev/null || { echo "mlflow is not installed: pip install mlflow  (then run make mlflow-ui again)"; exit 1; }
	@echo "MLflow UI on http://127.0.0.1:$(MLFLOW_PORT)  — export MLFLOW_TRACKING_URI=http://127.0.0.1:$(MLFLOW_PORT)"
	@echo "then: make experiment EXP=$(EXP)   or afterwards: $(HARNESS) sync $(RESULTS)/$(EXP)"
	mlflow server --backend-store-uri sqlite:///$(RESULTS)/mlflow.db --host 127.0.0.1 --port $(MLFLOW_PORT)
