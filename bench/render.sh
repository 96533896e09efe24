#!/usr/bin/env bash
# Render benchmark: ratsflow's template engine against docxtpl (Python) and docxtemplater
# (Node) on the same Beschlussvorlage and data, then `ratsflow render` of 1,000 papers, then the
# agenda of a meeting with 200 items (`ratsflow meeting` and its document; a timing line).
#
# Usage: bash bench/render.sh            (N=2000 ratsflow renders; docxtpl N/10, docxtemplater N/4)
#        N=5000 bash bench/render.sh
#
# Installs the peers if missing: docxtpl into a venv under target/bench-render/venv (or
# `pip install --user` where venvs cannot be made), docxtemplater and pizzip with
# `npm install --prefix bench/render`. Work files go to target/bench-render/work
# (RENDER_BENCH_DIR overrides). Exits non-zero when an engine fails or renders a wrong
# document; a missed target is reported, not an error.
set -euo pipefail

cd "$(dirname "$0")/.."
N="${N:-2000}"
WORK="${RENDER_BENCH_DIR:-target/bench-render/work}"
VENV=target/bench-render/venv

echo "== peers"
if "$VENV/bin/python" -c "import docxtpl" 2>/dev/null; then
    PY="$VENV/bin/python"
elif python3 -m venv "$VENV" 2>/dev/null && "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r bench/render/requirements.txt
    PY="$VENV/bin/python"
else
    rm -rf "$VENV"
    python3 -m pip install --quiet --user -r bench/render/requirements.txt
    PY=python3
fi
if [ ! -f bench/render/node_modules/docxtemplater/package.json ] \
    || [ ! -f bench/render/node_modules/pizzip/package.json ]; then
    npm install --prefix bench/render --no-audit --no-fund --loglevel=error
fi
echo "docxtpl $("$PY" -c 'import docxtpl; print(docxtpl.__version__)'), python $("$PY" -c 'import platform; print(platform.python_version())')"
echo "docxtemplater $(node -p 'require("./bench/render/node_modules/docxtemplater/package.json").version'), node $(node --version)"
echo "machine: $(nproc) cores"

echo "== ratsflow (cargo bench --bench render)"
mkdir -p "$WORK"
cargo bench --quiet --bench render -- "$WORK" "$N"
cargo build --quiet --release --bin ratsflow

echo "== docxtpl"
"$PY" bench/render/docxtpl_bench.py "$WORK" "$N"

echo "== docxtemplater"
node bench/render/docxtemplater_bench.js "$WORK" "$N"

echo "== ratsflow render, 1000 papers"
python3 bench/render/project_bench.py "$WORK" target/release/ratsflow

echo "== ratsflow meeting and agenda, 200 items"
python3 bench/render/agenda_bench.py "$WORK" target/release/ratsflow

python3 bench/render/report.py "$WORK"
rm -rf "$WORK/trash"
