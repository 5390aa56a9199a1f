# The commands people type. Each one creates .venv from nothing when it is missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# PyTorch: with an NVIDIA GPU let pip choose the (CUDA) build; without one, pin the release whose
# CPU wheel this project's machines keep locally. Override, e.g.:
#   make test TORCH_SPEC=torch TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_SPEC ?= $(if $(shell command -v nvidia-smi 2>/dev/null),torch,torch==2.13.0)
TORCH_INDEX ?=
# `make run` replaces runs/ner from an earlier run; set RUN_FLAGS= to be asked instead, or --resume.
RUN_FLAGS ?= --overwrite
PIP_TORCH_FLAGS := $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX),)
LINT_PATHS := helpers tests notebooks benchmarks
# The parts of `make test`, in order (CI: .ci/run). A new part (a rehearsal, a browser test) is added here.
TEST_TARGETS := lint notebooks-check unit nbval-check

export PYTHONHASHSEED := 0
export TOKENIZERS_PARALLELISM := false

.PHONY: help venv test test-fast unit unit-fast lint notebooks-check nbval nbval-check rehearse-smoke rehearse gpu-check run lab notebooks notebooks-full benchmark benchmark-quick clean

help:
	@echo "make run    fine-tune and evaluate an NER model with the defaults"
	@echo "make test   lint, unit tests, notebook parity/staleness, each lesson executed once (offline, smoke mode)"
	@echo "make test-fast  lint, notebook checks and the unit tests that train no model (for development)"
	@echo "make lab    open JupyterLab on the notebooks"
	@echo "make notebooks-full  run every lesson on all data: the committed outputs (slow on a CPU)"

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -c "import torch" 2>/dev/null || $(PY) -m pip install -q $(PIP_TORCH_FLAGS) "$(TORCH_SPEC)"
	$(PY) -m pip install -q -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3" >/dev/null
	@touch $@

# JupyterLab only for `make lab`: the tests do not need it (a fresh install without it is quicker).
$(VENV)/.installed-lab: $(VENV)/.installed
	$(PY) -m pip install -q -e ".[lab]"
	@touch $@

venv: $(VENV)/.installed

# lint-imports: the import contracts of pyproject.toml (the README's layers, no cycles).
lint: venv
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(VENV)/bin/lint-imports --no-cache

PYTEST = HF_HUB_OFFLINE=1 TOKCLS_SMOKE=1 $(PY) -m pytest -q -p no:cacheprovider

# --durations: the 15 slowest tests, so a slow new one shows in every run. UNIT_JOBS pytest-xdist workers
# share the cores (one thread each when there are several): much of a test's time is imports and
# subprocesses that one core runs alone. UNIT_JOBS=0 runs them in one process.
UNIT_JOBS ?= 2
XDIST = $(if $(filter-out 0 1,$(UNIT_JOBS)),OMP_NUM_THREADS=1) $(PYTEST) $(if $(filter-out 0,$(UNIT_JOBS)),-n $(UNIT_JOBS))
unit: venv
	$(XDIST) --durations=15 tests

# The fast lane: every unit test that trains no model (those are marked slow).
unit-fast: venv
	$(XDIST) -m "not slow" --durations=10 tests

notebooks-check: venv
	$(PY) notebooks/build.py --check

# nbval checks only the cells tagged nbval-check-output (--nbval-lax); --durations lists the slowest cells.
NBVAL = HF_HUB_OFFLINE=1 TOKCLS_SMOKE=1 $(abspath $(PY)) -m pytest -q -p no:cacheprovider \
	  --nbval-lax --nbval-current-env --nbval-cell-timeout=300 --durations=5
# The learner's notebooks as they are (not part of `make test`: nbval-check runs the same code cells).
NBVAL_LANGS ?= en zh

nbval: venv
	cd notebooks && $(NBVAL) $(NBVAL_LANGS)

# Each lesson once, as CI runs it: the check variant (English, the check cells the learner's notebooks leave
# out, exercises answered by the reference solutions: a wrong answer raises). The en and zh notebooks have
# the same code cells but the check cells (notebooks-check and a unit test prove it).
# The lessons that train run with TOKCLS_MODEL at a 2-layer stand-in of their online default (DistilBERT
# uncased, BERT Chinese; tests/rehearse.py), and what they decided (recipe, device, precision, processes,
# embedding learning rate) is checked: each lesson runs once and rehearses the learner's online path.
# NBVAL_JOBS lessons run side by side, sharing the cores.
NBVAL_JOBS ?= 2
nbval-check: venv
	$(PY) -m tests.rehearse --nbval --jobs $(NBVAL_JOBS)

test: $(TEST_TARGETS)

test-fast: lint notebooks-check unit-fast

run: venv
	$(PY) -m helpers train --task ner --output-dir runs/ner $(RUN_FLAGS)

lab: $(VENV)/.installed-lab
	$(VENV)/bin/jupyter lab notebooks

notebooks: venv
	HF_HUB_OFFLINE=1 TOKCLS_SMOKE=1 $(PY) notebooks/build.py --execute

# The committed outputs: every lesson on all data (no smoke mode; TOKCLS_EPOCHS is honoured), executed
# once in English and carried into Chinese. LESSONS=03 runs one. Uses ../shared/data/conll2003 if present.
notebooks-full: venv
	$(if $(TOKCLS_DATA_DIR),,$(if $(wildcard ../shared/data/conll2003),TOKCLS_DATA_DIR=$(abspath ../shared/data/conll2003))) \
	  TOKCLS_SMOKE= $(PY) notebooks/build.py --execute --full $(LESSONS)

# Classic vs course recipe, 3 seeds each (~95 min on 2 cores; needs the machine to itself). The data rule of
# notebooks-full: TOKCLS_DATA_DIR, else ../shared/data/conll2003 where it exists. BENCHMARK_FLAGS=--model X etc.
BENCHMARK_DATA = $(if $(TOKCLS_DATA_DIR),,$(if $(wildcard ../shared/data/conll2003),TOKCLS_DATA_DIR=$(abspath ../shared/data/conll2003)))
benchmark: venv
	$(BENCHMARK_DATA) $(PY) -m benchmarks.recipes $(BENCHMARK_FLAGS)

benchmark-quick: venv
	$(BENCHMARK_DATA) $(PY) -m benchmarks.recipes --quick $(BENCHMARK_FLAGS)

# The learner's online path offline: every training lesson in smoke mode with TOKCLS_MODEL at a local,
# randomly initialised stand-in of its online default (DistilBERT uncased / BERT Chinese, 768 wide), and the
# decisions (recipe, precision, device, processes, embedding learning rate) checked. rehearse-smoke: 2 layers
# (make test runs the same through nbval-check); rehearse: the real layer counts (6 and 12). Stand-ins and logs go to build/rehearsal/.
rehearse-smoke: venv
	$(PY) -m tests.rehearse

rehearse: venv
	$(PY) -m tests.rehearse --full

# The GPU path for real (needs a CUDA GPU; refuses without one): lesson 3's training on all of CoNLL-2003 at
# the recipe's epochs, lesson 8's loop on the GPUs present, predict on the GPU; writes
# benchmarks/results/gpu_check.json. The data rule of notebooks-full.
gpu-check: venv
	$(BENCHMARK_DATA) $(PY) -m benchmarks.gpu_check

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis runs
