# Every target is a thin wrapper over `python -m nngrade ...` (which also works where make
# does not, e.g. on Windows: see README.md).
PYTHON ?= python3
VENV   ?= .venv
ifeq ($(OS),Windows_NT)
PY := $(VENV)/Scripts/python
else
PY := $(VENV)/bin/python
endif
KERNEL := nnlabs
# JupyterLab refuses to start as root (Docker, Colab, many lab images) without --allow-root
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)
export TF_CPP_MIN_LOG_LEVEL := 2
export TF_ENABLE_ONEDNN_OPTS := 0

SUBMISSION ?= labs
OUT ?=
LAB ?=
SEED ?=
HIDDEN ?=
LIMITS ?=
VERBOSE ?=
FORCE ?=
LABS ?=
GRADER_URL ?=
SET ?= newest

.PHONY: install lab labs grade grade-class merge test versions mutants contract new-lab release gradescope bench conventions clean

# The interpreter is checked against pyproject.toml's requires-python before anything is made or
# downloaded; setuptools comes in explicitly (Python 3.12's venvs have none) for the editable install.
install:  ## a .venv with the pinned set, the package, and the Jupyter kernel (PYTHON=python3.11)
	@if [ -x $(PY) ] && cmp -s requirements.txt $(VENV)/nnlabs-pins.txt; then \
		echo "$(VENV) already has the pins of requirements.txt: reusing it"; \
	else \
		$(PYTHON) nngrade/python_range.py && \
		$(PYTHON) -m venv $(VENV) && \
		$(PY) -m pip install --quiet --upgrade pip "setuptools>=61" && \
		$(PY) -m pip install --quiet -r requirements.txt && \
		cp requirements.txt $(VENV)/nnlabs-pins.txt; \
	fi
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m compileall -q nngrade reference  # bytecode ahead, also where PYTHONDONTWRITEBYTECODE is set
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))"
	@echo "Installed. Next: make lab (Jupyter) or make grade."

lab:  ## open JupyterLab on labs/
	$(PY) -m jupyterlab --notebook-dir=labs $(ALLOW_ROOT)

labs:  ## regenerate labs/ from solutions/ (FORCE=1 overwrites edited notebooks)
	$(PY) -m nngrade labs $(if $(FORCE),--force)

grade:  ## grade one submission: SUBMISSION=dir LAB=NN OUT=results.json SEED=n HIDDEN=dir LIMITS='call_seconds=20 ...' VERBOSE=1
	$(PY) -m nngrade grade --submission $(SUBMISSION) $(if $(LAB),--lab '$(LAB)') \
		--out $(or $(OUT),results.json) $(if $(SEED),--seed $(SEED)) $(if $(HIDDEN),--hidden $(HIDDEN)) \
		$(foreach l,$(LIMITS),--limit $(l)) $(if $(VERBOSE),--verbose)

grade-class:  ## grade a class into OUT=grades: SUBMISSIONS=dir (or an LMS download with FROM=canvas|moodle|blackboard) SHARD=i/n GRADEBOOK=canvas ASSIGNMENT=name POINTS=n LIMITS=...
	$(PY) -m nngrade grade-class --submissions $(SUBMISSIONS) $(if $(FROM),--from $(FROM)) $(if $(LAB),--lab '$(LAB)') \
		--out $(or $(OUT),grades) $(if $(SEED),--seed $(SEED)) $(if $(HIDDEN),--hidden $(HIDDEN)) \
		$(if $(SHARD),--shard $(SHARD)) $(if $(GRADEBOOK),--gradebook $(GRADEBOOK)) \
		$(if $(ASSIGNMENT),--assignment "$(ASSIGNMENT)") $(if $(POINTS),--points $(POINTS)) \
		$(foreach l,$(LIMITS),--limit $(l))

merge:  ## combine the OUT folders of grade-class SHARD=i/n runs: SHARDS="grades-0 grades-1" OUT=grades (GRADEBOOK, ASSIGNMENT, POINTS as above)
	$(PY) -m nngrade merge $(SHARDS) --out $(or $(OUT),grades) $(if $(GRADEBOOK),--gradebook $(GRADEBOOK)) \
		$(if $(ASSIGNMENT),--assignment "$(ASSIGNMENT)") $(if $(POINTS),--points $(POINTS))

gradescope:  ## the Gradescope autograder zip: LAB=NN SEED=n HIDDEN=dir OUT=file.zip
	$(PY) -m nngrade gradescope $(if $(LAB),--lab '$(LAB)') $(if $(SEED),--seed $(SEED)) \
		$(if $(HIDDEN),--hidden $(HIDDEN)) $(if $(OUT),--out $(OUT))

release:  ## the student repository: DEST=dir LABS=01-03 (default all; no solutions, tests, mutants or hidden checks) GRADER_URL=<where students pip-install it from on Colab>
	$(PY) -m nngrade release --dest $(DEST) $(if $(LABS),--labs '$(LABS)') $(if $(GRADER_URL),--grader-url '$(GRADER_URL)')

mutants:  ## grade every mutant and valid alternative in tests/labs/<lab>/mutants.py
	$(PY) -m nngrade mutants $(if $(LAB),--lab '$(LAB)')

conventions:  ## measure PyTorch against Keras, live, into docs/conventions.md
	$(PY) -m nngrade conventions

bench:  ## time make grade, the nbclient baseline, grade-class, Gradescope's budget (768 MB, 1 CPU), memory, a class of 1,000
	$(PY) -m nngrade bench

new-lab:  ## the files of a new lab with one example function: NAME=labNN_topic (docs/adding-a-lab.md)
	$(PY) -m nngrade new-lab $(NAME)

contract:  ## regenerate docs/labs.md (the graded functions of each lab) and docs/architecture.md
	$(PY) -m nngrade contract

test:  ## the project's own tests (what instructor CI runs)
	$(PY) -m pytest -q tests

# One end of the supported range (pyproject.toml) in its own .venv-SET: oldest is
# requirements-oldest.txt, newest is what pip resolves from the range today (upgrading an
# existing .venv-newest). PIP_CONSTRAINT=/dev/null sets aside a machine-wide pip constraint
# file (this one caps torch at the releases on its disk) for that one install.
versions:  ## the lab tests and the conventions check on one end of the range: SET=oldest|newest
	@case "$(SET)" in oldest|newest) ;; *) echo "SET must be oldest or newest, not '$(SET)'"; exit 2;; esac
	@if [ ! -x .venv-$(SET)/bin/python ]; then $(PYTHON) -m venv .venv-$(SET); fi
	.venv-$(SET)/bin/python -m pip install --quiet --upgrade pip
	@if [ "$(SET)" = oldest ]; then \
		echo ".venv-oldest/bin/python -m pip install -r requirements-oldest.txt"; \
		.venv-oldest/bin/python -m pip install --quiet -r requirements-oldest.txt; \
	else \
		echo ".venv-newest/bin/python -m pip install --upgrade --upgrade-strategy eager -e '.[dev]'"; \
		PIP_CONSTRAINT=/dev/null .venv-newest/bin/python -m pip install --quiet --upgrade \
			--upgrade-strategy eager -e '.[dev]'; \
	fi
	.venv-$(SET)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	.venv-$(SET)/bin/python -m nngrade versions
	.venv-$(SET)/bin/python -m pytest -q -p no:cacheprovider tests/labs
	.venv-$(SET)/bin/python -m nngrade conventions --check

clean:
	rm -rf results.json grades .pytest_cache .hypothesis
