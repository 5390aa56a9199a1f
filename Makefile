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

export PYTHONHASHSEED := 0
export TOKENIZERS_PARALLELISM := false

.PHONY: help venv test unit lint notebooks-check nbval run lab notebooks benchmark benchmark-quick clean

help:
	@echo "make run    fine-tune and evaluate an NER model with the defaults"
	@echo "make test   lint, unit tests, notebook parity/staleness and nbval (offline, smoke mode)"
	@echo "make lab    open JupyterLab on the notebooks"

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -c "import torch" 2>/dev/null || $(PY) -m pip install -q $(PIP_TORCH_FLAGS) "$(TORCH_SPEC)"
	$(PY) -m pip install -q -e ".[test,lab]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3" >/dev/null
	@touch $@

venv: $(VENV)/.installed

lint: venv
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)

unit: venv
	HF_HUB_OFFLINE=1 TOKCLS_SMOKE=1 $(PY) -m pytest -q tests

notebooks-check: venv
	$(PY) notebooks/build.py --check

nbval: venv
	cd notebooks && HF_HUB_OFFLINE=1 TOKCLS_SMOKE=1 ../$(PY) -m pytest -q -p no:cacheprovider \
	  --nbval-lax --nbval-current-env --nbval-cell-timeout=300 en zh

test: lint notebooks-check unit nbval

run: venv
	$(PY) -m helpers train --task ner --output-dir runs/ner $(RUN_FLAGS)

lab: venv
	$(VENV)/bin/jupyter lab notebooks

notebooks: venv
	HF_HUB_OFFLINE=1 TOKCLS_SMOKE=1 $(PY) notebooks/build.py --execute

benchmark: venv
	$(PY) -m benchmarks.recipes

benchmark-quick: venv
	$(PY) -m benchmarks.recipes --quick

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis runs
