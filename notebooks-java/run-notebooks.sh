#!/usr/bin/env bash
# Executes the Java notebooks of this folder headless, in order, with Jupyter's nbconvert and the
# rapaio-jupyter-kernel; exits non-zero on the first cell error. Installs what it needs, once:
# Debian's Jupyter packages (apt), the kernel jar (Maven Central, through the Maven wrapper), the
# project's jars (a Maven package of the cli module). The kernel spec is registered in a temporary
# JUPYTER_PATH, so nothing is installed into the user's Jupyter. Executed copies (with outputs)
# land in a temporary folder, or in $NOTEBOOK_OUT when set; the committed notebooks stay clean.
#
#   notebooks-java/run-notebooks.sh [NOTEBOOK.ipynb ...]
#
# Environment: GENDERALIGN_DATA_ROOT (default ../shared, as in CI), NOTEBOOK_OUT, NOTEBOOK_SKIP_BUILD=1,
# NOTEBOOK_TIMEOUT
# (seconds per cell, default 600), GENDERALIGN_RESULTS (a results.json for notebook 3 instead of
# its own small evaluation, e.g. a pipeline run's evaluate/results.json).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
RJK_VERSION=3.0.1 # on Maven Central, compiled for Java 17 (3.0.2+ are not on Central)

# 1. Jupyter from Debian (no pip): nbconvert executes, nbclient talks to the kernel.
missing=()
for p in jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "run-notebooks: installing ${missing[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. The kernel: one self-contained jar.
KERNEL_JAR="$HOME/.m2/repository/io/github/padreati/rapaio-jupyter-kernel/$RJK_VERSION/rapaio-jupyter-kernel-$RJK_VERSION.jar"
if [ ! -f "$KERNEL_JAR" ]; then
  (cd "$ROOT" && ./mvnw -B -q dependency:get -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION" \
    -Dtransitive=false)
fi

# 3. The project's jars: cli/target/genderalign-cli.jar and its cli/target/lib/ (the notebooks' %%jars).
# NOTEBOOK_SKIP_BUILD=1 uses the jars as they are (after a build of your own).
if [ "${NOTEBOOK_SKIP_BUILD:-}" != "1" ] || [ ! -f "$ROOT/cli/target/genderalign-cli.jar" ]; then
  (cd "$ROOT" && ./mvnw -B -q -o -pl cli -am package -DskipTests) \
    || (cd "$ROOT" && ./mvnw -B -q -pl cli -am package -DskipTests)
fi

# 4. A kernel spec in a temporary JUPYTER_PATH, named as rapaio's installer names it.
WORK="$(mktemp -d -t genderalign-notebooks.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
SPEC="$WORK/jupyter/kernels/rapaio-jupyter-kernel"
mkdir -p "$SPEC" "$WORK/runtime" "$WORK/config" "$WORK/data"
/usr/bin/python3 - "$SPEC/kernel.json" "$KERNEL_JAR" "$RJK_VERSION" "$WORK/mima" <<'PY'
import json, sys
path, jar, version, mima = sys.argv[1:]
json.dump({
    "argv": ["java", "-Xmx3g", "-Djava.awt.headless=true", "-Dai.djl.offline=true",
             "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
             "-jar", jar, "{connection_file}"],
    "display_name": "Java (rjk " + version + ")",
    "language": "java",
    "interrupt_mode": "message",
    "env": {"RJK_CLASSPATH": "", "RJK_COMPILER_OPTIONS": "", "RJK_INIT_SCRIPT": "",
            "RJK_TIMEOUT_MILLIS": "-1", "RJK_MIMA_CACHE": mima},
}, open(path, "w"), indent=2)
PY
export JUPYTER_PATH="$WORK/jupyter" JUPYTER_RUNTIME_DIR="$WORK/runtime" JUPYTER_CONFIG_DIR="$WORK/config" \
  JUPYTER_DATA_DIR="$WORK/data" JUPYTER_PLATFORM_DIRS=1

# The notebooks' environment: absolute data root, DJL as ./genderalign sets it, one work folder
# that notebook 2 writes and notebook 3 reads.
DATA_ROOT="${GENDERALIGN_DATA_ROOT:-../shared}"
case "$DATA_ROOT" in /*) ;; *) DATA_ROOT="$(cd "$ROOT" && cd "$DATA_ROOT" && pwd)" ;; esac
export GENDERALIGN_DATA_ROOT="$DATA_ROOT"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.cache/genderalign/djl}" DJL_OFFLINE=true OPT_OUT_TRACKING=true
export GENDERALIGN_NOTEBOOK_WORK="$WORK/work"
mkdir -p "$GENDERALIGN_NOTEBOOK_WORK"
OUT="${NOTEBOOK_OUT:-$WORK/executed}"
mkdir -p "$OUT"

if [ $# -gt 0 ]; then notebooks=("$@"); else notebooks=("$HERE"/[0-9]*.ipynb); fi
for nb in "${notebooks[@]}"; do
  start=$(date +%s)
  echo "run-notebooks: executing $(basename "$nb")" >&2
  # nbconvert stops and exits non-zero at the first cell whose execution reports an error.
  # settled_kernel_manager.py works around a start-up race of the kernel (see that file).
  PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}" /usr/bin/python3 -m nbconvert --to notebook --execute \
    --ExecutePreprocessor.kernel_name=rapaio-jupyter-kernel \
    --ExecutePreprocessor.kernel_manager_class=settled_kernel_manager.SettledKernelManager \
    --ExecutePreprocessor.timeout="${NOTEBOOK_TIMEOUT:-600}" \
    --output-dir "$OUT" "$nb"
  echo "run-notebooks: $(basename "$nb") ok in $(( $(date +%s) - start )) s" >&2
done
echo "run-notebooks: all ${#notebooks[@]} notebooks ran without a cell error (executed copies: $OUT)" >&2
