#!/usr/bin/env bash
# Lighthouse on the demo newsroom, served as `make serve` serves it (gunicorn, DEBUG off,
# WhiteNoise, the page cache in a folder): the home page, a section front and a story page,
# on a phone and on a desktop, printing the four scores of each.
#
#   bench/lighthouse.sh PORT
#
# Needs Lighthouse (npm), which is not part of the project: install it once outside the
# checkout, e.g. `npm install --prefix /tmp/lighthouse lighthouse@12.2.3`, and say where it
# is with LIGHTHOUSE (default /tmp/lighthouse/node_modules/.bin/lighthouse). Chromium is
# CHROME_PATH (default /usr/bin/chromium). Everything the run writes (database, media, cache,
# reports) is in a temporary folder, removed at the end; KEEP_REPORTS=1 keeps it.
#
# Lighthouse's scores vary from run to run, the more so on a busy machine (total blocking time
# most of all): each page is measured RUNS times (default 3) and the median of each score is
# printed, as Lighthouse's own documentation advises.
set -euo pipefail

PORT=${1:?usage: bench/lighthouse.sh PORT}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
GUNICORN=${GUNICORN:-$ROOT/.venv/bin/gunicorn}
LIGHTHOUSE=${LIGHTHOUSE:-/tmp/lighthouse/node_modules/.bin/lighthouse}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
SITE=http://127.0.0.1:$PORT
RUNS=${RUNS:-3}

WORK=$(mktemp -d)
SERVER=""
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    if [ "${KEEP_REPORTS:-}" = 1 ]; then echo "Reports kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

export DJANGO_DEBUG=false DJANGO_HTTPS=false
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$(head -c 48 /dev/urandom | base64 | tr -d '\n')}
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export NEWSROOM_SITE_URL=$SITE
export DATABASE_URL=sqlite:///$WORK/db.sqlite3
export DJANGO_MEDIA_ROOT=$WORK/media DJANGO_CACHE_DIR=$WORK/cache
export GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_WORKERS=${GUNICORN_WORKERS:-2} GUNICORN_ACCESS_LOG=""

cd "$ROOT"
"$PYTHON" manage.py migrate --noinput >/dev/null
"$PYTHON" manage.py load_demo --force >/dev/null
"$PYTHON" manage.py collectstatic --noinput --verbosity 0
"$GUNICORN" newsroom.wsgi >"$WORK/gunicorn.log" 2>&1 &
SERVER=$!
for _ in $(seq 50); do
    curl -fsS -o /dev/null "$SITE/healthz/" 2>/dev/null && break
    sleep 0.2
done

# The pages: the home page, the first section in the navigation and the home page's lead story.
read -r SECTION STORY < <("$PYTHON" manage.py shell -v 0 -c "
from articles import curation
from articles.models import Article, Section
section = Section.objects.filter(show_in_nav=True, parent=None).first()
front = Article.objects.live().front_page(arrangement=curation.arrangement_of(None))
print(section.get_absolute_url(), front.lead.get_absolute_url())
")

printf '%-9s %-8s %12s %14s %15s %5s\n' page device performance accessibility best-practices seo
for page in "home /" "section $SECTION" "story $STORY"; do
    set -- $page
    name=$1 path=$2
    # Warm the page cache and the renditions, as a site in use has them.
    curl -fsS -o /dev/null "$SITE$path"
    for device in mobile desktop; do
        preset=()
        [ "$device" = desktop ] && preset=(--preset=desktop)
        reports=()
        for run in $(seq "$RUNS"); do
            report=$WORK/$name-$device-$run.json
            # A run Lighthouse itself reports as failed (e.g. NO_NAVSTART, a trace it could not
            # record) is made again, up to three times.
            for _attempt in 1 2 3; do
                "$LIGHTHOUSE" "$SITE$path" "${preset[@]}" --quiet --output=json \
                    --output-path="$report" \
                    --only-categories=performance,accessibility,best-practices,seo \
                    --chrome-flags="--headless=new --no-sandbox" >/dev/null 2>&1 || true
                grep -q '"runtimeError"' "$report" 2>/dev/null || break
            done
            reports+=("$report")
        done
        "$PYTHON" - "$name" "$device" "${reports[@]}" <<'EOF'
import json
import statistics
import sys

name, device, *reports = sys.argv[1:]
keys = ("performance", "accessibility", "best-practices", "seo")
runs = [json.load(open(report))["categories"] for report in reports]
# A category Lighthouse could not score in a run counts as 0 there.
for run in runs:
    for key in keys:
        run[key]["score"] = run[key]["score"] or 0
scores = [round(statistics.median(run[key]["score"] * 100 for run in runs)) for key in keys]
each = " ".join(str(round(run["performance"]["score"] * 100)) for run in runs)
print(
    f"{name:<9} {device:<8} {scores[0]:>12} {scores[1]:>14} {scores[2]:>15} {scores[3]:>5}"
    f"   (performance per run: {each})"
)
EOF
    done
done
